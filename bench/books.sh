#!/usr/bin/env bash
# Books benchmark (SPEC §9): closing the 12th month of a year of twelve monthly files
# against one plain run over all twelve at once, same session.
#
#   bench/books.sh [ROWS_PER_MONTH] [RUNS]     (defaults: 400000 rows, 3 runs)
#
# Months 1–11 are closed once (not timed); then month 12 is closed RUNS times (each
# closing reopened before the next, so every run does the same work), and the plain run
# is measured RUNS times. Prints medians, their ratio and peak memory.
# CHANGED=1 closes month 12 with an edited ratio and --amend (SPEC §15): the same close
# plus the recomputation of the booked lines with the standing inputs in use.
set -euo pipefail
cd "$(dirname "$0")/.."
PER=${1:-400000}
RUNS=${2:-3}
ROWS=$((PER * 12))
DATA=bench/data/records-$ROWS.csv
MONTHS=bench/data/months-$ROWS
mkdir -p bench/data
[ -f "$DATA" ] || python3 bench/gen.py "$ROWS" "$DATA"
if [ ! -d "$MONTHS" ]; then
  mkdir -p "$MONTHS"
  awk -F, -v dir="$MONTHS" 'NR==1 {h=$0; next} { f = dir "/" $1 ".csv"; if (!(f in seen)) { print h > f; seen[f]=1 } print > f }' "$DATA"
fi
cargo build --release --quiet
BIN=target/release/fencheng
OUT=$(mktemp -d -p "${BENCH_OUT:-/dev/shm}" 2>/dev/null || mktemp -d)
trap 'rm -rf "$OUT"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for m in 01 02 03 04 05 06 07 08 09 10 11; do
  $BIN close --config bench/config.toml --books "$OUT/books" --records "$MONTHS/2025-$m.csv" > /dev/null
done
CONFIG=bench/config.toml
EXTRA=()
if [ "${CHANGED:-0}" = 1 ]; then
  sed 's/shares = { aba = "0.6", chengdu = "0.4" }/shares = { aba = "0.55", chengdu = "0.45" }/' bench/config.toml > "$OUT/changed.toml"
  CONFIG="$OUT/changed.toml"
  EXTRA=(--amend "bench: a changed ratio")
fi
close_t=(); close_m=(); run_t=(); run_m=()
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN close --config "$CONFIG" --books "$OUT/books" --records "$MONTHS/2025-12.csv" "${EXTRA[@]}" > /dev/null 2>&1
  read -r t m < "$OUT/t"; close_t+=("$t"); close_m+=("$m")
  $BIN books reopen "$OUT/books" 2025-12 > /dev/null
  args=(); for f in "$MONTHS"/2025-*.csv; do args+=(--records "$f"); done
  /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml "${args[@]}" --out "$OUT/run" --format csv > /dev/null
  read -r t m < "$OUT/t"; run_t+=("$t"); run_m+=("$m")
done
C=$(printf '%s\n' "${close_t[@]}" | median)
R=$(printf '%s\n' "${run_t[@]}" | median)
echo "twelve monthly files of $PER rows, $(nproc) cores"
echo "close of the 12th month: median ${C}s of ${close_t[*]}; peak RSS $(( $(printf '%s\n' "${close_m[@]}" | sort -n | tail -1) / 1024 )) MB"
echo "run over all twelve:     median ${R}s of ${run_t[*]}; peak RSS $(( $(printf '%s\n' "${run_m[@]}" | sort -n | tail -1) / 1024 )) MB"
python3 -c "import sys; print(f'close / run = {float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$C" "$R"
