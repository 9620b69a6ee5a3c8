# An input file that shrinks while it is mapped raises SIGBUS: the tool says
# so, leaves no output file (nor its temporary) and exits 1. The signal is
# sent by hand here (a truncation race would make the case flaky), to a run
# that waits on a FIFO with its -o file already open (one pass: the output
# is opened before the input is read).
mkfifo in.jsonl
sach-dedupe --exact-one-pass --no-near --no-lines -o out.jsonl in.jsonl 2>err & pid=$!
exec 3>in.jsonl
head -n 3 "$CORPORA/vi-clean.jsonl" >&3
sleep 0.3
kill -BUS $pid
wait $pid
echo "exit $?"
exec 3>&-
cat err
ls -A | grep -v -e '^in.jsonl$' -e '^err$' -e '^\.stdout$' -e '^\.stderr$' -e '^\.exit$'
echo done
