# --overwrite replaces the shards and manifest of an earlier run (here 4
# shards become 1) and leaves other files alone; the result verifies.
. "$(dirname "$0")/summary.inc"
cp "$CORPORA/vi-clean.jsonl" .
sach-shard -o out --max-bytes 4K vi-clean.jsonl
echo "exit $?"
echo mine >out/notes.txt
ls -A out
sach-shard -o out --overwrite vi-clean.jsonl
echo "exit $?"
ls -A out
sach-shard -q --verify out/manifest.json
echo "verify exit $?"
