# Text output cannot hold an empty document (it would read as a separator):
# a line that normalises to nothing (only a ZWSP here) is dropped to
# --rejected with reason "empty" and counted as rejected; exit 0.
printf 'a\n\342\200\213\nb\n' >in.txt
sach-normalise --format text --rejected rej.jsonl --stats st.json in.txt
echo "exit $?"
grep -c '"id": "in.txt:2", .*"sach": {"rejected":{"stage":"normalise","reason":"empty"}}}$' rej.jsonl
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
grep -A 1 '"rejected_by_reason"' st.json
