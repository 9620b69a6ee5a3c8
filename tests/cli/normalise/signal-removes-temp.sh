# A run killed by SIGTERM while writing -o FILE removes its temporary file
# and leaves no FILE. (The shell's own "Terminated" notice is filtered out.)
mkdir run && cd run || exit 99
(
	{ printf '%s\n' '{"id": "a", "text": "x"}'; sleep 3; } | sach-normalise -o out.jsonl &
	pid=$!
	sleep 1
	kill -TERM $pid
	wait $pid
	echo "exit $?"
) 2>../err
grep -v '^Terminated$' ../err >&2
ls -A
