#!/usr/bin/env bash
# Benchmark: two (or more) blindspot binaries on one BlindTest task, runs interleaved so that
# a noisy machine slows them alike. Each run is a single-threaded `build` into a temp folder;
# prints, per binary, the median and minimum wall and user+sys seconds (GNU time).
# AB_COMMAND=check times `blindspot check` instead (plan and compose every sample, no render).
# Usage: bash benches/ab.sh TASK RUNS BIN...
#   e.g. bash benches/ab.sh subway_connections 3 /tmp/blindspot-old target/release/blindspot
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 3 ] || { sed -n '2,8p' "$0" >&2; exit 2; }
task=$1 runs=$2
shift 2
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for _ in $(seq "$runs"); do
  for i in $(seq $#); do
    bin=${!i}
    case ${AB_COMMAND:-build} in
      build) cmd=(build "tasks/blindtest/$task.yaml" -j 1 -q --out "$tmp/out" --force) ;;
      check) cmd=(check "tasks/blindtest/$task.yaml") ;;
      *) echo "AB_COMMAND must be build or check" >&2; exit 2 ;;
    esac
    /usr/bin/time -a -o "$tmp/$i" -f '%e %U %S' "$bin" "${cmd[@]}" > /dev/null
  done
done
for i in $(seq $#); do
  python3 - "$tmp/$i" "${!i}" "$task" <<'PY'
import statistics, sys
runs = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
wall = [r[0] for r in runs]
cpu = [r[1] + r[2] for r in runs]
print(f"{sys.argv[3]} {sys.argv[2]}: wall median {statistics.median(wall):.3f} s, min {min(wall):.3f} s"
      f" | user+sys median {statistics.median(cpu):.3f} s, min {min(cpu):.3f} s")
PY
done
