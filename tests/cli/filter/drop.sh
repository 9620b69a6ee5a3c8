# Drop mode (the default) on vi-filter-mix.jsonl: the good Vietnamese pages,
# the legal text, the boilerplate-heavy news page and the page with an
# English cookie banner are kept unchanged; gambling spam, the English page,
# khong dau text, mojibake, the repetitive page, the short and menu pages and
# lorem ipsum are dropped; the summary on stderr names the rules.
sach-filter "$CORPORA/vi-filter-mix.jsonl" >out.jsonl
echo "exit $?"
grep -o '"id": "[^"]*", "kind": "[^"]*"' out.jsonl
for id in 01 02 03 06 12 13; do grep "\"filter-$id\"" "$CORPORA/vi-filter-mix.jsonl"; done | cmp - out.jsonl && echo "kept records unchanged"
