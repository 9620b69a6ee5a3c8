# --explain appends the meta block "sach": {"normalise": {...}} to each
# record, with the counts of what was done to this document (here: one
# entity, one ZWSP, one NBSP mapped, three space runs collapsed, three edge
# spaces trimmed, one CRLF unified) and what the Vietnamese layer saw.
printf '%s\n' '{"id": "x", "text": "  a  &amp;  b\u200b \u00a0c\r\nd "}' >in.jsonl
sach-normalise --explain in.jsonl
