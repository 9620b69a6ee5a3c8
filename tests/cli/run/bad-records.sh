# Bad records under each error policy: quarantined byte for byte, skipped and
# counted, or the run fails (exit 1) naming the record, leaving no output.
for pol in quarantine skip fail; do
	printf 'name: bad\ninputs: [%s]\noutput: %s\non_error: %s\nstages: [normalise]\n' \
		"$CORPORA/bad-records.jsonl" "$pol" "$pol" >"$pol.yaml"
	sach-run -q "$pol.yaml" 2>err
	echo "$pol: exit $?"
	sed "s|$CORPORA/||" err
	[ -f "$pol/counts.json" ] && grep -E '"(records|written|rejected|skipped|quarantined)"' "$pol/counts.json"
done
zstd -dc quarantine/quarantine.jsonl.zst | grep -c '^# sach-quarantine'
ls -A fail
# The failed run's unfinished work is discarded once the input is fixed.
cp "$CORPORA/bad-records.jsonl" in.jsonl
printf 'name: bad\ninputs: [in.jsonl]\noutput: fixed\nstages: [normalise]\n' >fixed.yaml
sach-run -q fixed.yaml 2>/dev/null
echo "before the fix: exit $?"
cp "$CORPORA/vi-clean.jsonl" in.jsonl
sach-run -q fixed.yaml
echo "after the fix: exit $?"
grep '"written"' fixed/counts.json
