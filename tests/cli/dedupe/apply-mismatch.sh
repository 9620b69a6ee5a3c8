# apply over a part that is not the one signed is an error (exit 1) and
# leaves no output file: more documents stop the run before anything is
# committed; fewer show at the end, and the written files are removed.
head -20 "$CORPORA/vi-clean.jsonl" >a.jsonl
sach-dedupe sign --part 0 -o a.sig a.jsonl
sach-dedupe cluster -o drop a.sig
head -15 a.jsonl >fewer.jsonl
{ cat a.jsonl; tail -3 "$CORPORA/vi-clean.jsonl"; } >more.jsonl
sach-dedupe apply --part 0 --drop-list drop -o out.jsonl --rejected rej.jsonl fewer.jsonl
echo "fewer: exit $?"
ls out.jsonl rej.jsonl 2>/dev/null || echo "no output written"
sach-dedupe apply --part 0 --drop-list drop -o out.jsonl --rejected rej.jsonl more.jsonl
echo "more: exit $?"
ls out.jsonl rej.jsonl 2>/dev/null || echo "no output written"
sach-dedupe apply --part 0 --drop-list drop -o out.jsonl a.jsonl
echo "same: exit $?"
