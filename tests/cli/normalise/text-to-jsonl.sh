# --output-format jsonl from text input: each document becomes
# {"id": "FILE:LINE", "text": ...}, LINE being its first line (lines: 1, 2,
# ... with the blank lines 9, 17 and 23 skipped; blocks: 1, 5, 10, ...).
sach-normalise --format text --output-format jsonl "$CORPORA/vi-lines.txt" >lines.jsonl
wc -l <lines.jsonl
sed 's/^{"id": "\([^"]*\)", "text": ".*"}$/\1/' lines.jsonl | sed "s|^$CORPORA/||" | tr '\n' ' '
echo
sach-normalise --format text --doc-sep blank --output-format jsonl "$CORPORA/vi-blocks.txt" |
	sed 's/^{"id": "\([^"]*\)", "text": ".*"}$/\1/' | sed "s|^$CORPORA/||" | tr '\n' ' '
echo
printf 'x\n' | sach-normalise --format text --output-format jsonl
