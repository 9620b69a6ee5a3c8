# --max-record-bytes N: a record of exactly N bytes is fine; one byte more is
# an error naming its size and the limit. Under fail: exit 1.
printf '%s\n' '{"id":"b","text":"0123456789"}' >ok.jsonl
printf '%s\n' '{"id":"b","text":"01234567890"}' >big.jsonl
sach-normalise --max-record-bytes 30 ok.jsonl
echo "exit $?"
sach-normalise --max-record-bytes 30 big.jsonl
echo "exit $?"
