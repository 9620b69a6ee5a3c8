# Near duplicates (MinHash 14 x 8 over 5-syllable shingles): a copy with one
# sentence added is dropped; the accent-stripped copy only with --skeleton.
sach-dedupe --no-lines --rejected rej.jsonl "$CORPORA/vi-dedupe-docs.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"\|"reason": "[^"]*"\|"duplicate_of":"[^"]*"\|"reason":"[^"]*"' rej.jsonl | tr '\n' ' '; echo
sach-dedupe --no-lines --skeleton --rejected rej2.jsonl "$CORPORA/vi-dedupe-docs.jsonl" >out2.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"\|"duplicate_of":"[^"]*"\|"reason":"[^"]*"' rej2.jsonl | tr '\n' ' '; echo
