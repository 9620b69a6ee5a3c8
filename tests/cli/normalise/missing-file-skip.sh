# Under skip a missing input is reported and the other inputs are still
# processed; the exit status is 1 all the same (that input is lost), the
# summary gives the counts and --stats records the error for that input.
printf '%s\n' '{"id": "a", "text": "x"}' >a.jsonl
printf '%s\n' '{"id": "b", "text": "y"}' >b.jsonl
sach-normalise --on-error skip --stats st.json a.jsonl nope.jsonl b.jsonl
echo "exit $?"
grep -E '^  "(records_in|records_out|stream_errors)":|"error":' st.json
