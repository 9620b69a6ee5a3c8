# normalise(normalise(x)) == normalise(x) for every JSONL corpus (the bad
# records skipped quietly), byte for byte.
for f in vi-clean.jsonl vi-messy.jsonl vi-invalid-utf8.jsonl bad-records.jsonl; do
	sach-normalise -q --on-error skip "$CORPORA/$f" >once
	sach-normalise once >twice
	cmp once twice && echo "$f: idempotent ($(wc -l <once) records)"
done
