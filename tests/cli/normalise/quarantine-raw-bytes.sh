# A quarantine entry holds the bad record byte for byte (a raw NUL and a raw
# 0xFF here), after a JSON header giving source, line, length and reason.
printf '{"id": "a", "text": "x"}\n{"id": "n", "text": "a\000b\377"}\n{"id": "c", "text": "y"}\n' >in.jsonl
sach-normalise --quarantine q.txt in.jsonl
echo "exit $?"
head -n 1 q.txt
tail -n +2 q.txt | od -An -c
