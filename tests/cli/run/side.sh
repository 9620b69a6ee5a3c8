# With more than one worker, rejected.jsonl.zst and quarantine.jsonl.zst are
# written on a thread of their own from the start of the run, each part's
# filter rejects (and bad records) taken as soon as phase A finished it.
# Over 170 one-record parts, far more than can be finished before that
# thread reaches them, both files must hold every record, in part order:
# the same bytes under 1 and 2 workers, and as many lines as counts.json
# says were rejected and quarantined; killed part way and resumed, the
# run ends with the same bytes.
i=0
while [ $i -lt 12 ]; do
	sed "s/\"id\": \"/\"id\": \"r$i-/" "$CORPORA/vi-filter-mix.jsonl"
	i=$((i + 1))
done >mix.jsonl
conf() { # OUT WORKERS
	printf 'name: side\ninputs: [mix.jsonl, %s]\noutput: %s\nworkers: %s\n' \
		"$CORPORA/bad-records.jsonl" "$1" "$2"
	printf 'on_error: quarantine\npart_size: 1\nstages:\n'
	printf '  - normalise: {tone_style: old}\n'
	printf '  - filter: {config: %s}\n' "$CORPORA/../configs/filter-vi.yaml"
	printf '  - dedupe: {exact: true, near: false, lines: false}\n'
	printf '  - shard: {max_bytes: 64K}\n'
}
for j in 1 2; do
	conf "w$j" "$j" >"w$j.yaml"
	sach-run -q "w$j.yaml" || echo "workers $j: exit $?"
done
sed -n 's/.*stages done: \([0-9]*\) parts.*/parts: \1/p' w1/run.log
for j in 2; do
	for f in rejected.jsonl.zst quarantine.jsonl.zst counts.json manifest.json; do
		cmp -s "w1/$f" "w$j/$f" || echo "workers $j: $f differs"
	done
done
python3 -c '
import json
c = json.load(open("w2/counts.json"))
print("rejected", c["rejected"], "quarantined", c["quarantined"])
'
# a quarantined record is a "# sach-quarantine" line and the record
echo "lines: rejected $(zstd -dc w2/rejected.jsonl.zst | wc -l) quarantined $(zstd -dc w2/quarantine.jsonl.zst | grep -c '^# sach-quarantine ')"
# the filter's rejects come first, in input order, then the dedupe's
zstd -dc w2/rejected.jsonl.zst | python3 -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
stages = [r["sach"]["rejected"]["stage"] for r in recs]
ids = [r["id"] for r in recs if r["sach"]["rejected"]["stage"] == "filter"]
src = []
for name in ["mix.jsonl", sys.argv[1]]:
    for l in open(name, encoding="utf-8", errors="replace"):
        try:
            src.append(json.loads(l)["id"])
        except Exception:
            pass
print("filter then dedupe:", stages == sorted(stages, key=lambda s: s != "filter"), stages.count("filter"), stages.count("dedupe"))
print("filter rejects in input order:", ids == [i for i in src if i in set(ids)])
' "$CORPORA/bad-records.jsonl"
# Killed while that thread is part way through the parts, then resumed:
# the same bytes.
conf k 2 >k.yaml
sach-run -q k.yaml & pid=$!
sleep 0.5; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
[ -d k/.sach-work ] || echo "k: the run finished before it was killed"
sach-run -q k.yaml || echo "k: resumed run failed"
for f in rejected.jsonl.zst quarantine.jsonl.zst counts.json manifest.json; do
	cmp -s "w1/$f" "k/$f" || echo "k: $f differs"
done
echo done
