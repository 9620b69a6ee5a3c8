# Two zstd frames (without content size in their headers) and two gzip
# members, each split inside a record, are read whole: 40 records, exactly
# vi-clean.jsonl.
for f in vi-two-frames.jsonl.zst vi-two-members.jsonl.gz; do
	sach-normalise --stats st.json "$CORPORA/$f" | cmp - "$CORPORA/vi-clean.jsonl" && echo "$f: same"
	grep '^  "records_in":' st.json
done
