# On every real corpus of ../shared/corpora, normalising the output again
# changes nothing (default options, and old and new tone styles).
if [ ! -d "$SHARED_CORPORA" ]; then
	# Skipped, said on stderr (not compared); stdout matches the golden.
	echo "skipped: ../shared/corpora not found" >&2
	echo done
	exit 0
fi
for f in "$SHARED_CORPORA"/*.jsonl.zst; do
	for style in keep old new; do
		sach-normalise --tone-style $style "$f" > once || { echo "failed on $f"; exit 1; }
		sach-normalise --tone-style $style once > twice
		cmp -s once twice || echo "not idempotent: $(basename "$f") --tone-style $style"
	done
done
echo done
