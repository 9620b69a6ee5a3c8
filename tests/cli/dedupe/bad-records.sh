# Bad records under each --on-error policy, and the accounting:
# records_in = records_out + rejected + skipped + quarantined.
cat "$CORPORA/vi-dedupe-docs.jsonl" "$CORPORA/bad-records.jsonl" "$CORPORA/vi-dedupe-docs.jsonl" >in.jsonl
sach-dedupe --no-lines in.jsonl >out.jsonl 2>err.txt
echo "fail: exit $? $(wc -l <out.jsonl) out"
head -n 1 err.txt
sach-dedupe --no-lines -q --on-error skip --rejected rej.jsonl --stats st.json in.jsonl >out.jsonl
echo "skip: exit $? $(wc -l <out.jsonl) out $(wc -l <rej.jsonl) rejected"
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
sach-dedupe --no-lines --quarantine q.txt --stats st.json in.jsonl >out.jsonl 2>/dev/null
echo "quarantine: exit $? $(wc -l <out.jsonl) out $(grep -c '^# sach-quarantine' q.txt) quarantined"
grep -E '^  "(records_in|records_out|rejected|skipped|quarantined)":' st.json
# The staged run accounts the same way (sign skips what apply quarantines).
sach-dedupe sign --no-lines --on-error skip --part 0 -o 0.sig in.jsonl
sach-dedupe cluster -o drop 0.sig
sach-dedupe apply --part 0 --drop-list drop --quarantine q2.txt in.jsonl 2>/dev/null | cmp -s - out.jsonl && echo "staged: identical"
cmp -s q.txt q2.txt && echo "quarantine: identical"
