# --form none leaves decomposed text decomposed: with nothing else to do,
# the record is written back byte for byte; when another step changes the
# text, the combining marks still stay where they were.
printf '%s\n' '{"id": "f", "text": "Vie\u0323\u0302t Nam, Vi\u00ea\u0323t, \ufb01"}' >in.jsonl
sach-normalise --form none in.jsonl | cmp - in.jsonl && echo unchanged
printf '%s\n' '{"id": "f", "text": "Vie\u0323\u0302t  Nam"}' | sach-normalise --form none |
	sed 's/.*"text": "\(.*\)"}$/\1/' | od -An -c
