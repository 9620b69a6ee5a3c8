# --level takes a whole number from 1 to 19.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in '0' '20' '-3' 'abc' '1.5' ''; do
	sach-normalise --level "$v" </dev/null
	echo "exit $?"
done
