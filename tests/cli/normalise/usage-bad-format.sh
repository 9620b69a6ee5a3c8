# --format and --output-format take jsonl or text.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'xml' 'JSONL' ''; do
	sach-normalise --format "$v" </dev/null
	echo "exit $?"
done
for v in 'csv' ''; do
	sach-normalise --output-format "$v" </dev/null
	echo "exit $?"
done
