# Under skip, at most 20 bad-record messages are shown, then one line saying
# the rest are not; the summary still counts all 25.
i=0
while [ $i -lt 25 ]; do
	printf '%s\n' '{"id": 1}' >>in.jsonl
	i=$((i + 1))
done
printf '%s\n' '{"text": "ok"}' >>in.jsonl
sach-normalise --on-error skip in.jsonl 2>err
echo "exit $?"
wc -l <err
tail -n 3 err
