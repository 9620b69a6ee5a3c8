# Idempotence through compressed files: the compressed corpora normalised to
# .zst and .gz, then normalised again, give the same data.
for f in vi-clean.jsonl.zst vi-clean.jsonl.gz vi-two-frames.jsonl.zst vi-two-members.jsonl.gz; do
	sach-normalise -o once.zst "$CORPORA/$f"
	sach-normalise -o twice.gz once.zst
	sach-normalise once.zst >a
	sach-normalise twice.gz >b
	cmp a b && cmp a "$CORPORA/vi-clean.jsonl" && echo "$f: idempotent"
done
