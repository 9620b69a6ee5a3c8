# --invalid-utf8 reject drops a document with ill-formed UTF-8: it goes to
# --rejected byte for byte with "sach": {"rejected": {"stage": "normalise",
# "reason": "invalid-utf8"}} added, is counted as rejected (not skipped),
# and the run succeeds; the other records go through. On
# vi-invalid-utf8.jsonl all 5 records are rejected and kept whole.
printf '{"id": "u", "text": "a\377b"}\n{"id": "ok", "text": "fine"}\n' >in.jsonl
sach-normalise --invalid-utf8 reject --rejected rej.jsonl --stats st.json in.jsonl
echo "exit $?"
cat rej.jsonl
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
grep -A 1 '"rejected_by_reason"' st.json
awk -F': ' '/^  "records_in":/ { i = $2 + 0 }
	/^  "(records_out|rejected|skipped|quarantined)":/ { s += $2 + 0 }
	END { print (i == s ? "balanced" : "UNBALANCED") }' st.json
sach-normalise --invalid-utf8 reject --rejected rej.jsonl --stats st.json \
	"$CORPORA/vi-invalid-utf8.jsonl" >out.jsonl
echo "exit $?"
wc -l <out.jsonl
sed 's/, "sach": {"rejected":{"stage":"normalise","reason":"invalid-utf8"}}}$/}/' rej.jsonl |
	cmp - "$CORPORA/vi-invalid-utf8.jsonl" && echo "5 originals kept"
grep -E '^  "(records_in|rejected)":' st.json
