#!/usr/bin/env bash
# Benchmark: the default pipeline (configs/default.yaml: normalise + filter +
# exact, near and repeated-line dedupe + shuffled shards) end to end with
# sach-run, on ../shared/corpora/viwiki.jsonl.zst repeated to about 250 MB
# (REPEAT, default 3) and recompressed, with 1 and 2 workers. Prints MB/s
# (uncompressed JSONL in), MB/s per core, the speed-up on 2 workers, peak
# memory, and the I/O floor: `zstd -dc | wc -c` on the same file. Each
# setting runs RUNS times (default 3), the two alternating so that a change
# in the machine's load falls on both; the medians are printed, and every
# pair's own speed-up. The outputs of the runs are compared byte for byte.
# Not a test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
corpus=${SACH_CORPUS:-$root/../shared/corpora/viwiki.jsonl.zst}
repeat=${REPEAT:-3}
runs=${RUNS:-3}
tool=${SACH_RUN:-$root/build/tools/sach-run}

[ -x "$tool" ] || { echo "bench: build first (scripts/setup)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "bench: $corpus not found" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sach-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
input=$tmp/input.jsonl.zst
for _ in $(seq "$repeat"); do zstd -dc "$corpus"; done | zstd -q -3 -T0 -o "$input"
bytes=$(zstd -dc "$input" | wc -c)

# The default config with this input and a scratch output directory.
config() {
  sed -e "/^inputs:/,/^output:/c\\
inputs: [$input]\\
output: $tmp/$1" "$root/configs/default.yaml" > "$tmp/$1.yaml"
}

run() { # NAME WORKERS -> wall seconds; "wall rss(KiB) cpu" appended to $tmp/NAME.runs
  config "$1"
  rm -rf "$tmp/$1"
  (cd "$root" && /usr/bin/time -f '%e %M %U %S' -o "$tmp/$1.time" "$tool" -q -j "$2" "$tmp/$1.yaml")
  awk '{print $1, $2, $3 + $4}' "$tmp/$1.time" >> "$tmp/$1.runs"
  cut -d' ' -f1 "$tmp/$1.time"
}
median() { # FILE COLUMN
  sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'
}

echo "input: $(basename "$corpus") x$repeat = $((bytes / 1000000)) MB of JSONL (zstd -3: $(( $(stat -c %s "$input") / 1000000 )) MB); $runs runs of each"
t_floor=$( { /usr/bin/time -f '%e' sh -c "zstd -dc '$input' | wc -c > /dev/null"; } 2>&1 )
same=yes
pairs=
for _ in $(seq "$runs"); do
  a=$(run one 1)
  b=$(run two 2)
  pairs="$pairs $(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", a / b}')"
  for f in "$tmp"/one/*; do
    n=$(basename "$f")
    case $n in run.log|config.json) continue ;; esac
    cmp -s "$f" "$tmp/two/$n" || { same=no; echo "differs: $n"; }
  done
done
t1=$(median "$tmp/one.runs" 1); t2=$(median "$tmp/two.runs" 1)
c1=$(median "$tmp/one.runs" 3); c2=$(median "$tmp/two.runs" 3)
r1=$(sort -n -k2 "$tmp/one.runs" | tail -1 | cut -d' ' -f2)
r2=$(sort -n -k2 "$tmp/two.runs" | tail -1 | cut -d' ' -f2)
awk -v b="$bytes" -v t1="$t1" -v t2="$t2" -v tf="$t_floor" -v r1="$r1" -v r2="$r2" -v c1="$c1" -v c2="$c2" -v same="$same" -v pairs="$pairs" 'BEGIN {
  mb = b / 1e6;
  printf "I/O floor (zstd -dc | wc -c):          %7.1f MB/s  (%.2f s)\n", mb / tf, tf;
  printf "sach-run default pipeline, 1 worker:   %7.1f MB/s  (median %.2f s wall, %.2f s CPU = %.1f MB/s per CPU second, peak %.0f MiB)\n", mb / t1, t1, c1, mb / c1, r1 / 1024;
  printf "sach-run default pipeline, 2 workers:  %7.1f MB/s  (median %.2f s wall, %.2f s CPU = %.1f MB/s per CPU second, peak %.0f MiB) = %.1f MB/s per core (wall / 2)\n", mb / t2, t2, c2, mb / c2, r2 / 1024, mb / t2 / 2;
  printf "speed-up on 2 workers: %.2fx of the medians (each pair:%s) (target >= 1.7x); per core target >= 20 MB/s\n", t1 / t2, pairs;
  printf "outputs of the runs byte-identical: %s\n", same;
}'
grep -h '"written"\|"records"' "$tmp/one/counts.json" | tr -d ' ,' | paste -sd' '
