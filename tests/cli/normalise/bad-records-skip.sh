# --on-error skip: each of the 12 bad records of bad-records.jsonl gets a
# FILE:LINE message and is counted; the 17 valid records (one ends in CRLF)
# come out unchanged; the two blank lines are neither; the summary gives the
# counts by kind; --stats balances: in = out + rejected + skipped +
# quarantined. Exit 0.
cp "$CORPORA/bad-records.jsonl" .
sach-normalise --on-error skip --stats st.json bad-records.jsonl >out.jsonl
echo "exit $?"
grep -a '"id": "bad-ok-' bad-records.jsonl | tr -d '\r' | cmp - out.jsonl && echo "17 valid records unchanged"
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined|blank_lines)":' st.json
grep -A 6 '"bad_records"' st.json
awk -F': ' '/^  "records_in":/ { i = $2 + 0 }
	/^  "(records_out|rejected|skipped|quarantined)":/ { s += $2 + 0 }
	END { print (i == s ? "balanced" : "UNBALANCED") }' st.json
