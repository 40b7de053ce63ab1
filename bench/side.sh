#!/usr/bin/env bash
# Memory of the side files: a deductions file, an entities file and a payments file of
# LINES lines each, read by `run` (deductions, entities) and `books balance` (payments)
# with a thousand records, so that the side file is what the memory measures.
#
#   bench/side.sh [LINES] [RUNS]      (defaults: 1000000 lines, 3 runs each)
#
# Prints the median wall time and the peak RSS (max of the runs, /usr/bin/time) of each.
# BIN=path/to/fencheng compares another build on the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
RUNS=${2:-3}
mkdir -p bench/data
D=bench/data/side-$LINES
mkdir -p "$D"
[ -f bench/data/records-1200000.csv ] || python3 bench/gen.py 1200000 bench/data/records-1200000.csv
head -1001 bench/data/records-1200000.csv > "$D/records.csv"
[ -f "$D/deductions.csv" ] || python3 bench/gen_deductions.py "$LINES" "$D/deductions.csv"
[ -f "$D/entities.csv" ] || python3 - "$LINES" "$D/entities.csv" <<'EOF'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
origins = ["chengdu", "aba", "ganzi", "guangan", ""]
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("entity,entity_start,origin,tags\n")
    for i in range(n):
        f.write(f"9151{i:014d},{2015 + i % 10}-{i % 12 + 1:02d}-{i % 28 + 1:02d},{origins[i % 5]},{'relocated' if i % 7 == 0 else ''}\n")
EOF
[ -f "$D/payments.csv" ] || python3 - "$LINES" "$D/payments.csv" <<'EOF'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
parties = ["chengdu", "aba", "ganzi", "guangan"]
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("date,payer,payee,amount\n")
    for i in range(n):
        a, b = parties[i % 4], parties[(i + 1) % 4]
        f.write(f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d},{a},{b},{i % 100000}.{i % 100:02d}\n")
EOF
cargo build --release --quiet
BIN=${BIN:-target/release/fencheng}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
CONFIG=bench/config-shared.toml
"$BIN" close --books "$OUT/books" --config $CONFIG --records "$D/records.csv" > /dev/null 2>&1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...
  local label=$1; shift
  local times=() rss=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$OUT/run"
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null 2> "$OUT/err" || { cat "$OUT/err" >&2; exit 1; }
    read -r t m < "$OUT/time"
    times+=("$t"); rss+=("$m")
  done
  echo "$label: median $(printf '%s\n' "${times[@]}" | median)s; peak RSS $(( $(printf '%s\n' "${rss[@]}" | sort -n | tail -1) / 1024 )) MB"
}
measure "records alone" "$BIN" run --config $CONFIG --records "$D/records.csv" --out "$OUT/run"
measure "deductions ($LINES lines)" "$BIN" run --config $CONFIG --records "$D/records.csv" --deductions "$D/deductions.csv" --out "$OUT/run"
measure "entities ($LINES lines)" "$BIN" run --config $CONFIG --records "$D/records.csv" --entities "$D/entities.csv" --out "$OUT/run"
measure "payments ($LINES lines)" "$BIN" books balance "$OUT/books" --payments "$D/payments.csv"
