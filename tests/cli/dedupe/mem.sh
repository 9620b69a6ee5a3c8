# --mem: the budget is honoured; a corpus that does not fit is a clear
# error (exit 2) before anything is written; peak_bytes stays under it.
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "{\"id\": \"d%d\", \"text\": \"van ban so %d cua bo thu %d\"}\n", i, i, i % 7 }' >many.jsonl
sach-dedupe --mem 1M -o out.jsonl many.jsonl
echo "exit $?"
ls out.jsonl 2>/dev/null || echo "no output written"
sach-dedupe --mem 64M --stats st.json -o out.jsonl many.jsonl
echo "exit $?"
awk '/"peak_bytes"/ { gsub(/[^0-9]/, ""); print ($0 > 0 && $0 <= 64 * 1048576) ? "peak within budget" : "peak " $0 }' st.json
sach-dedupe --mem 12 many.jsonl
echo "exit $?"
