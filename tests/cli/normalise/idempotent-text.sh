# Idempotence for the text corpora: one document per line, per block, and
# vi-blocks.txt read as lines.
for f in vi-lines.txt vi-entities.txt vi-blocks.txt; do
	sach-normalise --format text "$CORPORA/$f" >once
	sach-normalise --format text once >twice
	cmp once twice && echo "$f (lines): idempotent ($(wc -l <once) lines)"
done
sach-normalise --format text --doc-sep blank "$CORPORA/vi-blocks.txt" >once
sach-normalise --format text --doc-sep blank once >twice
cmp once twice && echo "vi-blocks.txt (blocks): idempotent"
