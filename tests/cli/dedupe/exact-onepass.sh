# Exact only (--no-near --no-lines) runs in one pass, deciding each
# document as it is read; its kept and rejected output and its counts equal
# the staged sign / cluster / apply over N = 1, 2 and 7 parts, and stdin.
# Exact copies are made with case, space and tone-placement changes.
cat "$CORPORA/vi-dedupe-docs.jsonl" "$CORPORA/vi-clean.jsonl" "$CORPORA/vi-news-demo.jsonl" \
	"$CORPORA/vi-dedupe-docs.jsonl" "$CORPORA/vi-clean.jsonl" >all.jsonl
sach-dedupe --no-near --no-lines --rejected rej-one.jsonl --stats st.json all.jsonl >one.jsonl
echo "one-pass exit $? ($(wc -l <one.jsonl) kept, $(wc -l <rej-one.jsonl) rejected)"
grep -E '"(records_in|records_out|rejected|documents|exact_duplicates|duplicates_dropped)":' st.json
for n in 1 2 7; do
	rm -f part.* *.sig
	split -n l/$n -d -a 1 all.jsonl part.
	k=0
	for p in part.*; do
		sach-dedupe sign --no-near --no-lines --part $k -o $k.sig $p || echo "sign $k failed"
		k=$((k + 1))
	done
	sach-dedupe cluster -o drop $(ls *.sig | sort -r) || echo "cluster failed"
	k=0
	: >staged.jsonl
	: >rej.jsonl
	for p in part.*; do
		sach-dedupe apply --part $k --drop-list drop --rejected r.jsonl $p >>staged.jsonl || echo "apply $k failed"
		cat r.jsonl >>rej.jsonl
		k=$((k + 1))
	done
	if cmp -s one.jsonl staged.jsonl && cmp -s rej-one.jsonl rej.jsonl; then
		echo "N=$n: identical"
	else
		echo "N=$n: DIFFERENT"
	fi
done
sach-dedupe --no-near --no-lines <all.jsonl | cmp -s - one.jsonl && echo "stdin: identical"
# Two inputs are parts 0 and 1; the rejected copies name documents of
# the first input.
sach-dedupe --no-near --no-lines --rejected r2.jsonl "$CORPORA/vi-clean.jsonl" all.jsonl >two.jsonl
sach-dedupe sign --no-near --no-lines --part 0 -o a.sig "$CORPORA/vi-clean.jsonl"
sach-dedupe sign --no-near --no-lines --part 1 -o b.sig all.jsonl
sach-dedupe cluster -o drop a.sig b.sig
{ sach-dedupe apply --part 0 --drop-list drop --rejected r0.jsonl "$CORPORA/vi-clean.jsonl"
  sach-dedupe apply --part 1 --drop-list drop --rejected r1.jsonl all.jsonl; } >two-staged.jsonl
cat r0.jsonl r1.jsonl | cmp -s - r2.jsonl && cmp -s two.jsonl two-staged.jsonl &&
	echo "two inputs: identical ($(wc -l <two.jsonl) kept, $(wc -l <r2.jsonl) rejected)"
# Over the --mem budget: a clear error, exit 2, no output file.
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "{\"id\": \"d%d\", \"text\": \"van ban so %d\"}\n", i, i }' >many.jsonl
sach-dedupe --no-near --no-lines --mem 1M -o out.jsonl many.jsonl
echo "exit $?"
ls out.jsonl 2>/dev/null || echo "no output written"
