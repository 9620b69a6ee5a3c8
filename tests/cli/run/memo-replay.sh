# Identical texts are judged once: the filter's verdict and the dedupe keys
# of a text are remembered and replayed for another document with the same
# text. A replayed drop must read exactly like a computed one (spam-001 and
# spam-003 have the same text: their rejected records differ only in id),
# and the output must not depend on the number of workers.
conf() {
	cat <<YAML
name: memo
inputs: [$CORPORA/vi-news-demo.jsonl]
output: $1
part_size: 16K
stages:
  - normalise: {tone_style: old}
  - filter: {config: $CORPORA/../configs/filter-vi.yaml}
  - dedupe
  - shard: {max_bytes: 64K, level: 3, split: {train: 0.9, validation: 0.1}}
YAML
}
conf one >one.yaml; conf two >two.yaml
sach-run -q -j 1 one.yaml || echo "run 1 failed"
sach-run -q -j 2 two.yaml || echo "run 2 failed"
for f in $(ls one | grep -v '^run.log$'); do cmp -s "one/$f" "two/$f" || echo "$f differs"; done
zstd -dc one/rejected.jsonl.zst | grep -E '"id": "spam-00[13]"' | sed 's/"id": "spam-00[13]"/"id": "spam"/' | uniq | wc -l
zstd -dc one/rejected.jsonl.zst | grep '"id": "spam-001"' | sed 's/.*"sach": //'
python3 -c '
import json
c = json.load(open("one/counts.json"))
for s in c["stages"]:
    print(s["stage"], s["in"], s["out"], sorted((k, v) for k, v in s.get("rejected", {}).items() if v))
'
