# A JSONL line may end in CRLF; the CR is not part of the record, so an
# unchanged record comes out with LF only.
printf '{"id": "a", "text": "x"}\r\n{"id": "b", "text": "y"}\n' | sach-normalise | od -An -c
