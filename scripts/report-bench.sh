#!/usr/bin/env bash
# scripts/report-bench.sh — how long `segscore report` takes on a 1,000-case, 20-structure cohort, and how big
# the page is (issue 13: under 2 s and under 5 MB without snapshots).
#
#   scripts/report-bench.sh [--no-build] [--runs N] [--cases N] [--structures N]
#
# Generates the cohort (scripts/report_lib/gen_cohort.py, standard library only), scores it twice with the
# release binary — Dice only, and with --metrics hd95,nsd (three plots, the largest page) — then times N runs
# (default 5) of `segscore report DIR --quiet` on each and prints the median and fastest wall time and the size.
# Exits 1 when a median is 2 s or more or a page 5 MB or more. Work folder: $REPORT_WORK or
# scripts/report_lib/work-bench.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${REPORT_WORK:-$here/report_lib/work-bench}"
build=1; runs=5; cases=1000; structures=20
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    --no-build) build=0 ;;
    --runs) runs="${2:?--runs needs a value}"; shift ;;
    --cases) cases="${2:?--cases needs a value}"; shift ;;
    --structures) structures="${2:?--structures needs a value}"; shift ;;
    *) echo "scripts/report-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'report-bench: %s\n' "$*" >&2; }
seg="$root/.build-release/release/segscore"
if [ "$build" = 1 ]; then
  log "building segscore (release)"; mkdir -p "$root/.build-release"
  (cd "$root" && swift build -c release --static-swift-stdlib --scratch-path .build-release) \
    >"$root/.build-release/report-bench.log" 2>&1 || { log "release build failed"; exit 1; }
fi
[ -x "$seg" ] || { log "no binary at $seg"; exit 1; }

rm -rf "$work" && mkdir -p "$work"
log "generating $cases cases × $structures structures"
python3 "$here/report_lib/gen_cohort.py" "$work/cohort" --cases "$cases" --structures "$structures" --size 40 \
  || exit 1
verdict=0
for variant in dice boundary; do
  extra=(); [ "$variant" = boundary ] && extra=(--metrics hd95,nsd --nsd-tolerance 1)
  "$seg" cohort --pred "$work/cohort/pred" --ref "$work/cohort/ref" --output-dir "$work/$variant" \
    --label-names "$work/cohort/labels.csv" "${extra[@]}" --quiet >/dev/null || { log "cohort failed"; exit 1; }
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s.%N)
    "$seg" report "$work/$variant" --output "$work/$variant.html" --quiet || { log "report failed"; exit 1; }
    times+=("$(echo "$(date +%s.%N) - $start" | bc)")
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -g))
  median=${sorted[$((runs / 2))]}
  bytes=$(stat -c %s "$work/$variant.html")
  printf '%-8s %d cases × %d structures: median %.3f s, fastest %.3f s over %d runs; %s bytes (%.2f MB)\n' \
    "$variant" "$cases" "$structures" "$median" "${sorted[0]}" "$runs" "$bytes" "$(echo "$bytes / 1000000" | bc -l)"
  if [ "$(echo "$median >= 2" | bc)" = 1 ] || [ "$bytes" -ge 5000000 ]; then verdict=1; fi
done
exit $verdict
