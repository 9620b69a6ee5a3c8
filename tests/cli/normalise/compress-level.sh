# --level sets the compression level: zstd at 19 is smaller than at 1, gzip
# at 9 smaller than at 1, and every level decompresses to the same data.
in=$CORPORA/vi-clean.jsonl
sach-normalise --compress zstd --level 1 "$in" >z1
sach-normalise --compress zstd --level 19 "$in" >z19
sach-normalise --compress gzip --level 1 "$in" >g1
sach-normalise --compress gzip --level 9 "$in" >g9
[ "$(wc -c <z19)" -lt "$(wc -c <z1)" ] && echo "zstd 19 < zstd 1"
[ "$(wc -c <g9)" -lt "$(wc -c <g1)" ] && echo "gzip 9 < gzip 1"
for f in z1 z19; do zstd -dc $f | cmp - "$in" && echo "$f: same"; done
for f in g1 g9; do gzip -dc $f | cmp - "$in" && echo "$f: same"; done
