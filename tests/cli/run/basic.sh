# A pipeline end to end: normalise, exact dedupe, shards with a manifest.
# Two copies of the clean corpus: the second copy's 40 documents are exact
# duplicates (dropped and named in rejected.jsonl.zst); every record is
# accounted for in counts.json; the manifest verifies.
cp "$CORPORA/vi-clean.jsonl" a.jsonl
cp "$CORPORA/vi-clean.jsonl" b.jsonl
cat >p.yaml <<'YAML'
name: basic
version: "1.0"
inputs: [a.jsonl, b.jsonl]
output: out
workers: 2
stages:
  - normalise: {tone_style: old}
  - dedupe: {exact: true, near: true, lines: false}
  - shard: {max_bytes: 8K, level: 3, split: {train: 0.9, validation: 0.1}}
YAML
sach-run -q p.yaml
echo "exit $?"
ls -A out
cat out/counts.json
sach-shard --verify out/manifest.json >/dev/null
echo "verify exit $?"
zstd -dc out/train-*.jsonl.zst out/validation-*.jsonl.zst | wc -l
zstd -dc out/rejected.jsonl.zst | head -n 1 | sed 's/"text": "[^"]*"/"text": ".."/'
zstd -dc out/rejected.jsonl.zst | grep -c '"reason":"exact-duplicate"'
