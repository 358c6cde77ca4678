"""The aggregating queries of `samsyn sql --dialect duckdb` run by DuckDB on folders of Parquet
files, each result saved as CSV: usage: engines_duckdb.py SQL_DIR OUT_DIR [--memory-limit=2GiB]
NAME=PARQUET_DIR ..."""
import os
import sys

import duckdb

sql_dir, out = sys.argv[1], sys.argv[2]
pairs = [a for a in sys.argv[3:] if not a.startswith("--")]
limits = [a.split("=", 1)[1] for a in sys.argv[3:] if a.startswith("--memory-limit=")]
os.makedirs(out, exist_ok=True)
con = duckdb.connect()
if limits:
    con.execute(f"SET memory_limit = '{limits[0]}'")
for pair in pairs:
    name, folder = pair.split("=", 1)
    con.execute(f"""CREATE VIEW "{name}" AS SELECT * FROM read_parquet('{folder}/*.parquet')""")
for pair in pairs:
    name = pair.split("=", 1)[0]
    with open(os.path.join(sql_dir, f"{name}.sql"), encoding="utf-8") as f:
        query = f.read()
    con.execute(f"COPY ({query}) TO '{os.path.join(out, name + '.csv')}' (HEADER)")
