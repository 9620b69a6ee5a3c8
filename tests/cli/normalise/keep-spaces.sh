# --keep-spaces keeps NBSP, IDEOGRAPHIC SPACE and TAB as they are (the record
# is written back byte for byte); runs of ASCII spaces still collapse.
printf '%s\n' '{"id": "s", "text": "a\u00a0b\u3000c\td"}' >in.jsonl
sach-normalise --keep-spaces in.jsonl | cmp - in.jsonl && echo unchanged
printf 'a\302\240b\343\200\200c\td  e\n' | sach-normalise --format text --keep-spaces | od -An -c
