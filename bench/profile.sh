#!/usr/bin/env bash
# The tax system's export read through an import profile (SPEC §12) against the plain
# file of the same records, same session.
#
#   bench/profile.sh [ROWS] [RUNS]     (defaults: 5000000 rows, 5 runs each)
#   SHAPE=export-real bench/profile.sh  the export as the tax system really writes it
#
# `gen.py --shape export` writes the records as the 税收入库明细 export (GB18030, title
# lines, "1,234.56" quoted, refunds in brackets, a 合计 row); bench/profile.toml reads it.
# `--shape export-real` adds what the real export has besides: a 序号 column, quoted
# Chinese names, tax names and tax offices mapped by values tables, the period as a date
# (bench/profile-real.toml); its file is 2.5 times the plain one's bytes.
# Runs alternate (plain, export, plain, …); prints each median, the ratio and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
RUNS=${2:-5}
SHAPE=${SHAPE:-export}
PLAIN=bench/data/records-$ROWS.csv
EXPORT=bench/data/$SHAPE-$ROWS.csv
PROFILE=bench/profile.toml
[ "$SHAPE" = export-real ] && PROFILE=bench/profile-real.toml
mkdir -p bench/data
[ -f "$PLAIN" ] || python3 bench/gen.py "$ROWS" "$PLAIN"
[ -f "$EXPORT" ] || python3 bench/gen.py "$ROWS" "$EXPORT" --shape "$SHAPE"
cargo build --release --quiet
BIN=target/release/fencheng
OUT=$(mktemp -d -p "${BENCH_OUT:-/dev/shm}" 2>/dev/null || mktemp -d)
trap 'rm -rf "$OUT"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
p=(); e=(); pm=0; em=0
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --records "$PLAIN" --out "$OUT/p" > /dev/null 2>&1
  read -r t m < "$OUT/t"; p+=("$t"); pm=$(( m > pm ? m : pm ))
  /usr/bin/time -f "%e %M" -o "$OUT/t" $BIN run --config bench/config.toml --profile "$PROFILE" --records "$EXPORT" --out "$OUT/e" > /dev/null 2>&1
  read -r t m < "$OUT/t"; e+=("$t"); em=$(( m > em ? m : em ))
done
cmp -s "$OUT/p/summary.csv" "$OUT/e/summary.csv" || { echo "the export's figures differ from the plain file's" >&2; exit 1; }
P=$(printf '%s\n' "${p[@]}" | median); E=$(printf '%s\n' "${e[@]}" | median)
echo "plain UTF-8: median ${P}s (${p[*]}), peak $((pm / 1024)) MB, $(stat -c %s "$PLAIN") bytes"
echo "$SHAPE through the profile: median ${E}s (${e[*]}), peak $((em / 1024)) MB, $(stat -c %s "$EXPORT") bytes"
python3 -c "import sys; print(f'export / plain = {float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$E" "$P"
