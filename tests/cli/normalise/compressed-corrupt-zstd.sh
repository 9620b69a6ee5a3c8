# A zstd frame with 8 bytes overwritten: the checksum/decoder reports data
# corruption; the message names the file and says the input is lost. Exit 1
# under fail, skip and quarantine alike (there is no record to quarantine).
cp "$CORPORA/vi-corrupt.jsonl.zst" .
sach-normalise vi-corrupt.jsonl.zst >out
echo "exit $?"
sach-normalise --on-error skip vi-corrupt.jsonl.zst >out
echo "exit $?"
sach-normalise --quarantine q.txt vi-corrupt.jsonl.zst >out
echo "exit $?"
wc -c <q.txt
