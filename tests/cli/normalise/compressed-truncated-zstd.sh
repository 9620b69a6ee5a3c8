# A zstd stream cut inside its only frame: nothing of it can be decoded.
# The message names the file and says the input is lost; exit 1 under fail
# and also under skip (lost data cannot be accounted for), where the summary
# shows the counts.
cp "$CORPORA/vi-truncated.jsonl.zst" .
sach-normalise vi-truncated.jsonl.zst >out
echo "exit $?"
sach-normalise --on-error skip vi-truncated.jsonl.zst >out
echo "exit $?"
wc -l <out
