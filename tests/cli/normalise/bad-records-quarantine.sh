# --on-error quarantine --quarantine FILE: the 12 bad records of
# bad-records.jsonl go to FILE, each as a header line
#   # sach-quarantine {"source": ..., "line": N, "bytes": LEN, "reason": ...}
# then exactly LEN raw bytes (the whole line, NUL and control bytes
# included) and "\n". Every entry is checked against the source line.
cp "$CORPORA/bad-records.jsonl" .
sach-normalise --on-error quarantine --quarantine q.txt --stats st.json bad-records.jsonl >out.jsonl
echo "exit $?"
wc -l <out.jsonl
grep -c '^# sach-quarantine {"source": "bad-records.jsonl", "line": [0-9]*, "bytes": [0-9]*, "reason": ' q.txt
off=0
total=$(wc -c <q.txt)
while [ "$off" -lt "$total" ]; do
	tail -c +$((off + 1)) q.txt | head -n 1 >hdr
	hlen=$(wc -c <hdr)
	line=$(sed 's/.*"line": \([0-9]*\),.*/\1/' hdr)
	len=$(sed 's/.*"bytes": \([0-9]*\),.*/\1/' hdr)
	tail -c +$((off + hlen + 1)) q.txt | head -c $((len + 1)) >entry
	if sed -n "${line}p" bad-records.jsonl | cmp -s - entry; then
		echo "line $line: $len bytes, same"
	else
		echo "line $line: $len bytes, DIFFERENT"
	fi
	off=$((off + hlen + len + 1))
done
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
