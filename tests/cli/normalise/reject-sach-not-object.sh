# A document dropped by the stage (here --invalid-utf8 reject) whose "sach"
# field is not an object cannot carry the rejection meta block in
# --rejected: it is a bad record like any other, reported as FILE:LINE.
# Under fail: exit 1 with that message. Under skip: the run goes on (exit 0,
# the next record is written) and the counts still balance.
printf '{"id": "u", "text": "a\377", "sach": "oops"}\n{"id": "ok", "text": "fine"}\n' >in.jsonl
sach-normalise --invalid-utf8 reject --rejected rej.jsonl in.jsonl 2>err
echo "exit $?"
cat err
sach-normalise --invalid-utf8 reject --rejected rej.jsonl --on-error skip --stats st.json in.jsonl 2>err
echo "exit $?"
head -n 1 err
grep -E '^  "(records_in|records_out)":' st.json
awk -F': ' '/^  "records_in":/ { i = $2 + 0 }
	/^  "(records_out|rejected|skipped|quarantined)":/ { s += $2 + 0 }
	END { print (i == s ? "balanced" : "UNBALANCED") }' st.json
