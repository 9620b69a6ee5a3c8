# Writing stdout to a full device is an I/O failure: exit 1 with "No space
# left on device", for a small output as for a larger one.
printf '%s\n' '{"id": "a", "text": "x"}' | sach-normalise >/dev/full
echo "exit $?"
sach-normalise "$CORPORA/vi-clean.jsonl" >/dev/full
echo "exit $?"
