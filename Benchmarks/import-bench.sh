#!/bin/sh
# import-bench.sh: seconds per document and documents per minute for `bql import` (issue #14).
# A measurement, not a timed test: it prints, and fails only when an import fails.
#   Benchmarks/import-bench.sh BQL [COPIES]
# BQL is a release-built bql; COPIES (default 10) copies of each sample PDF make the batch.
set -eu
BQL=${1:?usage: import-bench.sh BQL [COPIES]}
COPIES=${2:-10}
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES="$HERE/../Tests/Fixtures/samples"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in"
i=0
while [ $i -lt "$COPIES" ]; do
  for f in "$SAMPLES"/*.pdf; do cp "$f" "$WORK/in/$(basename "$f" .pdf)-$i.pdf"; done
  i=$((i + 1))
done
N=$(ls "$WORK/in" | wc -l)
now() { date +%s.%N; }
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

echo "bql import: $(nproc) cores, $N documents ($COPIES copies of each sample)"
for f in "$SAMPLES"/*.pdf; do
  best=""
  for run in 1 2 3; do
    rm -rf "$WORK/one"
    t0=$(now); "$BQL" import "$f" -o "$WORK/one" --quiet; t1=$(now)
    s=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then best=$s; fi
  done
  printf '  one document: %-28s %3s pages  %.2f s (best of 3)\n' "$(basename "$f")" "$(pages "$f")" "$best"
done
for jobs in 1 $(nproc); do
  rm -rf "$WORK/out"
  t0=$(now); "$BQL" import "$WORK"/in/*.pdf -o "$WORK/out" --quiet --jobs "$jobs"; t1=$(now)
  s=$(echo "$t1 - $t0" | bc -l)
  printf '  batch of %d on %d core(s): %.2f s, %.2f s per document, %.1f documents per minute\n' \
    "$N" "$jobs" "$s" "$(echo "$s / $N" | bc -l)" "$(echo "60 * $N / $s" | bc -l)"
done
