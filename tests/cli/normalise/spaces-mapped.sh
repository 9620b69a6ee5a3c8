# By default NBSP U+00A0, EM SPACE U+2003, THIN SPACE U+2009, NARROW NBSP
# U+202F, IDEOGRAPHIC SPACE U+3000 and TAB become ASCII spaces, and runs of
# spaces collapse to one.
printf '%s\n' '{"id": "s", "text": "a\u00a0b\u2003c\u2009d\u202fe\u3000f\tg \u00a0 h"}' >in.jsonl
sach-normalise in.jsonl
