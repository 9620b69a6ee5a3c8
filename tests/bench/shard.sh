#!/usr/bin/env bash
# Benchmark: sach-shard against the Unix peer doing the same job on the same
# JSONL: `split -C SIZE` (whole lines, size-capped pieces) with each piece
# compressed by `zstd` at the same level. Input:
# ../shared/corpora/viwiki.jsonl.zst decompressed and repeated to about
# 250 MB (REPEAT, default 3). sach-shard also parses every record, splits by
# id hash, counts syllables, and checksums inputs and shards for the
# manifest, which the peer does not. Prints MB/s of each (of uncompressed
# JSONL), the ratio, and sach-shard's peak memory; a second sach-shard line
# with --shuffle-seed (external sort). Absolute times are noisy on shared
# machines; the ratio is the figure to quote. Not a test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
corpus=${SACH_CORPUS:-$root/../shared/corpora/viwiki.jsonl.zst}
repeat=${REPEAT:-3}
runs=${RUNS:-3}
level=${LEVEL:-3}
size=${SIZE:-64M}
tool=${SACH_SHARD:-$root/build/tools/sach-shard}

[ -x "$tool" ] || { echo "bench: build first (scripts/setup)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "bench: $corpus not found" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sach-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
input=$tmp/input.jsonl
# Each copy gets its own ids ("r2-..."): with the same ids the copies of a
# document would sort next to each other in the shuffle and compress far
# faster than real data does.
for r in $(seq "$repeat"); do zstd -dc "$corpus" | sed "s/^{\"id\": \"/{\"id\": \"r$r-/"; done > "$input"
bytes=$(stat -c %s "$input")

# Best of $runs runs of "$@" (output directory $tmp/out, emptied before
# each run): echoes "WALL CPU" in seconds, CPU = user + system of the
# command and its children (split's zstd processes included). CPU time is
# what to compare on a shared machine, where wall time depends on the load.
# Peak RSS (KiB) of the last run goes to $tmp/rss.
best_time() {
  local best="" bcpu="" w c
  for _ in $(seq "$runs"); do
    rm -rf "$tmp/out"; mkdir "$tmp/out"
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" > /dev/null
    w=$(cut -d' ' -f1 "$tmp/time")
    c=$(awk '{print $2 + $3}' "$tmp/time")
    cut -d' ' -f4 "$tmp/time" > "$tmp/rss"
    if [ -z "$best" ] || awk -v a="$w" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$w; fi
    if [ -z "$bcpu" ] || awk -v a="$c" -v b="$bcpu" 'BEGIN{exit !(a<b)}'; then bcpu=$c; fi
  done
  echo "$best $bcpu"
}

echo "input: $(basename "$corpus") decompressed x$repeat = $((bytes / 1000000)) MB, shards of $size, zstd -$level, best of $runs runs"
t_sach=$(best_time "$tool" -o "$tmp/out" --max-bytes "$size" --level "$level" \
  --split train=0.99,validation=0.01 "$input")
rss_sach=$(cat "$tmp/rss")
shards=$(ls "$tmp/out" | grep -c 'jsonl.zst$')
t_shuf=$(best_time "$tool" -o "$tmp/out" --max-bytes "$size" --level "$level" \
  --split train=0.99,validation=0.01 --shuffle-seed 1 --shuffle-memory 64M "$input")
rss_shuf=$(cat "$tmp/rss")
t_unix=$(best_time split -C "$size" -d -a 5 --filter="zstd -q -$level -o \$FILE.jsonl.zst" \
  "$input" "$tmp/out/train-")
peer=$(ls "$tmp/out" | grep -c 'jsonl.zst$')
awk -v b="$bytes" -v ts="$t_sach" -v th="$t_shuf" -v tu="$t_unix" -v rs="$rss_sach" \
    -v rh="$rss_shuf" -v n="$shards" -v p="$peer" 'BEGIN {
  mb = b / 1e6;
  split(ts, S, " "); split(th, H, " "); split(tu, U, " ");
  for (i = 1; i <= 2; i++) { s[i] = mb / (S[i] > 0 ? S[i] : 0.001); h[i] = mb / (H[i] > 0 ? H[i] : 0.001); u[i] = mb / (U[i] > 0 ? U[i] : 0.001); }
  printf "                                            wall MB/s    CPU MB/s\n";
  printf "sach-shard (2 splits, manifest, %d shards):   %7.1f     %7.1f   (peak %.1f MiB)\n", n, s[1], s[2], rs / 1024;
  printf "sach-shard --shuffle-seed (sort, 64M):       %7.1f     %7.1f   (peak %.1f MiB)\n", h[1], h[2], rh / 1024;
  printf "split -C + zstd (%d pieces):                  %7.1f     %7.1f\n", p, u[1], u[2];
  printf "ratio sach-shard / split+zstd: %.2fx wall, %.2fx CPU\n", s[1] / u[1], s[2] / u[2];
  printf "ratio shuffled / split+zstd:   %.2fx wall, %.2fx CPU\n", h[1] / u[1], h[2] / u[2];
}'
