# Usage errors: exit 2, "sach-shard: MESSAGE" and the hint on stderr,
# nothing written.
sach-shard </dev/null; echo "exit $?"
sach-shard -o - </dev/null; echo "exit $?"
sach-shard -o out --split train=0.5 </dev/null; echo "exit $?"
sach-shard -o out --split train=0.5,train=0.5 </dev/null; echo "exit $?"
sach-shard -o out --split bad-name=1 </dev/null; echo "exit $?"
sach-shard -o out --split train=0 </dev/null; echo "exit $?"
sach-shard -o out --max-bytes 0 </dev/null; echo "exit $?"
sach-shard -o out --max-bytes 12Q </dev/null; echo "exit $?"
sach-shard -o out --level 20 </dev/null; echo "exit $?"
sach-shard -o out --compress gzip </dev/null; echo "exit $?"
sach-shard -o out --output-format text </dev/null; echo "exit $?"
sach-shard -o out --shuffle-seed -1 </dev/null; echo "exit $?"
sach-shard -o out --resume --overwrite </dev/null; echo "exit $?"
sach-shard --verify m.json in.jsonl </dev/null; echo "exit $?"
sach-shard --bogus </dev/null; echo "exit $?"
ls -A
