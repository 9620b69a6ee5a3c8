# "sach" is reserved for the meta block. With --explain, a record whose
# "sach" is not an object cannot take the block: it is a bad record,
# reported as FILE:LINE. Under fail the run stops (exit 1); under skip the
# record is skipped and counted, the others get their block, exit 0.
printf '%s\n' '{"id": "a", "text": "x"}' '{"id": "m", "text": "y", "sach": ["x"]}' \
	'{"id": "n", "text": "z", "sach": "oops"}' '{"id": "b", "text": "w", "sach": {}}' >in.jsonl
sach-normalise --explain in.jsonl
echo "exit $?"
sach-normalise --explain --on-error skip --stats st.json in.jsonl | sed 's/"normalise":{[^}]*}/"normalise":{...}/'
echo "exit $?"
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
