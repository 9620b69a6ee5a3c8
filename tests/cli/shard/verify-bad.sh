# --verify names every mismatch and exits 1: a flipped byte (the last of
# the frame: its checksum), a truncated shard, a missing shard, a shard
# the manifest does not list, and a manifest whose counts were edited.
# Hex checksums and compressed sizes depend on the zstd version, so they
# are masked.
cp "$CORPORA/vi-clean.jsonl" .
sach-shard -o out --max-bytes 2K vi-clean.jsonl
echo "exit $?"
ls out
mask() { sed -e 's/[0-9a-f]\{16\}/HEX/g' -e 's/size [0-9]* bytes, manifest says [0-9]*/size N bytes, manifest says M/'; }
f=out/train-00001-of-00008.jsonl.zst
n=$(wc -c <"$f")
last=$(tail -c 1 "$f" | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $(( (last + 1) % 256 )))" | dd of="$f" bs=1 seek=$((n - 1)) conv=notrunc 2>/dev/null
head -c 100 out/train-00002-of-00008.jsonl.zst >t && mv t out/train-00002-of-00008.jsonl.zst
rm out/train-00004-of-00008.jsonl.zst
cp out/train-00000-of-00008.jsonl.zst out/train-00008-of-00009.jsonl.zst
sach-shard --verify out/manifest.json 2>&1 | mask
sach-shard --verify out/manifest.json >/dev/null 2>&1
echo "exit $?"
# Counts edited in the manifest of an intact copy.
sach-shard -o good --max-bytes 2K vi-clean.jsonl
sed -i '0,/"documents": \([0-9]*\)/s//"documents": 99/' good/manifest.json
sach-shard --verify good 2>&1 | mask
sach-shard --verify good >/dev/null 2>&1
echo "exit $?"
sach-shard --verify nowhere.json
echo "exit $?"
