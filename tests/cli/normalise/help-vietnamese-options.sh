# --help also describes the Vietnamese layer's options; exit 0, nothing on
# stderr.
sach-normalise --help >out
echo "exit $?"
for opt in --tone-style --input-encoding --no-viet; do
	grep -q -e "$opt" out && echo "$opt: described"
done
