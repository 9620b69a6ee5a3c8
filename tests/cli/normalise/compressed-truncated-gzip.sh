# A gzip member cut 30 bytes before its end: the first 39 records decode,
# the rest is lost. Exit 1 under fail and under skip; under skip the 39
# records are written, the message says from which line on input is lost,
# and --stats counts a stream error.
cp "$CORPORA/vi-truncated.jsonl.gz" .
sach-normalise vi-truncated.jsonl.gz >out
echo "exit $?"
sach-normalise --on-error skip --stats st.json vi-truncated.jsonl.gz >out
echo "exit $?"
head -n 39 "$CORPORA/vi-clean.jsonl" | cmp - out && echo "first 39 records"
grep -E '^  "(records_in|records_out|stream_errors)":' st.json
