# --keep-newlines keeps CRLF, lone CR, VT, FF, U+2028 and U+2029 as they
# are: with nothing else to do, the records are written back byte for byte,
# and no line break is counted as a space.
printf '%s\n' '{"id": "n", "text": "a\r\nb\rc\u000bd\fe"}' '{"id": "s", "text": "c\u2028d\u2029e"}' >in.jsonl
sach-normalise --keep-newlines in.jsonl | cmp - in.jsonl && echo unchanged
sach-normalise --keep-newlines --explain in.jsonl | grep -o '"spaces_mapped":[0-9]*'
