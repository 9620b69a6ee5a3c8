#!/usr/bin/env bash
# Benchmark: sach-normalise against ICU's own command-line normaliser
# (uconv -x any-nfc, Debian package icu-devtools) on the same input, in one
# run, single-threaded. Input: ../shared/corpora/viwiki.jsonl.zst
# decompressed and repeated to about 250 MB (REPEAT, default 3). Prints MB/s
# of each, the ratio, and sach-normalise's peak memory. Absolute times are
# noisy on shared machines; the ratio is the figure to quote. Two sach
# figures: the Unicode layer alone (--no-viet) and with the Vietnamese layer
# (the default). Not a test.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
corpus=${SACH_CORPUS:-$root/../shared/corpora/viwiki.jsonl.zst}
repeat=${REPEAT:-3}
runs=${RUNS:-3}
tool=$root/build/tools/sach-normalise

[ -x "$tool" ] || { echo "bench: build first (scripts/setup)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "bench: $corpus not found" >&2; exit 1; }
command -v uconv >/dev/null || { echo "bench: uconv missing (apt-get install icu-devtools)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sach-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
input=$tmp/input.jsonl
for _ in $(seq "$repeat"); do zstd -dc "$corpus"; done > "$input"
bytes=$(stat -c %s "$input")

# Best wall time of $runs runs; echoes seconds. Peak RSS (KiB) of the
# last run goes to $tmp/rss.
best_time() {
  local best="" t
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > /dev/null
    t=$(cut -d' ' -f1 "$tmp/time")
    cut -d' ' -f2 "$tmp/time" > "$tmp/rss"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$t; fi
  done
  echo "$best"
}

echo "input: $(basename "$corpus") decompressed x$repeat = $((bytes / 1000000)) MB, best of $runs runs"
t_uni=$(best_time "$tool" --no-viet "$input")
rss_uni=$(cat "$tmp/rss")
t_full=$(best_time "$tool" "$input")
rss_full=$(cat "$tmp/rss")
t_uconv=$(best_time uconv -x any-nfc -f utf-8 -t utf-8 "$input")
awk -v b="$bytes" -v tn="$t_uni" -v tf="$t_full" -v tu="$t_uconv" -v rn="$rss_uni" -v rf="$rss_full" 'BEGIN {
  mb = b / 1e6;
  un = mb / (tn > 0 ? tn : 0.001); fu = mb / (tf > 0 ? tf : 0.001); uc = mb / (tu > 0 ? tu : 0.001);
  printf "sach-normalise --no-viet (Unicode layer, JSONL in and out): %7.1f MB/s  (%.2f s, peak %.1f MiB)\n", un, tn, rn / 1024;
  printf "sach-normalise (Unicode + Vietnamese layers):              %7.1f MB/s  (%.2f s, peak %.1f MiB)\n", fu, tf, rf / 1024;
  printf "uconv -x any-nfc (NFC only, raw bytes):                     %7.1f MB/s  (%.2f s)\n", uc, tu;
  printf "ratio Unicode layer / uconv: %.1fx (target >= 10x)\n", un / uc;
  printf "ratio full / uconv:          %.1fx\n", fu / uc;
  printf "Vietnamese layer keeps %.0f%% of the Unicode layer throughput (target >= 50%%)\n", 100 * fu / un;
  printf "peak memory: %.1f MiB (target < 64 MiB)\n", (rn > rf ? rn : rf) / 1024;
}'
