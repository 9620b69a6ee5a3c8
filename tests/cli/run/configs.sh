# Every pipeline config shipped in configs/ is valid (sach-run --check reads
# it all: keys, values, stage sections, the filter config it names, input
# globs), and the default one normalises to the old tone style.
src="$CORPORA/.."
mkdir -p crawl news corpora configs
touch crawl/a.jsonl.zst news/a.jsonl.zst
cp "$CORPORA"/*.jsonl corpora/
cp "$src"/configs/*.yaml configs/
for c in default web news minimal; do
	sach-run --check "configs/$c.yaml" >"$c.json"
	echo "$c: exit $?"
done
python3 -c '
import json
d = json.load(open("default.json"))
print(d["config"]["stages"][0])
'
