# --clean-lines removes boilerplate, policy and javascript lines and English
# lines from Vietnamese pages; the count goes to the meta block and the
# signals are those of the cleaned text (so the news page passes).
sach-filter --clean-lines --quiet --report rep.json "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*"\|"filter":{[^}]*}' out.jsonl | paste - -
grep '"filter-06"' out.jsonl | grep -o '"text": "[^"]*"'
grep -A 10 '"lines_removed": {' rep.json
