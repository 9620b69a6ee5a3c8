# Config errors exit 2 with FILE:LINE:COLUMN: an unknown key, an unknown
# rule, a max for a min rule, a value that is not a number, YAML syntax, a
# missing file; --mode with a bad value is a usage error.
printf 'mode: drop\nthreshold: 3\n' >unknown-key.yaml
printf 'rules:\n  vi_min_lang_scor: {min: 0.5}\n' >unknown-rule.yaml
printf 'rules:\n  vi_min_lang_score: {max: 0.5}\n' >direction.yaml
printf 'rules:\n  gopher_min_syllables: {min: many}\n' >not-number.yaml
printf 'clean_lines:\n  enabled: true\n  policy: [\n' >syntax.yaml
for f in unknown-key unknown-rule direction not-number syntax missing; do
	sach-filter --config $f.yaml "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
	echo "$f: exit $?, $(wc -c <out.jsonl) bytes out"
done
sach-filter --mode keep "$CORPORA/vi-filter-mix.jsonl"
echo "mode: exit $?"
sach-filter --mode tag --output-format text "$CORPORA/vi-filter-mix.jsonl"
echo "tag text: exit $?"
