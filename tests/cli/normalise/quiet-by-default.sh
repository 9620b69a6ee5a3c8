# Without --progress, and with stderr not a terminal, a successful run
# prints nothing on stderr (no progress, no summary).
sach-normalise "$CORPORA/vi-messy.jsonl" >out
echo "exit $?"
sach-normalise --format text "$CORPORA/vi-lines.txt" >out
echo "exit $?"
