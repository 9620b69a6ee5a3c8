# gzip levels go from 1 to 9 (--help: "zstd 1-19, gzip 1-9"): --level 12 with
# gzip output is a usage error (exit 2, message and hint), not a data or I/O
# failure, and no output file is created.
printf '{"id": "a", "text": "x"}\n' >in.jsonl
sach-normalise --compress gzip --level 12 in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 1 err
sach-normalise -o out.jsonl.gz --level 12 in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 1 err
ls
