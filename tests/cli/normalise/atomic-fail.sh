# A failing run (bad record under fail) leaves none of its outputs and no
# temporary .FILE.tmp.* file: new -o, --rejected and --stats files are not
# created, and existing ones keep their old content.
mkdir run && cd run || exit 99
printf '%s\n' '{"id": "a", "text": "x  y"}' '{"id": "b", "text": 1}' >in.jsonl
sach-normalise -o out.jsonl --rejected rej.jsonl --stats st.json in.jsonl
echo "exit $?"
ls -A
echo old-out >out.jsonl
echo old-rej >rej.jsonl
echo old-stats >st.json
sach-normalise -o out.jsonl --rejected rej.jsonl --stats st.json in.jsonl
echo "exit $?"
cat out.jsonl rej.jsonl st.json
ls -A
