#!/bin/sh
# Runs one CLI golden case: tests/cli/TOOL/NAME.sh, with its expectations in
# NAME.exit (exit status; 0 if absent), NAME.stdout and NAME.stderr (exact
# bytes; not checked if absent). The case runs in a fresh temporary
# directory with the built tools first on PATH, $CORPORA pointing at the
# project's corpora/ and $SHARED_CORPORA at ../shared/corpora (which may be
# absent: cases that use it say "skipped" and pass). Usage: run-case.sh BUILD_TOOLS_DIR SOURCE_ROOT CASE.sh
set -u
tools_dir=$1
src_root=$2
case_file=$3
base=${case_file%.sh}
name=$(basename "$base")

work=$(mktemp -d "${TMPDIR:-/tmp}/sach-cli.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT INT TERM

(
	cd "$work" || exit 99
	PATH="$tools_dir:$PATH" CORPORA="$src_root/corpora" \
		SHARED_CORPORA="$src_root/../shared/corpora" LC_ALL=C.UTF-8 \
		sh "$case_file" >"$work/.stdout" 2>"$work/.stderr" </dev/null
	echo $? >"$work/.exit"
)

fail=0
want_exit=0
[ -f "$base.exit" ] && want_exit=$(cat "$base.exit")
got_exit=$(cat "$work/.exit")
if [ "$got_exit" != "$want_exit" ]; then
	echo "$name: exit status $got_exit, expected $want_exit"
	fail=1
fi
for stream in stdout stderr; do
	if [ -f "$base.$stream" ] && ! cmp -s "$base.$stream" "$work/.$stream"; then
		echo "$name: $stream differs (expected < >, got):"
		diff "$base.$stream" "$work/.$stream" | head -40
		fail=1
	fi
done
if [ "$fail" != 0 ]; then
	echo "--- stderr of $name:"
	head -40 "$work/.stderr"
	exit 1
fi
echo "$name: ok"
exit 0
