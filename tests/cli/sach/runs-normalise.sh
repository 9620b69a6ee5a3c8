# "sach normalise ARGS" runs sach-normalise ARGS: same output, same exit
# status, same messages (which name sach-normalise).
printf '{"id": "a", "text": "  x  &amp;  y  "}\n' >in.jsonl
sach normalise --version
sach normalise in.jsonl
echo "exit $?"
sach normalise --entities none <in.jsonl
echo "exit $?"
sach normalise --form nfd in.jsonl
echo "exit $?"
sach normalise --help | head -n 1
