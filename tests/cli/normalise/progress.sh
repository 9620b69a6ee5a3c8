# --progress shows a progress line on stderr even when stderr is not a
# terminal; it ends with a newline, and stdout holds only the data.
sach-normalise --progress "$CORPORA/vi-clean.jsonl" >out 2>err
echo "exit $?"
cmp out "$CORPORA/vi-clean.jsonl" && echo "stdout: data only"
tail -c 1 err | od -An -c
tr '\r' '\n' <err | grep -c '^sach-normalise: 40 docs, '
