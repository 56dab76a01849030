#!/usr/bin/env bash
# Benchmark: peak memory of a large build. Builds the touching-circles task repeated REPEAT
# times (default 149: 672 × 149 = 100,128 images) with the release binary at 2 threads and
# reports images, wall-clock seconds, peak RSS (MB, from /usr/bin/time %M) and MB on disk.
# Memory should stay flat in the image count (one chunk of images in flight), so a
# large REPEAT is the test. The output folder is a temp dir, removed on exit.
# Usage: bash benches/rss.sh          REPEAT=10 bash benches/rss.sh   (a quick run)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${REPEAT:-149}
spec=tasks/blindtest/touching_circles.yaml
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 2; }
cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-target}/release/blindspot
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

/usr/bin/time -o "$tmp/time" -f '%e %M' \
  "$bin" build "$spec" --repeat "$repeat" --out "$tmp/ds" -j 2 --quiet
read -r seconds rss_kb < "$tmp/time"
images=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["images"])' \
  "$tmp/ds/manifest.json")
disk_mb=$(du -sm "$tmp/ds" | cut -f1)

echo "spec:        $spec (--repeat $repeat, -j 2)"
echo "images:      $images"
echo "seconds:     $seconds"
echo "images/s:    $(python3 -c "print(f'{$images / max($seconds, 0.001):.0f}')")"
echo "peak RSS MB: $(python3 -c "print(f'{$rss_kb / 1024:.1f}')")"
echo "MB on disk:  $disk_mb"
