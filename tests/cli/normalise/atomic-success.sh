# A successful run replaces -o FILE (and the side outputs) with the new
# content and leaves no temporary file; nothing goes to stdout or stderr.
mkdir run && cd run || exit 99
printf '%s\n' '{"id": "a", "text": "x  y"}' >in.jsonl
echo old >out.jsonl
sach-normalise -o out.jsonl --rejected rej.jsonl --stats st.json in.jsonl
echo "exit $?"
cat out.jsonl
wc -c <rej.jsonl
ls -A
