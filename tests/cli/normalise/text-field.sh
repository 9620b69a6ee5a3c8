# --text-field NAME normalises that field and leaves "text" alone; a record
# without the named field is a bad record ('no "body" field').
printf '%s\n' '{"id": "d1", "text": "keep  this", "body": "fix  this"}' '{"id": "d2", "text": "x"}' >in.jsonl
sach-normalise --text-field body --on-error skip -q in.jsonl
sach-normalise --text-field body in.jsonl
echo "exit $?"
