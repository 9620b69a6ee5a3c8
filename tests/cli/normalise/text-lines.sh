# --format text (one document per line): vi-lines.txt holds 25 documents in
# 28 lines; lines 9 and 23 (empty) and 17 (only spaces) are not documents.
# The text is already clean, so the output is the input without those three
# lines; --stats counts them as blank lines.
sach-normalise --format text --stats st.json "$CORPORA/vi-lines.txt" >out.txt
echo "exit $?"
wc -l <out.txt
sed '9d;17d;23d' "$CORPORA/vi-lines.txt" | cmp - out.txt && echo "input without lines 9, 17, 23"
grep -E '^  "(records_in|records_out|blank_lines)":' st.json
