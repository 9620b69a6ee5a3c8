# --invalid-utf8 repair (the default) writes one U+FFFD per maximal subpart
# of an ill-formed sequence (Unicode 3.9): FF -> 1; E1 BB (truncated) -> 1;
# C0 AF (overlong) -> 2; ED A0 80 (surrogate) -> 3; a stray 80 -> 1. Total 8,
# counted as utf8_repaired (--explain, --stats). vi-invalid-utf8.jsonl has
# the same five cases: 5 records out, valid UTF-8, 8 U+FFFD.
printf '{"id": "u", "text": "a\377b\341\273c\300\257d\355\240\200e\200f"}\n' >in.jsonl
sach-normalise in.jsonl
sach-normalise --invalid-utf8 repair --explain in.jsonl | grep -o '"utf8_repaired":[0-9]*'
sach-normalise --stats st.json "$CORPORA/vi-invalid-utf8.jsonl" >out.jsonl
echo "exit $?"
wc -l <out.jsonl
iconv -f UTF-8 -t UTF-8 out.jsonl >/dev/null && echo "valid UTF-8"
LC_ALL=C grep -o "$(printf '\357\277\275')" out.jsonl | wc -l
grep '"utf8_repaired"' st.json
