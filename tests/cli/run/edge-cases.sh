# Edges: an empty input still gives a complete output (zero shards, counts,
# a manifest that verifies); a corrupt input is a data failure (exit 1) that
# names it and where the loss starts; an output path that is a file is a
# usage error (exit 2); plain text with blank-line documents works; records
# without an id field go to a split by their text.
: >empty.jsonl
printf 'name: e\ninputs: [empty.jsonl]\noutput: o1\nstages: [normalise, dedupe, shard]\n' >e.yaml
sach-run -q e.yaml
echo "empty: exit $?"
ls -A o1
grep -E '"(records|written)"' o1/counts.json
sach-shard --verify o1/manifest.json
echo "verify: exit $?"
printf 'name: c\ninputs: [%s]\noutput: o2\nstages: [normalise]\n' "$CORPORA/vi-corrupt.jsonl.zst" >c.yaml
sach-run -q c.yaml 2>err
echo "corrupt: exit $?"
sed "s|$CORPORA/||" err
touch afile
printf 'name: f\ninputs: [empty.jsonl]\noutput: afile\nstages: [normalise]\n' >f.yaml
sach-run -q f.yaml
echo "file as output: exit $?"
printf 'name: t\ninputs: [{path: %s, format: text, doc_sep: blank}]\noutput: o3\nstages: [normalise, {dedupe: {near: false}}, shard]\n' "$CORPORA/vi-blocks.txt" >t.yaml
sach-run -q t.yaml
echo "text: exit $?"
zstd -dc o3/train-00000-of-00001.jsonl.zst | wc -l
# Records without an id field go to a split by their text, so two part
# sizes (which cut the parts differently) give the same shards.
sed 's/"id": "[^"]*", //' "$CORPORA/vi-clean.jsonl" >noid.jsonl
for ps in 2K 1M; do
	printf 'name: n\ninputs: [noid.jsonl]\noutput: n%s\npart_size: %s\nstages: [normalise, {shard: {split: {train: 0.5, test: 0.5}}}]\n' $ps $ps >n$ps.yaml
	sach-run -q n$ps.yaml || echo "run $ps failed"
done
for f in manifest.json train-00000-of-00001.jsonl.zst test-00000-of-00001.jsonl.zst; do
	cmp -s "n2K/$f" "n1M/$f" && echo "same $f" || echo "differs: $f"
done
grep -c '"id"' noid.jsonl || true
