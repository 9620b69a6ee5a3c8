# --threads N changes nothing but the speed: exact (two passes: pre-keys,
# then fold keys for the documents that share one; and the one-pass
# filter) and all stages, over several inputs and stdin, give the same
# bytes for N = 1, 2 and 4, equal to the staged sign / cluster / apply.
cat "$CORPORA/vi-dedupe-docs.jsonl" "$CORPORA/vi-clean.jsonl" "$CORPORA/vi-news-demo.jsonl" \
	"$CORPORA/vi-dedupe-docs.jsonl" >a.jsonl
cat "$CORPORA/vi-news-demo.jsonl" "$CORPORA/vi-clean.jsonl" >b.jsonl
for mode in exact all; do
	if [ $mode = exact ]; then opts="--no-near --no-lines"; else opts=""; fi
	# staged: input i is part i; stdin (b.jsonl again) is the third part
	k=0
	for p in a.jsonl b.jsonl b.jsonl; do
		sach-dedupe sign $opts --threads 3 --part $k -o $k.sig $p || echo "sign $k failed"
		k=$((k + 1))
	done
	sach-dedupe cluster -o drop 0.sig 1.sig 2.sig || echo "cluster failed"
	k=0
	: >staged.jsonl
	: >staged-rej.jsonl
	for p in a.jsonl b.jsonl b.jsonl; do
		sach-dedupe apply --part $k --drop-list drop --rejected r.jsonl $p >>staged.jsonl
		cat r.jsonl >>staged-rej.jsonl
		k=$((k + 1))
	done
	for n in 1 2 4; do
		sach-dedupe $opts --threads $n --rejected rej.jsonl a.jsonl b.jsonl - <b.jsonl >out.jsonl
		if cmp -s out.jsonl staged.jsonl && cmp -s rej.jsonl staged-rej.jsonl; then
			echo "$mode N=$n: identical to staged ($(wc -l <out.jsonl) kept, $(wc -l <rej.jsonl) rejected)"
		else
			echo "$mode N=$n: DIFFERENT"
		fi
	done
done
sach-dedupe --no-near --no-lines --exact-one-pass --rejected rej.jsonl a.jsonl b.jsonl - <b.jsonl >out.jsonl
sach-dedupe --no-near --no-lines --threads 2 --rejected rej2.jsonl a.jsonl b.jsonl - <b.jsonl >out2.jsonl
cmp -s out.jsonl out2.jsonl && cmp -s rej.jsonl rej2.jsonl && echo "exact one pass: identical"
# pre-keys: only the documents in a group need fold keys
sach-dedupe --no-near --no-lines --stats st.json a.jsonl >/dev/null
grep -E '"(documents|exact_duplicates|prekey_members)":' st.json
sach-dedupe --threads x a.jsonl
echo "exit $?"
