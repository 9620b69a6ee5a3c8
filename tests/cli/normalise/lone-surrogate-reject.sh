# A lone surrogate escape is ill-formed text: with --invalid-utf8 reject the
# document goes to --rejected, written as it was read, with the reason.
printf '%s\n' '{"id": "s", "text": "a\ud800b"}' '{"id": "ok", "text": "fine"}' > in.jsonl
sach-normalise --invalid-utf8 reject --rejected rej.jsonl --stats st.json in.jsonl
cat rej.jsonl
grep -E '"(records_in|records_out|rejected)"' st.json
