#!/usr/bin/env bash
# Benchmark: wall-clock time of the full BlindTest build (9 labels, 3,828 images, 8,016 rows)
# with the release binary, 3 runs each at 1 and 2 threads, then each task alone at 2 threads.
# Usage: bash benches/build_blindtest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=./target/release/blindspot
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "print(f'{$2 - $1:.2f}')"; }

echo "full suite (tasks/blindtest/):"
for j in 1 2; do
  for run in 1 2 3; do
    s=$(now); "$bin" build tasks/blindtest/ --out "$out/bt" -j "$j" 2>/dev/null; e=$(now)
    echo "  threads=$j run=$run seconds=$(elapsed "$s" "$e")"
  done
done
echo "per task, threads=2:"
for spec in tasks/blindtest/*.yaml; do
  [ "$(basename "$spec")" = suite.yaml ] && continue
  s=$(now); "$bin" build "$spec" --out "$out/one" -j 2 2>/dev/null; e=$(now)
  printf '  %-34s %6s s\n' "$(basename "$spec" .yaml)" "$(elapsed "$s" "$e")"
done
