# Exact duplicates: same fold key (case, spaces, tone placement hoa/hoa
# folded); the first in input order is kept, the copy is rejected naming it.
sach-dedupe --no-near --no-lines --rejected rej.jsonl --stats st.json "$CORPORA/vi-dedupe-docs.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"' out.jsonl | tr '\n' ' '; echo
grep -o '"id": "[^"]*"\|"sach": .*' rej.jsonl
grep -E '"(records_in|records_out|rejected|exact_duplicates)":' st.json
