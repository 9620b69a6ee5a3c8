# Shards of corpora/vi-clean.jsonl (40 documents) capped at 4K of
# uncompressed JSONL, split 90/10 by id hash: names in the Hugging Face
# convention, every line a JSON object, the records byte for byte as read,
# the manifest (less its zstd-dependent fields), and --verify says OK.
. "$(dirname "$0")/summary.inc"
cp "$CORPORA/vi-clean.jsonl" .
sach-shard -o out --max-bytes 4K --split train=0.9,validation=0.1 --name demo \
	--dataset-version 1.0 vi-clean.jsonl
echo "exit $?"
summarise out
json_objects out
for f in out/*.jsonl.zst; do zstd -dcq "$f"; done | sort | cmp - "$(sort vi-clean.jsonl >sorted; echo sorted)" &&
	echo "same records as the input"
sach-shard --verify out/manifest.json
echo "exit $?"
sach-shard --verify out
echo "exit $?"
