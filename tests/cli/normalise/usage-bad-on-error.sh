# --on-error takes fail, skip or quarantine.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'ignore' 'warn' ''; do
	sach-normalise --on-error "$v" </dev/null
	echo "exit $?"
done
