# The soft hyphen U+00AD marks where a word may break; it is always kept,
# with and without --keep-invisible (the record is written back byte for
# byte), and also when the text around it changes.
printf '%s\n' '{"id": "s", "text": "ba ki\u00adl\u00f4\u00adm\u00e9t, \u00f4\u00adt\u00f4"}' >in.jsonl
sach-normalise in.jsonl | cmp - in.jsonl && echo unchanged
sach-normalise --keep-invisible in.jsonl | cmp - in.jsonl && echo unchanged
printf 'ki\302\255l\303\264  m\303\251t\n' | sach-normalise --format text | od -An -c
