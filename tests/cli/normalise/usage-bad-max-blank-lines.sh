# --max-blank-lines takes a whole number from -1 up.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in '-2' 'x' '1.5' '' '2x'; do
	sach-normalise --max-blank-lines "$v" </dev/null
	echo "exit $?"
done
