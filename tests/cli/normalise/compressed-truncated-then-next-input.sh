# Under skip, an input cut short does not stop the run: the next input is
# still read, then the exit status is 1 for the lost data.
cp "$CORPORA/vi-truncated.jsonl.zst" .
printf '%s\n' '{"id": "after", "text": "x"}' >after.jsonl
sach-normalise --on-error skip -q vi-truncated.jsonl.zst after.jsonl
echo "exit $?"
