# C0 controls (BEL, ESC, NUL from \u0000), DEL and C1 controls (U+0080,
# U+009F) are removed by default; TAB and LF are whitespace, not removed.
printf '%s\n' '{"id": "c", "text": "a\u0007b\u001bc\u0000d\u007fe\u0080f\u009fg\th"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --explain in.jsonl | grep -o '"controls":[0-9]*'
