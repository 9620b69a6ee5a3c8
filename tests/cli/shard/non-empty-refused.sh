# An output directory that is not empty is refused (exit 2, a clear message,
# nothing touched) unless --overwrite or --resume is given.
mkdir out
echo mine >out/notes.txt
sach-shard -o out "$CORPORA/vi-clean.jsonl"
echo "exit $?"
ls -A out
