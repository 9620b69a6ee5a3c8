# --wordlist LIST=FILE adds users' entries to a built-in list: a good page
# that mentions the added phrase is then flagged; an unknown list name or an
# unreadable file is a usage error (exit 2).
grep '"filter-01"' "$CORPORA/vi-filter-mix.jsonl" >good.jsonl
printf '# words a user wants flagged\nch\341\273\243 qu\303\252\n' >mine.txt
sach-filter -q good.jsonl | wc -l
sach-filter -q --wordlist gambling=mine.txt --rejected rej.jsonl good.jsonl | wc -l
sed 's/.*"sach": //' rej.jsonl
sach-filter -q --wordlist casino=mine.txt good.jsonl
echo "exit $?"
sach-filter -q --wordlist adult=missing.txt good.jsonl
echo "exit $?"
