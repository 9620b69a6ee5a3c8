# --quarantine FILE contradicts --on-error skip, in either order. Nothing is
# created.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --quarantine q.txt --on-error skip in.jsonl
echo "exit $?"
sach-normalise --on-error skip --quarantine q.txt in.jsonl
echo "exit $?"
ls
