#!/usr/bin/env bash
# Benchmark: each BlindTest task built as written and with `output.color: palette`, runs
# interleaved so that a noisy machine slows both alike. Each run is a single-threaded `build`
# into a temp folder; prints per task and policy the median, minimum and maximum wall seconds
# (GNU time) and the size of the Parquet data, then the suite totals of the medians.
# The palette copy of a spec is written beside it (`.color-ab-<task>.yaml`, so that its font
# paths resolve) and removed on exit.
# Usage: bash benches/color_ab.sh [RUNS] [TASK...]   (default: 3 runs, every task)
#   e.g. bash benches/color_ab.sh 5 touching_circles subway_connections
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
shift || true
tasks=("$@")
if [ ${#tasks[@]} -eq 0 ]; then
  for f in tasks/blindtest/*.yaml; do
    t=$(basename "$f" .yaml)
    [ "$t" = suite ] || tasks+=("$t")
  done
fi
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
bin=${BLINDSPOT:-target/release/blindspot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f tasks/blindtest/.color-ab-*.yaml' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '| task | as written: s (min–max) | palette: s (min–max) | time | data KB | palette KB | bytes |\n|---|---:|---:|---:|---:|---:|---:|\n'
sum_w=0 sum_p=0 kb_w=0 kb_p=0
for t in "${tasks[@]}"; do
  spec=tasks/blindtest/$t.yaml pal=tasks/blindtest/.color-ab-$t.yaml
  if grep -q '^  color:' "$spec"; then
    sed 's/^  color: .*/  color: palette/' "$spec" > "$pal"
  else
    { cat "$spec"; printf 'output:\n  color: palette\n'; } > "$pal"
  fi
  for _ in $(seq "$runs"); do
    for v in written palette; do
      s=$spec; [ $v = palette ] && s=$pal
      /usr/bin/time -a -o "$tmp/$t.$v" -f '%e' "$bin" build "$s" -j 1 -q --out "$tmp/$v" --force > /dev/null
    done
  done
  mw=$(median < "$tmp/$t.written") mp=$(median < "$tmp/$t.palette")
  kw=$(du -k "$tmp/written/data" | cut -f1) kp=$(du -k "$tmp/palette/data" | cut -f1)
  range() { sort -n "$1" | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%s–%s", lo, hi}'; }
  awk -v t="$t" -v mw="$mw" -v mp="$mp" -v rw="$(range "$tmp/$t.written")" -v rp="$(range "$tmp/$t.palette")" -v kw="$kw" -v kp="$kp" \
    'BEGIN {printf "| %s | %.2f (%s) | %.2f (%s) | %.2f | %d | %d | %.2f |\n", t, mw, rw, mp, rp, mp / mw, kw, kp, kp / kw}'
  sum_w=$(awk -v a="$sum_w" -v b="$mw" 'BEGIN {print a + b}') sum_p=$(awk -v a="$sum_p" -v b="$mp" 'BEGIN {print a + b}')
  kb_w=$((kb_w + kw)) kb_p=$((kb_p + kp))
  rm -f "$pal"
done
awk -v w="$sum_w" -v p="$sum_p" -v kw="$kb_w" -v kp="$kb_p" \
  'BEGIN {printf "\nsum of medians: as written %.2f s, palette %.2f s (%.2f×); data %d KB, palette %d KB (%.2f×)\n", w, p, p / w, kw, kp, kp / kw}'
