# sign / cluster / apply over N parts give the same bytes as one run over
# the whole input, for N = 1, 2 and 7 (parts are numbered in corpus order;
# signature files may be given to cluster in any order).
cat "$CORPORA/vi-dedupe-docs.jsonl" "$CORPORA/vi-clean.jsonl" "$CORPORA/vi-dedupe-docs.jsonl" >all.jsonl
sach-dedupe --line-min-docs 3 --keep-cluster-info --rejected rej-one.jsonl all.jsonl >one.jsonl
echo "one-shot exit $? ($(wc -l <one.jsonl) kept, $(wc -l <rej-one.jsonl) rejected)"
for n in 1 2 7; do
	rm -f part.* *.sig
	split -n l/$n -d -a 1 all.jsonl part.
	k=0
	for p in part.*; do
		sach-dedupe sign --part $k -o $k.sig $p || echo "sign $k failed"
		k=$((k + 1))
	done
	sach-dedupe cluster --line-min-docs 3 --keep-cluster-info -o drop.zst $(ls *.sig | sort -r) || echo "cluster failed"
	k=0
	: >staged.jsonl
	: >rej.jsonl
	for p in part.*; do
		sach-dedupe apply --part $k --drop-list drop.zst --rejected r.jsonl $p >>staged.jsonl || echo "apply $k failed"
		cat r.jsonl >>rej.jsonl
		k=$((k + 1))
	done
	if cmp -s one.jsonl staged.jsonl && cmp -s rej-one.jsonl rej.jsonl; then
		echo "N=$n: identical"
	else
		echo "N=$n: DIFFERENT"
	fi
done
# Stdin works for the one-shot run (it is read twice).
sach-dedupe --line-min-docs 3 --keep-cluster-info <all.jsonl | cmp -s - one.jsonl && echo "stdin: identical"
