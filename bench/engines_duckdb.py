"""The aggregating queries of `samsyn sql --dialect duckdb` run by DuckDB on folders of Parquet
files, each result saved as CSV: usage: engines_duckdb.py SQL_DIR OUT_DIR NAME=PARQUET_DIR ..."""
import os
import sys

import duckdb

sql_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
con = duckdb.connect()
for pair in sys.argv[3:]:
    name, folder = pair.split("=", 1)
    con.execute(f"""CREATE VIEW "{name}" AS SELECT * FROM read_parquet('{folder}/*.parquet')""")
for pair in sys.argv[3:]:
    name = pair.split("=", 1)[0]
    with open(os.path.join(sql_dir, f"{name}.sql"), encoding="utf-8") as f:
        query = f.read()
    con.execute(f"COPY ({query}) TO '{os.path.join(out, name + '.csv')}' (HEADER)")
