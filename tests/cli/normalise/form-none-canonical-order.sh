# NFD puts a dot below (U+0323, combining class 220) before a circumflex
# (U+0302, class 230); the two orders are canonically equivalent, so there
# is nothing to repair. Under --form none, NFD text stays byte for byte
# (Viet: e + U+0323 + U+0302) and --explain counts no mark repair.
printf '%s\n' '{"id": "f", "text": "Vie\u0323\u0302t Nam"}' >in.jsonl
sach-normalise --form none in.jsonl | cmp - in.jsonl && echo unchanged
sach-normalise --form none --explain in.jsonl | grep -o '"mark_repairs":[0-9]*'
