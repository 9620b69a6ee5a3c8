# Two outputs naming the same file would overwrite each other: usage error,
# nothing created. '-' for --stats or --rejected while the data also goes to
# stdout would mix two outputs in one stream: the same error.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --rejected r.jsonl --stats r.jsonl in.jsonl
echo "exit $?"
sach-normalise -o out.jsonl --quarantine out.jsonl in.jsonl
echo "exit $?"
sach-normalise --stats - in.jsonl
echo "exit $?"
sach-normalise --rejected - in.jsonl
echo "exit $?"
ls
