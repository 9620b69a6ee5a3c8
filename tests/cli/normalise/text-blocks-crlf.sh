# --format text --doc-sep blank: vi-blocks.txt (CRLF) holds 8 documents of
# 2-4 lines. Separators of one empty line, three empty lines and a line of
# three spaces all end a document. Output: the 8 blocks with LF line ends,
# separated by exactly one empty line, no CR left.
sach-normalise --format text --doc-sep blank --stats st.json "$CORPORA/vi-blocks.txt" >out.txt
echo "exit $?"
grep -E '^  "(records_in|records_out)":' st.json
grep -c '^$' out.txt
LC_ALL=C grep -c "$(printf '\r')" out.txt
tr -d '\r' <"$CORPORA/vi-blocks.txt" | sed 's/^ *$//' | cat -s | cmp - out.txt && echo "blocks kept, separators unified"
