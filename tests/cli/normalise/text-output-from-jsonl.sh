# JSONL in, --output-format text out (one document per line): a text with
# line breaks is joined into one line, and an empty text goes to --rejected
# (reason "empty") instead of making an empty line.
printf '%s\n' '{"id": "a", "text": "one\n\ntwo"}' '{"id": "b", "text": ""}' '{"id": "c", "text": "three"}' >in.jsonl
sach-normalise --output-format text --rejected rej.jsonl in.jsonl
echo "exit $?"
cat rej.jsonl
