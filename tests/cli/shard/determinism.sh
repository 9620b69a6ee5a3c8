# Same input and options: byte-identical directories (shards and
# manifest), without and with --shuffle-seed; the shuffle's order does not
# depend on --shuffle-memory (here small enough to spill many times) and
# differs from the input order and from another seed's.
. "$(dirname "$0")/summary.inc"
cp "$CORPORA/vi-clean.jsonl" "$CORPORA/vi-messy.jsonl" .
run() {
	d=$1
	shift
	mkdir "$d" && (cd "$d" && sach-shard -o out --name same --max-bytes 3K "$@" ../vi-clean.jsonl ../vi-messy.jsonl) ||
		echo "run $d failed"
}
run a
run b
diff -r a b && echo "plain: identical"
run c --shuffle-seed 5
run d --shuffle-seed 5
run e --shuffle-seed 5 --shuffle-memory 1K
run f --shuffle-seed 6
diff -r c d && echo "shuffled: identical"
diff -r c e && echo "shuffled, 1K of memory: identical"
first() { for x in "$1"/out/train-*.zst; do zstd -dcq "$x"; done | head -c 60; echo; }
first a
first c
first f
ls -A c/out
for x in a c f; do for y in "$x"/out/*.zst; do zstd -dcq "$y"; done | sort | cksum; done
