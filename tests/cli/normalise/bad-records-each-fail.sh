# Each kind of bad record in bad-records.jsonl, alone in a file, fails the
# run (exit 1) with its own FILE:LINE message: invalid JSON, trailing
# garbage, top-level array and string, missing text, text that is a number,
# null, array or object, raw NUL, duplicate key, raw control byte.
for n in 2 4 6 8 10 12 14 16 18 22 26 28; do
	sed -n "${n}p" "$CORPORA/bad-records.jsonl" >one.jsonl
	sach-normalise one.jsonl >out
	echo "line $n: exit $? $(wc -c <out)"
done
