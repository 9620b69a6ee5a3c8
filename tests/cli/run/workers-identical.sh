# Output bytes do not depend on the number of workers, nor on the part size
# (small parts make many parts, so the workers really share the work).
for i in 1 2 3 4 5; do cat "$CORPORA/vi-clean.jsonl" "$CORPORA/vi-messy.jsonl"; done >in.jsonl
cat "$CORPORA/vi-clean.jsonl" >>in.jsonl
conf() {
	cat <<YAML
name: same
inputs: [in.jsonl]
output: $1
on_error: quarantine
part_size: $2
stages:
  - normalise: {tone_style: new}
  - dedupe: {exact: true, near: true, lines: true, line_min_docs: 3, min_words: 5}
  - shard: {max_bytes: 16K, level: 3, split: {train: 0.8, test: 0.2}, shuffle_seed: 7}
YAML
}
conf o1 4K >c1.yaml; conf o2 4K >c2.yaml; conf o3 4K >c3.yaml; conf o4 1M >c4.yaml
sach-run -q -j 1 c1.yaml || echo "run 1 failed"
sach-run -q -j 2 c2.yaml || echo "run 2 failed"
sach-run -q -j 7 c3.yaml || echo "run 3 failed"
sach-run -q -j 2 c4.yaml || echo "run 4 failed"
ls o1 | grep -v '^run.log$' >files
wc -l <files
for d in o2 o3 o4; do
	ls "$d" | grep -v '^run.log$' | cmp -s - files || echo "$d: other files"
	while read -r f; do
		case $f in config.json) continue ;; esac
		cmp -s "o1/$f" "$d/$f" || echo "$d/$f differs"
	done <files
done
