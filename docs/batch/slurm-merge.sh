#!/usr/bin/env bash
# Merge the shards written by slurm-shards.sh into one release, byte-identical to a
# single-machine `blindspot build` of the same spec. Submit with --dependency=afterok:<array job>.
#SBATCH --job-name=blindspot-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
set -euo pipefail
SPEC=${SPEC:-tasks/blindtest/}
OUT=${OUT:-out/blindtest-shards}
RELEASE=${RELEASE:-out/blindtest-release}
"${BLINDSPOT:-blindspot}" merge "$SPEC" "$OUT"/* --repeat "${REPEAT:-1}" --out "$RELEASE"
