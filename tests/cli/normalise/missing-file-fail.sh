# A missing input under the default policy (fail): message naming the file
# and the reason, exit 1, and no -o output left behind.
printf '%s\n' '{"id": "a", "text": "x"}' >a.jsonl
sach-normalise -o out.jsonl a.jsonl nope.jsonl
echo "exit $?"
ls
