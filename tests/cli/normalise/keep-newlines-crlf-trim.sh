# --keep-newlines only keeps the kind of line break; the other rules still
# see CRLF lines as lines: spaces before a CRLF are trimmed, CRLF blank lines
# are capped, and the line break at the end of the text is trimmed whole (a
# CRLF must never be cut down to a lone CR). Expected: what the default
# gives (a\n\nb) with CRLF for LF.
printf '%s\n' '{"id": "n", "text": "a  \r\n\r\n\r\n\r\nb  \r\n"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --keep-newlines in.jsonl
