# The Slurm engine on a one-node cluster (scripts/slurm-cluster, started in
# this directory on ports of its own): `sach-run --engine slurm --tasks 3
# --wait` runs phase A as a 3-task job array and the finish as a job after
# it, and ends with the same files and bytes as a local run (run.log
# aside); started again on the finished directory it has nothing to do and
# submits nothing; a bad record under on_error: fail makes it exit 1
# without shards or manifest. The cluster needs root: otherwise skipped,
# so stdout has anomalies only (the skipped case prints just "done" too).
if [ "$(id -u)" != 0 ]; then
	# Skipped, said on stderr (not compared); stdout matches the golden.
	echo "skipped: the Slurm test cluster needs root" >&2
	echo done
	exit 0
fi
cluster=$CORPORA/../scripts/slurm-cluster
SLURM_TEST_DIR=$PWD/cluster
SLURM_TEST_CTLD_PORT=16817
SLURM_TEST_SLURMD_PORT=16818
export SLURM_TEST_DIR SLURM_TEST_CTLD_PORT SLURM_TEST_SLURMD_PORT
# The daemons run in the background: stopped however the case ends.
trap '"$cluster" stop >/dev/null 2>&1' EXIT
trap 'exit 1' HUP INT TERM
if ! "$cluster" start 2>start.log; then
	echo "cluster did not start"
	tail -n 5 start.log cluster/log/* 2>/dev/null
	exit 1
fi
eval "$("$cluster" env)"

# Waits (up to 10 s) until the cluster's queue is empty: sbatch --wait can
# return while the finished job is still completing.
settle() {
	n=0
	while [ -n "$(squeue -h -o %A)" ] && [ $n -lt 50 ]; do
		sleep 0.2
		n=$((n + 1))
	done
}
jobs_in() { # STATE: how many jobs the cluster has in that state
	scontrol -o show jobs | grep -c "JobState=$1 "
}
jobs_all() {
	scontrol -o show jobs | grep -c '^JobId='
}

i=0
while [ $i -lt 4 ]; do
	sed "s/clean-0/s$i-/" "$CORPORA/vi-clean.jsonl"
	i=$((i + 1))
done >a.jsonl
conf() { # OUT POLICY INPUTS...
	out=$1 pol=$2
	shift 2
	printf 'name: slurm\ninputs: [%s]\noutput: %s\non_error: %s\npart_size: 4K\n' \
		"$(echo "$@" | sed 's/ /, /g')" "$out" "$pol"
	printf 'stages:\n  - normalise: {tone_style: old}\n  - dedupe: {exact: true, near: true}\n'
	printf '  - shard: {max_bytes: 8K, level: 3, split: {train: 0.9, validation: 0.1}, shuffle_seed: 5}\n'
}
conf ref quarantine a.jsonl "$CORPORA/bad-records.jsonl" >ref.yaml
conf s quarantine a.jsonl "$CORPORA/bad-records.jsonl" >s.yaml
sach-run -q -j 2 ref.yaml || echo "reference run: exit $?"
# A dozen parts or more, so that each task gets several.
parts=$(sed -n 's/.*stages done: \([0-9]*\) parts.*/\1/p' ref/run.log)
[ "${parts:-0}" -ge 12 ] || echo "reference run: ${parts:-no} parts"

# Phase A over 3 array tasks, then the finish.
sach-run -q --engine slurm --tasks 3 --wait -j 1 s.yaml || echo "slurm: exit $?"
settle
n=$(jobs_in COMPLETED)
[ "$n" = 4 ] || echo "slurm: $n jobs completed, not 4 (3 tasks and the finish)"
ls -A ref | grep -v '^run.log$' >ref.files
ls -A s | grep -v '^run.log$' >s.files
cmp -s ref.files s.files || { echo "file lists differ:"; diff ref.files s.files; }
for f in $(cat ref.files); do
	[ -e "s/$f" ] || continue
	cmp -s "ref/$f" "s/$f" || echo "$f differs"
done
[ -e s/.sach-work ] && echo "work directory left"
# The tasks did phase A between them, each part once.
sed -n 's/.*task [0-9] of 3: per-document stages done: \([0-9]*\) of \([0-9]*\) parts.*/\1 \2/p' \
	s/run.log | awk -v want="$parts" '{ n++; sum += $1; if ($2 != want) bad = 1 }
	END { if (n != 3 || sum != want || bad) print "tasks: " n " logged, " sum " parts done, not " want }'

# The same command on the finished directory: nothing to submit.
before=$(jobs_all)
sach-run --engine slurm --tasks 3 --wait -j 1 s.yaml >again.out 2>&1 || echo "again: exit $?"
grep -q 'nothing to do' again.out || echo "again: no \"nothing to do\""
settle
after=$(jobs_all)
[ "$after" = "$before" ] || echo "again: submitted $((after - before)) jobs"

# A bad record at the end of the input under on_error: fail: exit 1, and
# no shards or manifest.
cp a.jsonl late.jsonl
echo '{"id": "late", "text": "unterminated' >>late.jsonl
conf f fail late.jsonl >f.yaml
sach-run -q --engine slurm --tasks 2 --wait -j 1 f.yaml 2>f.err
st=$?
[ $st = 1 ] || echo "fail: exit $st, not 1"
[ -s f.err ] || echo "fail: no message on stderr"
[ -e f/manifest.json ] && echo "fail: manifest written"
ls f 2>/dev/null | grep -E '^(train|validation)-' >/dev/null && echo "fail: shards written"
echo done
