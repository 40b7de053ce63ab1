#!/usr/bin/env bash
# Throughput benchmark: fencheng against DuckDB on the same records, same session.
#
#   bench/run.sh [ROWS] [RUNS]      (defaults: 5000000 rows, 3 runs each)
#
# Prints the median wall time of each side, the ratio, and fencheng's peak memory
# (max RSS from /usr/bin/time). The records file is generated once (deterministic)
# under bench/data/. Machines are shared and noisy: compare medians of one session.
# Outputs go to memory (/dev/shm, or $BENCH_OUT) so that the figures measure the
# tool, not the disk's write-back of the 1.3 GB detail.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
RUNS=${2:-3}
DATA=bench/data/records-$ROWS.csv
OUT_BASE=${BENCH_OUT:-/dev/shm}
[ -d "$OUT_BASE" ] && [ -w "$OUT_BASE" ] || OUT_BASE=${TMPDIR:-/tmp}
OUT=$(mktemp -d -p "$OUT_BASE")
trap 'rm -rf "$OUT"' EXIT
mkdir -p bench/data
[ -f "$DATA" ] || python3 bench/gen.py "$ROWS" "$DATA"
python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb
cargo build --release --quiet
BIN=target/release/fencheng
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # label, command...
  local label=$1; shift
  local times=() rss=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null
    read -r t m < "$OUT/time"
    times+=("$t"); rss+=("$m")
  done
  local mt mr
  mt=$(printf '%s\n' "${times[@]}" | median)
  mr=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  echo "$label: median ${mt}s of ${times[*]}; peak RSS $((mr / 1024)) MB" >&2
  echo "$mt"
}

echo "records: $DATA ($(du -hL "$DATA" | cut -f1), $ROWS rows), $(nproc) cores, outputs in $OUT_BASE" >&2
duck=()
for _ in $(seq "$RUNS"); do duck+=("$(python3 bench/duckdb_sum.py "$DATA")"); done
DUCK=$(printf '%s\n' "${duck[@]}" | median)
echo "duckdb (2 threads, DECIMAL sums): median ${DUCK}s of ${duck[*]}" >&2
RUN=$(measure "fencheng run --out" $BIN run --config bench/config.toml --records "$DATA" --out "$OUT/run" --format csv)
DET=$(measure "fencheng run --out --detail" $BIN run --config bench/config.toml --records "$DATA" --out "$OUT/detail" --detail --format csv)
# SPEC §8: levels, a pool and 10,000 deduction lines on the same records.
DED=bench/data/deductions-10000.csv
[ -f "$DED" ] || python3 bench/gen_deductions.py 10000 "$DED"
SHR=$(measure "fencheng run --out (levels, pool, 10,000 deductions)" $BIN run --config bench/config-shared.toml --records "$DATA" --deductions "$DED" --out "$OUT/shared" --format csv)
# The shapes offices export: a start date on every row, as UTF-8, as GB18030 (Chinese
# header, CRLF, some Chinese names) and as UTF-8 with one quoted name.
for shape in utf8 gb18030 quoted; do
  f=bench/data/records-$ROWS-every-$shape.csv
  [ -f "$f" ] || python3 bench/gen.py "$ROWS" "$f" --shape "$shape" --start-every-row
done
duck_every=()
for _ in $(seq "$RUNS"); do duck_every+=("$(python3 bench/duckdb_sum.py "bench/data/records-$ROWS-every-utf8.csv")"); done
DUCK_EVERY=$(printf '%s\n' "${duck_every[@]}" | median)
echo "duckdb on the start-date-on-every-row file: median ${DUCK_EVERY}s of ${duck_every[*]}" >&2
EVERY=$(measure "fencheng run --out, start date on every row, UTF-8" $BIN run --config bench/config.toml --records bench/data/records-$ROWS-every-utf8.csv --out "$OUT/e1" --format csv)
GB=$(measure "fencheng run --out, start date on every row, GB18030" $BIN run --config bench/config.toml --records bench/data/records-$ROWS-every-gb18030.csv --out "$OUT/e2" --format csv)
QU=$(measure "fencheng run --out, start date on every row, one quoted name" $BIN run --config bench/config.toml --records bench/data/records-$ROWS-every-quoted.csv --out "$OUT/e3" --format csv)
python3 - "$DUCK" "$RUN" "$DET" "$SHR" "$EVERY" "$GB" "$QU" "$DUCK_EVERY" <<'PY'
import sys
duck, run, det, shr, every, gb, qu, duck_every = map(float, sys.argv[1:])
print(f"fencheng is {duck / run:.2f}x faster than duckdb; --detail costs {det / run:.2f}x the plain run")
print(f"levels, a pool and 10,000 deductions cost {shr / run:.3f}x the plain run")
print(f"start date on every row: {duck_every / every:.2f}x faster than duckdb on the same file; GB18030 {gb / every:.2f}x and one quoted name {qu / every:.2f}x the UTF-8 time")
PY
