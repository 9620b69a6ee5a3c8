# --invalid-utf8 takes repair or reject.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'drop' 'ignore'; do
	sach-normalise --invalid-utf8 "$v" </dev/null
	echo "exit $?"
done
