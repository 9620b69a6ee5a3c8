# vi-clean.jsonl is already normal: every record is written back byte for
# byte (numbers like 1.50, 1e5, -0, 123456789012345678901234567890, \u
# escapes, \/ escapes, key order, text not first), and --stats agrees.
sach-normalise --stats st.json "$CORPORA/vi-clean.jsonl" >out.jsonl
echo "exit $?"
cmp out.jsonl "$CORPORA/vi-clean.jsonl" && echo identical
grep -E '^  "(records_in|records_out)":|"docs_changed"' st.json
