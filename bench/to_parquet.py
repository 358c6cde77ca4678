"""Writes a CSV file as K Parquet files of text columns (a table as a lake holds it), with
DuckDB: usage: to_parquet.py CSV OUT_DIR K"""
import os
import sys

import duckdb

csv_path, out, parts = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(out, exist_ok=True)
con = duckdb.connect()
con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv_path}', all_varchar = true, header = true)")
for i in range(parts):
    con.execute(
        f"COPY (SELECT * FROM t WHERE rowid % {parts} = {i}) TO '{os.path.join(out, f'part-{i:03}.parquet')}' (FORMAT parquet)"
    )
