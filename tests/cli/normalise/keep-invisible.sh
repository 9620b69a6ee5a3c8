# --keep-invisible keeps BOM, ZWSP, LRM, RLM, WORD JOINER and every ZWJ: the
# record is written back byte for byte.
printf '%s\n' '{"id": "z", "text": "\ufeffa\u200bb\ufeffc\u200ed\u200fe\u2060f x\u200dy"}' >in.jsonl
sach-normalise --keep-invisible in.jsonl | cmp - in.jsonl && echo unchanged
