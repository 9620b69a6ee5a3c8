# A corrupt, truncated or mismatched index is a clear error (never a
# silently different answer), and no output file is written.
sach-dedupe --no-lines --index idx --update-index "$CORPORA/vi-dedupe-docs.jsonl" >/dev/null
echo "build: exit $?"
cp idx/sach-dedupe.idx good.idx
size=$(wc -c <good.idx)
# Flip one byte in the middle.
{ head -c $((size / 2)) good.idx; printf '\377'; tail -c +$((size / 2 + 2)) good.idx; } >idx/sach-dedupe.idx
sach-dedupe --no-lines --index idx -o out.jsonl "$CORPORA/vi-clean.jsonl"
echo "corrupt: exit $?"
head -c $((size - 5)) good.idx >idx/sach-dedupe.idx
sach-dedupe --no-lines --index idx -o out.jsonl "$CORPORA/vi-clean.jsonl"
echo "truncated: exit $?"
cp good.idx idx/sach-dedupe.idx
sach-dedupe --no-lines --index idx --bands 16 --rows 7 -o out.jsonl "$CORPORA/vi-clean.jsonl"
echo "mismatched: exit $?"
sach-dedupe --no-lines --index idx --skeleton -o out.jsonl "$CORPORA/vi-clean.jsonl"
echo "mismatched: exit $?"
echo '{"id": "x", "text": "y"}' >idx/sach-dedupe.idx
sach-dedupe --no-lines --index idx -o out.jsonl "$CORPORA/vi-clean.jsonl" 2>&1 | sed 's|/tmp/[^ ]*/||'
ls out.jsonl 2>/dev/null || echo "no output written"
