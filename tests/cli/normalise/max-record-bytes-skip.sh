# Under skip an over-size record is counted as too_large and the records
# after it are read normally (the reader finds the next line). K suffix:
# 1K = 1024 bytes.
printf '%s\n' '{"id":"a","text":"short"}' >in.jsonl
printf '{"id":"b","text":"%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' x)" >>in.jsonl
printf '%s\n' '{"id":"c","text":"ok"}' >>in.jsonl
sach-normalise --max-record-bytes 1K --on-error skip --stats st.json in.jsonl
echo "exit $?"
grep -E '^  "(records_in|records_out|skipped)":|"too_large"' st.json
