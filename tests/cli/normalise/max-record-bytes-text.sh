# The limit applies to text documents too: a long line, and a block
# (--doc-sep blank) whose lines add up to more than the limit.
printf 'short\nthis line is too long\nok\n' | sach-normalise --format text --max-record-bytes 10 --on-error skip
echo "exit $?"
printf 'short\nabc\ndefgh\nijk\n\nok\n' | sach-normalise --format text --doc-sep blank --max-record-bytes 10 --on-error skip
echo "exit $?"
