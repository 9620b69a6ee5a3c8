# --entities takes all, numeric or none.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'some' 'named' 'ALL'; do
	sach-normalise --entities "$v" </dev/null
	echo "exit $?"
done
