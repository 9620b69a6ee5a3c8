# A UTF-8 byte order mark at the start of the input is not part of the first
# record; NEL (U+0085) is a line break, not a control to delete.
printf '\357\273\277{"id": "b", "text": "m\\u0085n"}\n' > in.jsonl
sach-normalise in.jsonl
printf '\357\273\277mot\nhai\n' > in.txt
sach-normalise --format text --output-format jsonl in.txt
