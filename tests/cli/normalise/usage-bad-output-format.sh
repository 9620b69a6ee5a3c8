# --output-format takes jsonl or text.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'csv' ''; do
	sach-normalise --output-format "$v" </dev/null
	echo "exit $?"
done
