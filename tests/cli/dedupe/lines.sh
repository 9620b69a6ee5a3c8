# Repeated lines: a line in at least --line-min-docs kept documents is
# removed from all of them; a document left with fewer than --min-words
# words is dropped with reason too-short-after-lines.
sach-dedupe --line-min-docs 3 --rejected rej.jsonl --stats st.json "$CORPORA/vi-dedupe-docs.jsonl" >out.jsonl
echo "exit $?"
grep -c 'Xem th' out.jsonl
grep -o '"id": "dd-16"\|"reason":"[^"]*"' rej.jsonl | tr '\n' ' '; echo
grep -E '"(repeated_lines|lines_removed|docs_changed|too_short_after_lines)":' st.json
# Below the threshold nothing is removed.
sach-dedupe --line-min-docs 7 "$CORPORA/vi-dedupe-docs.jsonl" | grep -c 'Xem th'
