# --compress takes none, gzip or zstd.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'bz2' 'xz' ''; do
	sach-normalise --compress "$v" </dev/null
	echo "exit $?"
done
