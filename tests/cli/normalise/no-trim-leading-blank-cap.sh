# With --no-trim the blank lines at the start of the text are kept, but the
# --max-blank-lines cap holds there too: "\n\n\na" starts with three blank
# lines, capped to one (default) or none (--max-blank-lines 0), the same as
# the run of three between "a" and "b".
printf '%s\n' '{"id": "t", "text": "\n\n\na\n\n\n\nb"}' >in.jsonl
sach-normalise --no-trim in.jsonl
sach-normalise --no-trim --max-blank-lines 0 in.jsonl
