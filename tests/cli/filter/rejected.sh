# --rejected gets each dropped record as it was read, with the failing rule
# and its value in "sach": {"filter": ...} and the driver's "rejected" block.
sach-filter --quiet --rejected rej.jsonl "$CORPORA/vi-filter-mix.jsonl" >/dev/null
echo "exit $?"
grep -o '"id": "[^"]*"\|"sach": {.*' rej.jsonl | paste - -
