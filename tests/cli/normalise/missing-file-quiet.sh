# -q only hides the messages and summary about skipped records. A missing
# input is lost data, not a skipped record: its message is always shown
# (like a truncated stream's), so an exit status of 1 is never silent.
printf '%s\n' '{"id": "a", "text": "x"}' >a.jsonl
sach-normalise -q --on-error skip a.jsonl nope.jsonl >out
echo "exit $?"
