# -o naming something that is not a regular file (a FIFO here; /dev/null or
# /dev/stdout alike) cannot be replaced by rename: the data must be written
# into it, and the FIFO itself must stay a FIFO.
printf '%s\n' '{"id": "a", "text": "x"}' >in.jsonl
mkfifo p
(
	timeout 20 cat p >got &
	reader=$!
	timeout 20 sach-normalise -o p in.jsonl
	echo "exit $?"
	if [ -p p ]; then
		echo "p is still a FIFO"
	else
		echo "p was replaced"
		kill $reader
	fi
	wait $reader
) 2>err
grep -v '^Terminated$' err >&2
cmp got in.jsonl && echo "data went through the FIFO"
