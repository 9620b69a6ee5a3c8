# Under --on-error fail (the default) the first bad record of
# bad-records.jsonl stops the run: FILE:LINE message, exit 1, and the
# output directory holds nothing (no manifest, no shard, no staging).
cp "$CORPORA/bad-records.jsonl" .
sach-shard -o out bad-records.jsonl
echo "exit $?"
ls -A out
