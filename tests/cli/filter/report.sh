# --report writes per-rule counts and every signal's distribution as JSON;
# the counts agree with the summary; percentiles are ordered.
sach-filter --report rep.json "$CORPORA/vi-filter-mix.jsonl" >/dev/null
echo "exit $?"
grep -E '^  "(mode|documents|passed|failed)":' rep.json
awk '/"name":/ { name = $2 } /"first_failing":/ { if ($2 + 0 > 0) print name, $2 }' rep.json
grep -c '"p50"' rep.json
awk '/"lang_score": \{/ { on = 1 } on && /"(min|p1|p5|p10|p25|p50|p75|p90|p95|p99|max)":/ {
	v = $2 + 0; if (seen && v < last) bad = 1; last = v; seen = 1 }
	on && /\}/ { on = 0 } END { print (bad ? "lang_score percentiles out of order" : "lang_score percentiles ordered") }' rep.json
