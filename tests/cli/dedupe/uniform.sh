# Exact only (two passes): a pre-key group whose documents all have one
# text ("uniform") is decided by the text hash without fold keys; any
# other group takes the fold key. The decisions must be those of the fold
# key everywhere (--exact-one-pass folds every document): groups with
# texts A, A, B where B is A with the tone elsewhere (hoa/hoa, thuy/thuy:
# fold-equal, so B is dropped naming the first A), a group whose first
# copy is a bad record (not a document: the first valid copy is kept),
# a decomposed tone mark (another fold key), the same text written with
# escapes, and duplicates across two input files. prekey_uniform counts
# the documents decided by text hash.
A='Ho\u00e0 b\u00ecnh l\u00e0 m\u1ee5c ti\u00eau. Thu\u1ef7 th\u1ee7 \u0111i bi\u1ec3n.'
B='H\u00f2a b\u00ecnh l\u00e0 m\u1ee5c ti\u00eau. Th\u1ee7y th\u1ee7 \u0111i bi\u1ec3n.'
C='M\u1ed9t v\u0103n b\u1ea3n kh\u00e1c, kh\u00f4ng tr\u00f9ng.'
{
	printf '{"id": "b0", "text": "%s x"}\n' "$B"
	printf '{"id": "bad-c", "text": "%s", \n' "$C"
	printf '{"id": "a1", "text": "%s"}\n' "$A"
	printf '{"id": "c1", "text": "%s"}\n' "$C"
	printf '{"id": "a2", "text": "%s"}\n' "$A"
	printf '{"id": "b1", "text": "%s"}\n' "$B"
	printf '{"id": "d1", "text": "thu\\u1ef7 th\\u1ee7"}\n'
	printf '{"id": "a3", "text": "%s"}\n' "$A"
	printf '{"id": "ax", "text": "Hoa\\u0300 b\\u00ecnh l\\u00e0 m\\u1ee5c ti\\u00eau. Thu\\u1ef7 th\\u1ee7 \\u0111i bi\\u1ec3n."}\n'
	printf '{"id": "d2", "text": "thu\\u1ef7 th\\u1ee7"}\n'
	printf '{"id": "c2", "text": "%s", "meta": {"x": 1}}\n' "$C"
	printf '{"id": "b0b", "text": "%s x"}\n' "$B"
	printf '{"id": "d3", "text": "thu\341\273\267 th\341\273\247"}\n'
} >in1.jsonl
{
	printf '{"id": "c3", "text": "%s"}\n' "$C"
	printf '{"id": "b2", "text": "%s"}\n' "$B"
	printf '{"id": "e1", "text": "thuy thu"}\n'
	printf '{"id": "d4", "text": "THU\\u1ef6 TH\\u1ee6"}\n'
} >in2.jsonl
for t in 1 2; do
	sach-dedupe --threads $t --no-near --no-lines --on-error skip --rejected rej$t.jsonl \
		--stats st$t.json in1.jsonl in2.jsonl >out$t.jsonl
	echo "threads $t: exit $?"
done
sach-dedupe --exact-one-pass --no-near --no-lines --on-error skip --rejected rej1p.jsonl \
	in1.jsonl in2.jsonl >out1p.jsonl
cmp out1.jsonl out1p.jsonl && cmp rej1.jsonl rej1p.jsonl && echo "one pass: identical"
cmp out1.jsonl out2.jsonl && cmp rej1.jsonl rej2.jsonl && cmp st1.json st2.json && echo "threads: identical"
grep -o '"id": "[^"]*"' out1.jsonl | tr '\n' ' '; echo
grep -o '"id": "[^"]*"\|"duplicate_of":"[^"]*"' rej1.jsonl | paste -d ' ' - -
grep -E '"(records_in|records_out|rejected|skipped|exact_duplicates|prekey_members|prekey_uniform)":' st1.json
