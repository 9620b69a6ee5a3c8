# --no-collapse keeps runs of spaces inside lines (each mapped space counts
# as one); spaces at line ends are still trimmed.
printf '%s\n' '{"id": "s", "text": "  a  b\u00a0\u00a0c \t d  \n  e  "}' >in.jsonl
sach-normalise --no-collapse in.jsonl
sach-normalise in.jsonl
