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
# fencheng's peak RSS. VARIANTS=1 also times the same lines as GB18030 (Chinese header,
# CRLF, one name in 50 Chinese) and as UTF-8 with one quoted name, against the UTF-8 file.
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

if [ "${VARIANTS:-0}" = 1 ]; then
  G=bench/data/offices-$ROWS-gb18030.csv; Q=bench/data/offices-$ROWS-quoted.csv
  [ -f "$G" ] && [ -f "$Q" ] || python3 - "$DATA" "$G" "$Q" <<'PY'
import sys
src, gb, qu = sys.argv[1:]
with open(src, encoding="utf-8") as f, open(gb, "w", encoding="gb18030", newline="") as g, \
        open(qu, "w", encoding="utf-8", newline="") as q:
    head = next(f)
    g.write("期间,园区,企业,指标,金额,投产日期\r\n")
    q.write(head)
    for n, line in enumerate(f, 1):
        parts = line.rstrip("\n").split(",")
        if n % 50 == 0:
            parts[2] = "成都某某制造有限公司%05d" % (n % 20000)
        g.write(",".join(parts) + "\r\n")
        q.write(line)
    q.write('2025-12,fixed-z,"91510100MA00000001, Ltd",vat,100.00,2019-01-01\n')
PY
  u=(); g=(); q=(); gm=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --records "$DATA" --out "$OUT/u" > /dev/null
    read -r t m < "$OUT/t"; u+=("$t")
    /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --records "$G" --out "$OUT/g" > /dev/null
    read -r t m < "$OUT/t"; g+=("$t"); gm=$(( m > gm ? m : gm ))
    /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --records "$Q" --out "$OUT/q" > /dev/null
    read -r t m < "$OUT/t"; q+=("$t")
  done
  # (The quoted file has one line more: only the GB18030 one must give the same figures.)
  cmp -s "$OUT/u/summary.csv" "$OUT/g/summary.csv" \
    || { echo "the GB18030 file's figures differ" >&2; exit 1; }
  U=$(printf '%s\n' "${u[@]}" | median); GB=$(printf '%s\n' "${g[@]}" | median); QU=$(printf '%s\n' "${q[@]}" | median)
  python3 -c "import sys; u,g,q=map(float,sys.argv[1:4]); print(f'UTF-8 {u}s; GB18030 {g}s ({g/u:.2f}x, peak {int(sys.argv[4])//1024} MB); one quoted name {q}s ({q/u:.2f}x)')" "$U" "$GB" "$QU" "$gm"
fi
