# In text mode, empty lines and lines of only spaces, TABs or a CR are not
# documents (counted as blank lines), one per line and between blocks.
printf 'a\n\n   \n\t\n\r\nb\n' >in.txt
sach-normalise --format text --stats st.json in.txt
grep -E '^  "(records_in|blank_lines)":' st.json
printf 'a\n\n \n\nb\n' | sach-normalise --format text --doc-sep blank --output-format jsonl
