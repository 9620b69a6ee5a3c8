# The output directory: a directory holding other files is refused (nothing
# is removed); another run's output is refused unless --overwrite; the same
# finished run again has nothing to do.
cp "$CORPORA/vi-clean.jsonl" in.jsonl
printf 'name: a\ninputs: [in.jsonl]\noutput: o\nstages: [normalise]\n' >a.yaml
printf 'name: b\ninputs: [in.jsonl]\noutput: o\nstages: [normalise, shard]\n' >b.yaml
mkdir o && echo mine >o/notes.txt
sach-run -q a.yaml
echo "exit $?"
cat o/notes.txt
rm o/notes.txt
sach-run -q a.yaml
echo "exit $?"
ls -A o
sach-run a.yaml
echo "exit $?"
sach-run -q b.yaml
echo "exit $?"
sach-run -q --overwrite b.yaml
echo "exit $?"
ls -A o
zstd -dc o/train-00000-of-00001.jsonl.zst | wc -l
