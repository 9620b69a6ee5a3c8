# kill -9 at any moment, then the same command again: the run continues
# from the parts it finished and ends with the same bytes as a run that was
# never interrupted. Each directory is killed twice at different moments.
i=0
while [ $i -lt 40 ]; do
	sed "s/clean-0/c$i-/" "$CORPORA/vi-clean.jsonl"
	i=$((i + 1))
done >in.jsonl
cat "$CORPORA/vi-clean.jsonl" >>in.jsonl
conf() {
	cat <<YAML
name: resume
inputs: [in.jsonl]
output: $1
part_size: 32K
stages:
  - normalise: {tone_style: old}
  - dedupe: {exact: true, near: true, lines: true, line_min_docs: 5, min_words: 5}
  - shard: {max_bytes: 32K, level: 3, split: {train: 0.9, validation: 0.1}, shuffle_seed: 3}
YAML
}
conf ref >ref.yaml
sach-run -q -j 2 ref.yaml || echo "reference run failed"
ls ref | grep -v '^run.log$' >files
interrupted=0
for d1 in 0.02 0.1 0.3; do
	for d2 in 0.05 0.2; do
		dir=k-$d1-$d2
		conf "$dir" >"$dir.yaml"
		sach-run -q -j 2 "$dir.yaml" & pid=$!
		sleep "$d1"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		[ -d "$dir/.sach-work" ] && interrupted=$((interrupted + 1))
		sach-run -q -j 2 "$dir.yaml" & pid=$!
		sleep "$d2"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
		sach-run -q -j 1 "$dir.yaml" || echo "$dir: final run failed"
		ls "$dir" | grep -v '^run.log$' | cmp -s - files || echo "$dir: other files"
		while read -r f; do
			case $f in config.json) continue ;; esac
			cmp -s "ref/$f" "$dir/$f" || echo "$dir/$f differs"
		done <files
		[ -e "$dir/.sach-work" ] && echo "$dir: work directory left"
	done
done
[ $interrupted -gt 0 ] && echo "runs were interrupted"
# Once finished, the same command again has nothing to do.
sach-run -j 2 ref.yaml 2>&1
echo "exit $?"
echo done
# Killed once rejected.jsonl.zst is committed (its part files are gone):
# the resumed run keeps that file and ends with the same bytes.
conf side >side.yaml
sach-run -q -j 2 side.yaml & pid=$!
n=0
while [ ! -e side/.sach-work/side.done ] && [ $n -lt 1000 ]; do sleep 0.005; n=$((n + 1)); done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
sach-run -q -j 2 side.yaml || echo "side: resumed run failed"
while read -r f; do
	case $f in config.json) continue ;; esac
	cmp -s "ref/$f" "side/$f" || echo "side/$f differs"
done <files
# Killed, then the machine restarts (another boot id in the work directory):
# work files are not fsync()ed, so unfinished work from another boot is not
# trusted; it is redone from the start, with the same bytes in the end.
conf boot >boot.yaml
sach-run -q -j 2 boot.yaml & pid=$!
n=0
while [ ! -e boot/.sach-work/p-000000.done ] && [ $n -lt 1000 ]; do sleep 0.005; n=$((n + 1)); done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -f boot/.sach-work/boot ]; then
	echo another-boot >boot/.sach-work/boot
else
	echo "boot: no boot id in the work directory"
fi
sach-run -q -j 2 boot.yaml || echo "boot: run after the restart failed"
echo "boot: resumed $(grep -c 'resumed run' boot/run.log) times"
while read -r f; do
	case $f in config.json) continue ;; esac
	cmp -s "ref/$f" "boot/$f" || echo "boot/$f differs"
done <files
# Unfinished work of an older sach (another work-file format in the state's
# first line, same config): redone from the start, same bytes, no refusal.
conf old >old.yaml
sach-run -q -j 2 old.yaml & pid=$!
n=0
while [ ! -s old/.sach-work/state ] && [ $n -lt 500 ]; do sleep 0.01; n=$((n + 1)); done
kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
if [ -f old/.sach-work/state ]; then
	sed -i '1s/.*/sach-run state 1/' old/.sach-work/state
	rm -f old/.sach-work/*.index
else
	echo "old: the run finished before its state could be aged"
fi
sach-run -q -j 2 old.yaml || echo "old: run over an older work directory failed"
for f in manifest.json counts.json rejected.jsonl.zst; do
	cmp -s "ref/$f" "old/$f" || echo "old/$f differs"
done
echo "older work redone"
