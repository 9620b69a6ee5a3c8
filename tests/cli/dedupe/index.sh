# --index DIR / --update-index: a first release builds the index; a second
# batch is deduplicated against it (exactly and nearly); the index grows.
head -n 10 "$CORPORA/vi-dedupe-docs.jsonl" >rel1.jsonl
tail -n 7 "$CORPORA/vi-dedupe-docs.jsonl" >rel2.jsonl
sach-dedupe --no-lines --index idx --update-index --stats st1.json rel1.jsonl >out1.jsonl
echo "release 1: exit $? kept $(wc -l <out1.jsonl)"
grep '"index_written":' st1.json
ls idx
sach-dedupe --no-lines --index idx --update-index --rejected rej2.jsonl --stats st2.json rel2.jsonl >out2.jsonl
echo "release 2: exit $? kept $(wc -l <out2.jsonl)"
grep -o '"id": "[^"]*"\|"duplicate_of":"[^"]*"\|"reason":"[^"]*"' rej2.jsonl | tr '\n' ' '; echo
grep -E '"(index_documents|exact_duplicates_of_index|near_duplicates_of_index|index_written)":' st2.json
# Without --update-index the index is read, not changed.
cp idx/sach-dedupe.idx before.idx
sach-dedupe --no-lines --index idx rel2.jsonl >/dev/null
cmp -s before.idx idx/sach-dedupe.idx && echo "index unchanged"
# A missing index is an error unless --update-index creates it.
sach-dedupe --no-lines --index nowhere rel1.jsonl >/dev/null
echo "missing: exit $?"
