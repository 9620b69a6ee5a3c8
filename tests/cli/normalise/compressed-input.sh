# zstd and gzip input is detected from the data, not the name: the .zst and
# .gz corpora, the same files renamed to .txt, and the same bytes on stdin
# all give vi-clean.jsonl exactly.
for f in vi-clean.jsonl.zst vi-clean.jsonl.gz; do
	sach-normalise "$CORPORA/$f" | cmp - "$CORPORA/vi-clean.jsonl" && echo "$f: same"
	cp "$CORPORA/$f" renamed.txt
	sach-normalise renamed.txt | cmp - "$CORPORA/vi-clean.jsonl" && echo "$f as .txt: same"
	sach-normalise <"$CORPORA/$f" | cmp - "$CORPORA/vi-clean.jsonl" && echo "$f on stdin: same"
done
