# Option combinations that cannot do what they say are usage errors, not
# silently ignored: an ambiguous prefix, --level without compression,
# --tone-style with --no-viet, an explicit --on-error fail with --quarantine.
printf '{"id": "a", "text": "x"}\n' > in.jsonl
sach-normalise --no in.jsonl; echo "exit $?"
sach-normalise --level 5 in.jsonl; echo "exit $?"
sach-normalise --no-viet --tone-style new in.jsonl; echo "exit $?"
sach-normalise --on-error fail --quarantine q in.jsonl; echo "exit $?"
[ ! -e q ] || echo "q was created"
