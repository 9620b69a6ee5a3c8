# --on-error quarantine without --quarantine FILE has nowhere to put the
# bad records: usage error before any input is read.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --on-error quarantine in.jsonl
