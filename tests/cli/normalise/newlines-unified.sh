# By default every line break becomes LF: CRLF, lone CR, VT, FF, LINE
# SEPARATOR U+2028; PARAGRAPH SEPARATOR U+2029 ends a paragraph, so it
# becomes a blank line; CRLF blank lines are blank lines for the cap.
printf '%s\n' '{"id": "n", "text": "a\r\nb\rc\u2028d\u2029e\u000bf\u000cg\r\n\r\n\r\nh"}' >in.jsonl
sach-normalise in.jsonl
