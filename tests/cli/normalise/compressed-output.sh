# Output compression: -o FILE.zst writes zstd and -o FILE.gz gzip (magic
# bytes 28 b5 2f fd and 1f 8b); any other name is plain; --compress zstd /
# gzip compresses stdout (no name to go by) and overrides a plain name;
# --compress none overrides a .zst name. Everything decompresses to the data.
in=$CORPORA/vi-clean.jsonl
sach-normalise -o out.zst "$in" && od -An -tx1 -N4 out.zst
zstd -dc out.zst | cmp - "$in" && echo "-o .zst: same"
sach-normalise -o out.gz "$in" && od -An -tx1 -N2 out.gz
gzip -dc out.gz | cmp - "$in" && echo "-o .gz: same"
sach-normalise -o out.jsonl "$in" && cmp out.jsonl "$in" && echo "-o other name: plain"
sach-normalise --compress zstd "$in" >s1
od -An -tx1 -N4 s1
zstd -dc s1 | cmp - "$in" && echo "stdout zstd: same"
sach-normalise --compress gzip "$in" >s2
od -An -tx1 -N2 s2
gzip -dc s2 | cmp - "$in" && echo "stdout gzip: same"
sach-normalise --compress zstd -o z.jsonl "$in" && od -An -tx1 -N4 z.jsonl
sach-normalise --compress none -o plain.zst "$in" && cmp plain.zst "$in" && echo "--compress none: plain"
