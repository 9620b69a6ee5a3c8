# An over-size record is quarantined truncated: the header says "bytes": N
# (the first N bytes, which follow), "total_bytes" and "truncated": true.
printf '%s\n' '{"id":"a","text":"short"}' '{"id":"b","text":"0123456789012345678901234567890123456789"}' \
	'{"id":"c","text":"ok"}' >in.jsonl
sach-normalise --max-record-bytes 30 --quarantine q.txt in.jsonl
echo "exit $?"
cat q.txt
head -n 2 in.jsonl | tail -n 1 | head -c 30 >prefix
tail -n +2 q.txt | head -c 30 | cmp - prefix && echo "first 30 bytes"
