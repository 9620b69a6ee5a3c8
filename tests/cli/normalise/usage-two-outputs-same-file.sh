# Two outputs naming the same file would overwrite each other: usage error.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --rejected r.jsonl --stats r.jsonl in.jsonl
echo "exit $?"
sach-normalise -o out.jsonl --quarantine out.jsonl in.jsonl
echo "exit $?"
ls
