# --on-error quarantine on bad-records.jsonl: bad records are handled by the common
# driver (messages with FILE:LINE); valid ones are judged (all are short, so
# dropped to --rejected); --stats balances.
cp "$CORPORA/bad-records.jsonl" .
sach-filter --on-error quarantine --quarantine q.txt --rejected rej.jsonl --stats st.json bad-records.jsonl >out.jsonl
echo "exit $?"
wc -l <out.jsonl
[ -f rej.jsonl ] && wc -l <rej.jsonl
[ -f q.txt ] && grep -c '^# sach-quarantine' q.txt
[ -f st.json ] && grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
[ -f st.json ] && awk -F': ' '/^  "records_in":/ { i = $2 + 0 }
	/^  "(records_out|rejected|skipped|quarantined)":/ { s += $2 + 0 }
	END { print (i == s ? "balanced" : "UNBALANCED") }' st.json
true
