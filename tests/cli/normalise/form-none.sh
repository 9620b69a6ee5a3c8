# --form none leaves decomposed text decomposed: with nothing else to do,
# the record is written back byte for byte; when another step changes the
# text (a double space here), the combining marks still stay as they were.
printf '%s\n' '{"id": "f", "text": "vie\u0302\u0301t, ho\u0300a, \ufb01"}' >in.jsonl
sach-normalise --form none in.jsonl | cmp - in.jsonl && echo unchanged
printf '%s\n' '{"id": "f", "text": "vie\u0302\u0301t  ho\u0300a"}' | sach-normalise --form none |
	sed 's/.*"text": "\(.*\)"}$/\1/' | od -An -c
