# --doc-sep takes line or blank.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'para' 'lines'; do
	sach-normalise --doc-sep "$v" </dev/null
	echo "exit $?"
done
