# Usage errors exit 2 with a hint.
sach-dedupe sign -o x.sig "$CORPORA/vi-clean.jsonl"; echo "exit $?"
sach-dedupe cluster x.sig; echo "exit $?"
sach-dedupe apply --part 0 "$CORPORA/vi-clean.jsonl"; echo "exit $?"
sach-dedupe --update-index "$CORPORA/vi-clean.jsonl"; echo "exit $?"
sach-dedupe --no-exact --no-near --no-lines "$CORPORA/vi-clean.jsonl"; echo "exit $?"
sach-dedupe --bands 0 "$CORPORA/vi-clean.jsonl"; echo "exit $?"
sach-dedupe apply --part 0 --drop-list nothing "$CORPORA/vi-clean.jsonl"; echo "exit $?"
