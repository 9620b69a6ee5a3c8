# --form takes nfc, nfkc or none.
# Each bad value: exit 2, "sach-normalise: MESSAGE" and the hint on
# stderr, nothing on stdout.
for v in 'nfd' 'nfkd' 'NFC'; do
	sach-normalise --form "$v" </dev/null
	echo "exit $?"
done
