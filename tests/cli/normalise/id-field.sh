# Text input written as JSONL: --id-field and --text-field name the two
# fields; the id is FILE:LINE of the document's first line.
printf 'one  line\n\ntwo\n' >in.txt
sach-normalise --format text --output-format jsonl --id-field doc_id --text-field body in.txt
