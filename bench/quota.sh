#!/usr/bin/env bash
# Quota accounts against a plain run on the same records, same session (SPEC §13).
#
#   bench/quota.sh [ROWS] [RUNS]     (defaults: 5000000 rows, 5 runs each)
#
# The benchmark's configuration with `fcs` as a quota metric (one fourth of the lines),
# an allocation for every party, and `quota --year 2025` timed against `run --out` of
# the same records: medians and the ratio (the goal: at most 2.2× a run).
# EXEMPT=1: `fcs` exempts the entities tagged major-project (100 of them, in an entities
# file given to both commands): quota then runs the engine a second time without their
# lines.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-5000000}
RUNS=${2:-5}
DATA=bench/data/records-$ROWS.csv
OUT=$(mktemp -d -p "${BENCH_OUT:-/dev/shm}" 2>/dev/null || mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p bench/data
[ -f "$DATA" ] || python3 bench/gen.py "$ROWS" "$DATA"
cargo build --release --quiet
BIN=target/release/fencheng
python3 -c 'import sys; s=sys.stdin.read(); print(s.replace("[metric.fcs]\nkind = \"tax\"", "[metric.fcs]\nkind = \"quota\""), end="")' \
  < bench/config.toml > "$OUT/config.toml"
printf 'year,party,metric,amount\n' > "$OUT/allocations.csv"
for p in $(grep -A1 '^\[\[party\]\]' bench/config.toml | grep '^id' | cut -d'"' -f2); do
  printf '2025,%s,fcs,1000000000.00\n' "$p" >> "$OUT/allocations.csv"
done
EXTRA=()
if [ "${EXEMPT:-0}" = 1 ]; then
  python3 - "$OUT/config.toml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace('[metric.fcs]\nkind = "quota"', '[metric.fcs]\nkind = "quota"\nexempt = { tag = "major-project" }')
open(p, "w").write(s)
PY
  python3 - "$DATA" "$OUT/entities.csv" <<'PY'
import sys
seen = []
with open(sys.argv[1], encoding="utf-8") as f:
    next(f)
    for line in f:
        e = line.split(",")[2]
        if e not in seen:
            seen.append(e)
            if len(seen) == 100:
                break
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write("entity,tags\n" + "".join(f"{e},major-project\n" for e in seen))
PY
  EXTRA=(--entities "$OUT/entities.csv")
fi
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > /dev/null 2>&1
    read -r t m < "$OUT/time"
    times+=("$t")
    echo "$label: ${t}s, $((m / 1024)) MB" >&2
  done
  printf '%s\n' "${times[@]}" | median
}
r=$(measure run "$BIN" run --config "$OUT/config.toml" --records "$DATA" "${EXTRA[@]}" --out "$OUT/run")
q=$(measure quota "$BIN" quota --config "$OUT/config.toml" --records "$DATA" "${EXTRA[@]}" \
  --allocations "$OUT/allocations.csv" --year 2025 --out "$OUT/quota")
echo "run --out: median ${r}s; quota: median ${q}s; ratio $(python3 -c "print(round($q/$r, 2))")"
