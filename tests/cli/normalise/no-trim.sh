# --no-trim keeps spaces at line ends and blank lines at the start and end
# of the text (runs still collapse to one space, and the blank-line cap
# still applies between lines); by default all of it is trimmed.
printf '%s\n' '{"id": "t", "text": "\n  a  b \n\n\n\n  c  \n\n"}' >in.jsonl
sach-normalise --no-trim in.jsonl
sach-normalise in.jsonl
