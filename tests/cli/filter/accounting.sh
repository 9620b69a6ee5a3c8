# Every record is accounted for: records_in = out + rejected + skipped +
# quarantined, the rejected ones are counted by rule, and the tool's own
# counters are in --stats.
sach-filter --quiet --clean-lines --rejected rej.jsonl --stats st.json "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
echo "exit $?"
echo "out $(wc -l <out.jsonl), rejected $(wc -l <rej.jsonl)"
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined|docs_failed|lines_removed)":' st.json
grep -A 9 '"rejected_by_reason"' st.json
awk -F': ' '/^  "records_in":/ { i = $2 + 0 }
	/^  "(records_out|rejected|skipped|quarantined)":/ { s += $2 + 0 }
	END { print (i == s ? "balanced" : "UNBALANCED") }' st.json
