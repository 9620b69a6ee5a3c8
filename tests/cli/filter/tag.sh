# Tag mode keeps every document; the meta block says whether it passes,
# names the first failing rule and its value, and holds every signal.
sach-filter --mode tag --quiet "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
echo "exit $?"
wc -l <out.jsonl
grep -o '"id": "[^"]*"\|"filter":{[^}]*}' out.jsonl | paste - -
for key in bytes syllables lang_score wellformed_share dup_5gram_char_share lines_removed curly_lines; do
	n=$(grep -c "\"signals\":{.*\"$key\":" out.jsonl)
	echo "$key in $n records"
done
