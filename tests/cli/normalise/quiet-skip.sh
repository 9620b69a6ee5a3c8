# -q / --quiet: no messages and no summary about skipped records; the run
# still succeeds and --stats still counts them.
cp "$CORPORA/bad-records.jsonl" .
sach-normalise -q --on-error skip --stats st.json bad-records.jsonl >out.jsonl
echo "exit $?"
sach-normalise --quiet --quarantine q.txt bad-records.jsonl >out.jsonl
echo "exit $?"
grep -E '^  "(records_in|skipped)":' st.json
