"""Deterministic records generator for the throughput benchmark.

    python3 bench/gen.py ROWS OUT.csv

Columns period,zone,entity,metric,amount,entity_start; 12 months of 2025; four zones
(bench/config.toml: fixed, entity-anchored schedule, base_increment, weighted); metrics
with central shares. A linear congruential generator keeps it identical everywhere and
fast enough for millions of rows.
"""
import sys

rows = int(sys.argv[1])
out = sys.argv[2]
zones = ["fixed-z", "sched-z", "base-z", "weight-z"]
metrics = ["vat", "cit", "iit", "fcs"]
starts = ["2014-04-01", "2019-11-20", "2020-06-15", "2022-09-01", "2024-02-29"]
state = 20250101

with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("period,zone,entity,metric,amount,entity_start\n")
    buf = []
    for i in range(rows):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        r = state >> 11
        month = i * 12 // rows + 1
        zone = zones[r % 4]
        metric = metrics[(r >> 2) % 4]
        ent = (r >> 4) % 20000
        cents = (r >> 20) % 100000000
        if (r >> 50) % 50 == 0:
            cents = -cents // 10
        amount = f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"
        start = starts[ent % 5] if zone == "sched-z" else ""
        buf.append(f"2025-{month:02d},{zone},91510100MA{ent:08d},{metric},{amount},{start}\n")
        if len(buf) >= 100000:
            f.write("".join(buf))
            buf.clear()
    f.write("".join(buf))
