#!/bin/sh
# Fills fuzz/corpus/<target>/ with seeds: every spec under tasks/ and tests/fixtures/ for the
# spec targets, and one file per line of fuzz/seeds/expressions.txt (expressions taken from
# those specs) for expr_eval. Safe to rerun; libFuzzer adds its own finds next to the seeds.
set -eu
cd "$(dirname "$0")"
for target in spec_loader spec_compose; do
    mkdir -p "corpus/$target"
    find ../tasks ../tests/fixtures -name '*.yaml' | while read -r f; do
        cp "$f" "corpus/$target/seed-$(echo "$f" | tr '/.' '__')"
    done
done
mkdir -p corpus/expr_eval
n=0
while IFS= read -r line; do
    n=$((n + 1))
    printf '%s' "$line" > "corpus/expr_eval/seed-$n"
done < seeds/expressions.txt
ls corpus/*/ | grep -c seed-
