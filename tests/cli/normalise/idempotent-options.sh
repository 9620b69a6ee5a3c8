# Idempotence holds under every normalisation option, on vi-messy.jsonl.
for o in "--form nfkc" "--form none" "--entities numeric" "--entities none" \
	"--fold-fullwidth" "--keep-controls" "--keep-invisible" "--keep-spaces" \
	"--no-collapse" "--no-trim" "--keep-newlines" "--max-blank-lines 0" \
	"--max-blank-lines 3" "--max-blank-lines -1" "--no-viet" \
	"--tone-style old" "--tone-style new" "--no-trim --no-collapse --keep-newlines"; do
	sach-normalise $o "$CORPORA/vi-messy.jsonl" >once
	sach-normalise $o once >twice
	if cmp -s once twice; then echo "$o: idempotent"; else echo "$o: NOT idempotent"; fi
done
