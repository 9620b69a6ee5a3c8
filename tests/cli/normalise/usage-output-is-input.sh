# A file given both as an input and as any output (-o, --rejected,
# --quarantine, --stats) is a usage error; the input is left untouched.
printf '{"id": "a", "text": "x  y"}\n' >in.jsonl
cp in.jsonl orig.jsonl
sach-normalise -o in.jsonl in.jsonl
echo "exit $?"
sach-normalise --rejected in.jsonl in.jsonl
echo "exit $?"
sach-normalise --quarantine in.jsonl in.jsonl
echo "exit $?"
sach-normalise --stats in.jsonl in.jsonl
echo "exit $?"
cmp in.jsonl orig.jsonl && echo "input untouched"
