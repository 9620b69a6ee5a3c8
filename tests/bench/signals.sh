#!/usr/bin/env bash
# Benchmark of the signals module (lib/signals*.c): every signal of every
# document of ../shared/corpora/viwiki.jsonl.zst, single-threaded, JSON
# parsing not timed (the documents are read into memory first). Prints
# MB/s of text. Not a test. Builds tests/bench/signals_speed.c against the
# library of BUILD (default build/).
#
#   tests/bench/signals.sh [BUILD]
#   SACH_CORPUS=other.jsonl.zst REPEAT=5 tests/bench/signals.sh
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
corpus=${SACH_CORPUS:-$root/../shared/corpora/viwiki.jsonl.zst}
repeat=${REPEAT:-3}

[ -f "$build/lib/libsach.a" ] || { echo "bench: build first (ninja -C $build)" >&2; exit 1; }
[ -f "$corpus" ] || { echo "bench: $corpus not found" >&2; exit 1; }
exe=$build/tests/bench-signals-speed
mkdir -p "$(dirname "$exe")"
# shellcheck disable=SC2046
cc -std=c11 -O2 -D_GNU_SOURCE -I"$root/lib/include" -o "$exe" \
  "$root/tests/bench/signals_speed.c" "$build/lib/libsach.a" \
  $(pkg-config --libs icu-uc icu-i18n libzstd zlib libxxhash yaml-0.1 json-c) -lpthread -lm
"$exe" "$corpus" "$repeat"
