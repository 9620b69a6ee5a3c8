# --on-error skip: the 12 bad records are reported and counted, the 17
# valid ones become shards; --stats balances and gives the split totals.
. "$(dirname "$0")/summary.inc"
cp "$CORPORA/bad-records.jsonl" .
sach-shard -o out --on-error skip --stats st.json bad-records.jsonl
echo "exit $?"
json_objects out
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
grep -A 8 '"shard"' st.json | grep -vE 'compressed_bytes'
