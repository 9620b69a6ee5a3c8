# Invisible format characters are removed by default: BOM (U+FEFF, at the
# start and inside), ZWSP U+200B, LRM U+200E, RLM U+200F, WORD JOINER U+2060,
# and ZWJ U+200D between Latin letters. ZWJ stays where spelling needs it:
# inside an emoji sequence (man + ZWJ + laptop) and in Devanagari (KA +
# VIRAMA + ZWJ + SSA, and KA + ZWJ + SSA).
printf '%s\n' '{"id": "z", "text": "\ufeffa\u200bb\ufeffc\u200ed\u200fe\u2060f x\u200dy \ud83d\udc68\u200d\ud83d\udcbb \u0915\u094d\u200d\u0937 \u0915\u200d\u0937"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --explain in.jsonl | grep -o '"invisible":[0-9]*'
