# Input from stdin: the manifest records "<stdin>" with the bytes read and
# no checksum (a pipe cannot be read twice); one split "train" by default;
# `sach shard` runs the same tool.
. "$(dirname "$0")/summary.inc"
cat "$CORPORA/vi-clean.jsonl" | sach shard -o out
echo "exit $?"
grep -A 4 '"inputs"' out/manifest.json
grep -A 7 '"splits": {' out/manifest.json | grep -v compressed_bytes
sach-shard --help | head -2
echo "exit $?"
