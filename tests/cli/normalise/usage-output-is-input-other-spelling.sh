# The same file named two ways (./in.jsonl and in.jsonl, or through a
# symbolic link) is still both an input and an output: usage error, and the
# input keeps its bytes.
printf '{"id": "a", "text": "x  y"}\n' >in.jsonl
cp in.jsonl orig.jsonl
ln -s in.jsonl link.jsonl
sach-normalise -o ./in.jsonl in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 1 err
sach-normalise -o link.jsonl in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 1 err
sach-normalise --rejected "$PWD/in.jsonl" in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 1 err
cmp in.jsonl orig.jsonl && echo "input untouched"
[ -L link.jsonl ] && echo "link untouched"
