"""Deterministic deductions for the SPEC §8 benchmark (bench/config-shared.toml).

    python3 bench/gen_deductions.py LINES OUT.csv

Enterprise awards and their reversals spread over the twelve months of 2025 and the
zones whose rules are not entity-anchored (a deduction for sched-z would need the
enterprise), on the metric each zone's rule shares (base-z pools VAT and CIT).
"""
import sys

lines = int(sys.argv[1])
out = sys.argv[2]
targets = [("fixed-z", "vat"), ("fixed-z", "iit"), ("base-z", "vat_cit"),
           ("base-z", "fcs"), ("weight-z", "cit"), ("weight-z", "vat")]
state = 20251201
with open(out, "w", encoding="utf-8", newline="\n") as f:
    f.write("period,zone,metric,amount,reason\n")
    for i in range(lines):
        state = (state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        r = state >> 11
        zone, metric = targets[r % len(targets)]
        cents = (r >> 8) % 5000000
        sign = "-" if (r >> 40) % 20 == 0 else ""
        f.write(f"2025-{i % 12 + 1:02d},{zone},{metric},{sign}{cents // 100}.{cents % 100:02d},award {i}\n")
