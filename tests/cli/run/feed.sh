# Phase A has one reader, which cuts the inputs into parts for every worker.
# Many one-record parts over two inputs, with bad records, give the same
# bytes under 1, 2 and 3 workers; a bad record far into the input under
# on_error: fail stops every thread (no hang) and names the record.
i=0
while [ $i -lt 20 ]; do
	sed "s/clean-0/f$i-/" "$CORPORA/vi-clean.jsonl"
	i=$((i + 1))
done >a.jsonl
conf() { # OUT WORKERS POLICY INPUTS...
	out=$1 j=$2 pol=$3
	shift 3
	printf 'name: feed\ninputs: [%s]\noutput: %s\nworkers: %s\non_error: %s\npart_size: 1\n' \
		"$(echo "$@" | sed 's/ /, /g')" "$out" "$j" "$pol"
	printf 'stages:\n  - normalise: {tone_style: old}\n  - dedupe: {exact: true, near: true}\n'
	printf '  - shard: {max_bytes: 16K}\n'
}
for j in 1 2 3; do
	conf "w$j" "$j" quarantine a.jsonl "$CORPORA/bad-records.jsonl" >"w$j.yaml"
	sach-run -q "w$j.yaml" || echo "workers $j: exit $?"
done
grep -E '"(records|written|quarantined)"' w1/counts.json
for j in 2 3; do
	for f in $(ls w1 | grep -v '^run.log$'); do
		case $f in config.json) continue ;; esac
		cmp -s "w1/$f" "w$j/$f" || echo "workers $j: $f differs"
	done
done
sed -n 's/.*stages done: \([0-9]*\) parts.*/parts: \1/p' w1/run.log
# A bad record at the end of 800 one-record parts, three workers, fail.
cp a.jsonl late.jsonl
echo '{"id": "late", "text": "unterminated' >>late.jsonl
conf late 3 fail late.jsonl >late.yaml
sach-run -q late.yaml
echo "late: exit $?"
[ -e late/manifest.json ] && echo "late: output written"
echo done
