# A config lists only what it changes: turning the language rule off and
# raising the minimum length changes the verdicts; --mode overrides the
# config's mode.
printf '# overrides\nmode: tag\nrules:\n  vi_min_lang_score: false\n  vi_min_line_share: false\n  gopher_min_syllables: {min: 60}\n' >c.yaml
sach-filter --config c.yaml --mode drop --rejected rej.jsonl "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"' out.jsonl
grep -o '"id": "[^"]*"\|"filter":{[^}]*}' rej.jsonl | paste - -
