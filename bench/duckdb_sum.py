"""DuckDB baseline: the same records summed into the same cells, exact DECIMAL, 2 threads.

    python3 bench/duckdb_sum.py FILE.csv   → prints the seconds of the query
"""
import sys
import time

import duckdb

con = duckdb.connect()
con.execute("SET threads TO 2")
t = time.perf_counter()
rows = con.execute(
    """
    SELECT period, zone, metric, entity_start, sum(amount), count(*)
    FROM read_csv(?, header = true, columns = {
        'period': 'VARCHAR', 'zone': 'VARCHAR', 'entity': 'VARCHAR', 'metric': 'VARCHAR',
        'amount': 'DECIMAL(18,2)', 'entity_start': 'VARCHAR'})
    GROUP BY period, zone, metric, entity_start
    """,
    [sys.argv[1]],
).fetchall()
print(f"{time.perf_counter() - t:.3f}")
