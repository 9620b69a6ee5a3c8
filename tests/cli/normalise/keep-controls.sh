# --keep-controls keeps every control character: nothing else to do here,
# so the record is written back byte for byte.
printf '%s\n' '{"id": "c", "text": "a\u0007b\u001bc\u0000d\u007fe\u0080f\u009fg"}' >in.jsonl
sach-normalise --keep-controls in.jsonl | cmp - in.jsonl && echo unchanged
