# --quarantine FILE: the 12 bad records go to FILE (header line + raw
# bytes each), the 17 valid ones to the shards; exit 0.
. "$(dirname "$0")/summary.inc"
cp "$CORPORA/bad-records.jsonl" .
sach-shard -o out --quarantine q.txt bad-records.jsonl
echo "exit $?"
json_objects out
grep -c '^# sach-quarantine {"source": "bad-records.jsonl", "line": ' q.txt
sach-shard -q --verify out && echo verified
