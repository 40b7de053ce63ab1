#!/usr/bin/env bash
# The shape offices' files really have (`gen.py --shape offices`: 20,000 enterprises,
# each with its own start date on every row, months interleaved) against DuckDB, same
# session, runs interleaved.
#
#   bench/offices.sh [ROWS] [RUNS]     (defaults: 5000000 rows, 5 runs each)
#
# DuckDB 2.0.1, 2 threads, sums the same lines exactly (DECIMAL) grouped by period,
# zone, metric and start date (the query of bench/duckdb_sum.py); fencheng writes
# summary.csv and settlement.csv (`run --out`). Prints each median, the ratio and
# fencheng's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
RUNS=${2:-5}
DATA=bench/data/offices-$ROWS.csv
mkdir -p bench/data
[ -f "$DATA" ] || python3 bench/gen.py "$ROWS" "$DATA" --shape offices
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb==2.0.1
cargo build --release --quiet
BIN=target/release/fencheng
OUT=$(mktemp -d -p "${BENCH_OUT:-/dev/shm}" 2>/dev/null || mktemp -d)
trap 'rm -rf "$OUT"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
d=(); f=(); peak=0
for _ in $(seq "$RUNS"); do
  d+=("$(python3 bench/duckdb_sum.py "$DATA")")
  /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --records "$DATA" --out "$OUT/run" > /dev/null
  read -r t m < "$OUT/t"; f+=("$t"); peak=$(( m > peak ? m : peak ))
done
D=$(printf '%s\n' "${d[@]}" | median); F=$(printf '%s\n' "${f[@]}" | median)
echo "duckdb: median ${D}s (${d[*]})"
echo "fencheng run --out: median ${F}s (${f[*]}), peak $((peak / 1024)) MB"
python3 -c "import sys; print(f'fencheng is {float(sys.argv[1]) / float(sys.argv[2]):.2f}x faster than duckdb')" "$D" "$F"
