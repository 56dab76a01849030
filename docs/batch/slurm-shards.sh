#!/usr/bin/env bash
# Build a dataset as N shards with a Slurm job array: array task I runs
# `blindspot build SPEC --shard I/N`; then slurm-merge.sh joins the shards.
#
#   jid=$(sbatch --parsable docs/batch/slurm-shards.sh)
#   sbatch --dependency=afterok:$jid docs/batch/slurm-merge.sh
#
# N is the array size (keep --array=0-(N-1)). A requeued or resubmitted task resumes from the
# chunks it had already written. Override SPEC, OUT, REPEAT (copies of the spec's samples, for
# a training set) or BLINDSPOT in the environment.
#SBATCH --job-name=blindspot-shards
#SBATCH --array=0-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=04:00:00
#SBATCH --requeue
set -euo pipefail
I=${SLURM_ARRAY_TASK_ID:?run with sbatch --array, or set SLURM_ARRAY_TASK_ID}
N=${SLURM_ARRAY_TASK_COUNT:?run with sbatch --array, or set SLURM_ARRAY_TASK_COUNT}
SPEC=${SPEC:-tasks/blindtest/}
OUT=${OUT:-out/blindtest-shards}
"${BLINDSPOT:-blindspot}" build "$SPEC" --shard "$I/$N" --repeat "${REPEAT:-1}" \
  -j "${SLURM_CPUS_PER_TASK:-2}" --out "$OUT/$I"
