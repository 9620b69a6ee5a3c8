# '-' as --stats (or --rejected) while the data also goes to stdout would mix
# two outputs in one stream: usage error, like two outputs naming one file.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --stats - in.jsonl
echo "exit $?"
sach-normalise --rejected - in.jsonl
echo "exit $?"
