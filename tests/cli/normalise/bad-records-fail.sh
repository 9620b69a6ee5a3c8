# Under the default policy (fail) the first bad record (line 2 of
# bad-records.jsonl, unterminated string) stops the run: FILE:LINE message,
# exit 1, and no output file (nor temporary file) is left.
mkdir run && cd run || exit 99
cp "$CORPORA/bad-records.jsonl" .
sach-normalise -o out.jsonl --stats st.json bad-records.jsonl
echo "exit $?"
ls -A
