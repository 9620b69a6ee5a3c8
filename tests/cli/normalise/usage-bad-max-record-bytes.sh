# --max-record-bytes takes a size from 1 byte to 16G (K, M, G suffixes).
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in '0' '-5' '10X' '1KB' '17G' ''; do
	sach-normalise --max-record-bytes "$v" </dev/null
	echo "exit $?"
done
