# The normaliser's fast paths (SSE2 blocks, table-driven steps) give the
# same bytes as the plain scalar code on every corpus, ours and the shared
# real ones, with the Unicode layer alone and with the Vietnamese layer; and
# the Vietnamese layer gives the same text with and without counts.
set -- "$CORPORA"/*.jsonl
[ -d "$SHARED_CORPORA" ] && set -- "$@" "$SHARED_CORPORA"/*.jsonl.zst
for f in "$@"; do
	for opt in --no-viet --tone-style=new; do
		sach-normalise -q --on-error skip $opt "$f" > fast 2>/dev/null
		sach-normalise-ref -q --on-error skip $opt "$f" > ref 2>/dev/null
		cmp -s fast ref || echo "differs: $(basename "$f") $opt"
	done
	# Without --stats or --explain the Vietnamese layer takes its fast path
	# (no per-syllable counts); the text must be the same.
	sach-normalise -q --on-error skip "$f" > plain 2>/dev/null
	sach-normalise -q --on-error skip --stats st.json "$f" > counted 2>/dev/null
	cmp -s plain counted || echo "differs with --stats: $(basename "$f")"
done
echo done
