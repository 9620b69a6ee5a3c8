# --max-blank-lines N caps runs of blank lines (whitespace-only lines are
# blank): five in a row become 1 by default, 0, 1 or 3 as asked, and stay
# five with -1 (no limit; the record is then written back byte for byte).
printf '%s\n' '{"id": "b", "text": "a\n\n \n\t\n\n\nb\n\nc"}' >in.jsonl
printf '%s\n' '{"id": "b", "text": "a\n\n\n\n\n\nb\n\nc"}' >clean.jsonl
sach-normalise in.jsonl
for n in 0 1 3 -1; do
	sach-normalise --max-blank-lines "$n" in.jsonl
done
sach-normalise --max-blank-lines -1 clean.jsonl | cmp - clean.jsonl && echo unchanged
