# JSON can spell a lone UTF-16 surrogate (\ud800, \udc00) that is no
# character at all. Like ill-formed UTF-8 it is invalid text: repaired to
# U+FFFD and counted (utf8_repaired), whether or not anything else in the
# text changes, and rejected under --invalid-utf8 reject.
printf '%s\n' '{"id": "s", "text": "a\ud800b"}' >in.jsonl
sach-normalise in.jsonl
sach-normalise --explain in.jsonl | grep -o '"utf8_repaired":[0-9]*'
sach-normalise --invalid-utf8 reject --stats st.json in.jsonl
grep -E '^  "(records_out|rejected)":' st.json
