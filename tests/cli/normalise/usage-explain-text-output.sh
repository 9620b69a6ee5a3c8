# --explain writes a JSON meta block, which text output cannot hold: usage
# error whether text output comes from --format text or --output-format text.
printf 'x\n' >in.txt
sach-normalise --explain --format text in.txt
echo "exit $?"
sach-normalise --explain --output-format text in.txt
echo "exit $?"
sach-normalise --explain --format text --output-format jsonl in.txt >/dev/null
echo "exit $?"
