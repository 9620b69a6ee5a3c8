# --keep-cluster-info: members of clusters (kept and dropped) carry the
# cluster id (from the kept document's key) and the cluster size.
sach-dedupe --no-lines --keep-cluster-info --rejected rej.jsonl "$CORPORA/vi-dedupe-docs.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"\|"sach": .*' out.jsonl | grep -B1 '"sach"'
grep -o '"sach": .*' rej.jsonl
