#!/usr/bin/env bash
# The workbench's API on offices' shape (`gen.py --shape offices`), browsers excluded:
# the first page (GET /api/model, then POST /api/compute of the signed agreement and
# the three offers over the agreement's life) and a slider move (the page sends every
# offer again, one of them changed).
#
#   bench/workbench.sh [ROWS] [RUNS]     (defaults: 1500000 rows, 3 runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1500000}
RUNS=${2:-3}
FULL=bench/data/offices-5000000.csv
DATA=bench/data/offices-$ROWS.csv
mkdir -p bench/data
[ -f "$FULL" ] || python3 bench/gen.py 5000000 "$FULL" --shape offices
[ -f "$DATA" ] || head -n $((ROWS + 1)) "$FULL" > "$DATA"
cargo build --release --quiet
PORT=${PORT:-8797}
target/release/fencheng serve --config bench/config.toml --records "$DATA" --port "$PORT" > /tmp/fencheng-bench-serve.out 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
t0=$(date +%s.%N)
until grep -q http /tmp/fencheng-bench-serve.out 2>/dev/null; do sleep 0.1; done
t1=$(date +%s.%N)
echo "start (read $ROWS lines, prepare the projection): $(python3 -c "print(round($t1 - $t0, 2))")s"
H=(-H "Host: 127.0.0.1:$PORT" -H "Content-Type: application/json")
# Three offers that differ from the signed agreement and from each other; a move
# changes our offer's ratio (a value not asked before, so it is computed).
P='zone.sched-z.agreement.a.rule.r.phases.1.shares.aba'
offers() { # our offer's value
  echo '{"zone":"sched-z","offers":[{"name":"ours","set":["'$P'='$1'"]},{"name":"theirs","set":["'$P'=0.55"]},{"name":"mid","set":["'$P'=0.58"]}],"growth":"0.05","discount":"0.03","life":true}'
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
first=(); move=()
for i in $(seq "$RUNS"); do
  # A fresh server each time: the first page computes every offer.
  kill $PID 2>/dev/null || true; wait $PID 2>/dev/null || true
  : > /tmp/fencheng-bench-serve.out
  target/release/fencheng serve --config bench/config.toml --records "$DATA" --port "$PORT" > /tmp/fencheng-bench-serve.out 2>&1 &
  PID=$!
  until grep -q http /tmp/fencheng-bench-serve.out 2>/dev/null; do sleep 0.1; done
  m=$(curl -s -o /dev/null -w "%{time_total}" "${H[@]}" "http://127.0.0.1:$PORT/api/model")
  c=$(curl -s -o /dev/null -w "%{time_total}" "${H[@]}" -d "$(offers 0.62)" "http://127.0.0.1:$PORT/api/compute")
  first+=("$(python3 -c "print(round($m + $c, 3))")")
  move+=("$(curl -s -o /dev/null -w "%{time_total}" "${H[@]}" -d "$(offers 0.7$i)" "http://127.0.0.1:$PORT/api/compute")")
done
echo "first page (model + compute of the signed agreement and 3 offers over the life): median $(printf '%s\n' "${first[@]}" | median)s (${first[*]})"
echo "slider move (every offer sent, one changed): median $(printf '%s\n' "${move[@]}" | median)s (${move[*]})"
