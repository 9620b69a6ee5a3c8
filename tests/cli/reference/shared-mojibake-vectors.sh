# Every row of ../shared/reference/ref_mojibake_vectors.tsv comes back as
# its correct text through sach-normalise --repair auto (mojibake rows via
# the repair, NCR rows via entity decoding, NFD rows via NFC). The garbled
# column is a Python repr; python3 turns it into the bytes.
ref="$SHARED_CORPORA/../reference/ref_mojibake_vectors.tsv"
if [ ! -f "$ref" ]; then
	echo "skipped: ref_mojibake_vectors.tsv not found"
	exit 0
fi
python3 - "$ref" <<'PY' > rows.tsv
import ast, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    src, seen, garbled, want = line.rstrip("\n").split("\t")
    g = ast.literal_eval(garbled)
    print(src + "\t" + seen + "\t" + g.replace("\n", " ") + "\t" + want)
PY
total=0 ok=0
while IFS="$(printf '\t')" read -r src seen garbled want; do
	total=$((total + 1))
	got=$(printf '%s\n' "$garbled" | sach-normalise --format text --repair auto)
	if [ "$got" = "$want" ]; then ok=$((ok + 1)); else echo "not repaired: $src as $seen: $garbled -> $got"; fi
done < rows.tsv
echo "$ok of $total rows repaired"
[ "$ok" = "$total" ] && echo "all rows repaired"
