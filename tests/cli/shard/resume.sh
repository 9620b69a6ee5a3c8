# --resume: a directory already complete for the same config and inputs is
# left as it is (exit 0); leftovers of an interrupted run (a staging
# directory, shards renamed without a manifest) are cleared and the run
# done again; a finished run with another config is refused (exit 2).
cp "$CORPORA/vi-clean.jsonl" .
sach-shard -o out --max-bytes 4K vi-clean.jsonl
echo "exit $?"
ls -l --time-style=+%s out/manifest.json | awk '{print $6}' >t1
sleep 1
sach-shard -o out --max-bytes 4K --resume vi-clean.jsonl
echo "exit $?"
ls -l --time-style=+%s out/manifest.json | awk '{print $6}' | cmp -s - t1 && echo "manifest untouched"
sach-shard -o out --max-bytes 8K --resume vi-clean.jsonl
echo "exit $?"
# An interrupted run: what kill -9 could leave.
mkdir -p cut/.sach-shard.tmp
echo junk >cut/.sach-shard.tmp/train-00000.jsonl.zst
echo junk >cut/train-00000-of-00009.jsonl.zst
sach-shard -o cut vi-clean.jsonl
echo "exit $?"
sach-shard -o cut --resume vi-clean.jsonl
echo "exit $?"
ls -A cut
sach-shard --verify cut
echo "exit $?"
