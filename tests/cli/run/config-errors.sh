# Config mistakes are usage errors (exit 2) that point at file:line:column.
touch in.jsonl
t() {
	cat >c.yaml
	sach-run c.yaml
	echo "exit $?"
}
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstagse: []\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstages:\n  - normalise: {tone_style: sideways}\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstages:\n  - dedupe: {bnads: 3}\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstages:\n  - shard\n  - normalise\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstages:\n  - translate\n' | t
printf 'name: x\ninputs: [nothing-*.jsonl]\noutput: o\nstages: [normalise]\n' | t
printf 'inputs: [in.jsonl]\noutput: o\nstages: [normalise]\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nworkers: lots\nstages: [normalise]\n' | t
printf 'name: x\ninputs: [in.jsonl]\noutput: o\nstages:\n  - shard: {split: {train: 0.5, test: 0.4}}\n' | t
printf 'name: &a x\ninputs: [in.jsonl]\noutput: o\nstages: [normalise]\n' | t
printf 'name: x\ninputs: [in.jsonl\noutput: o\n' | t
sach-run missing.yaml
echo "exit $?"
sach-run
echo "exit $?"
sach-run --workers 0 c.yaml
echo "exit $?"
ls
