"""Writes one CSV file as one Parquet file of text columns (as Samsyn reads every column), with
DuckDB, streaming: usage: to_parquet.py CSV PARQUET"""
import sys

import duckdb

csv_path, out = sys.argv[1], sys.argv[2]


def literal(s):
    return "'" + s.replace("'", "''") + "'"


duckdb.connect().execute(
    f"COPY (SELECT * FROM read_csv({literal(csv_path)}, all_varchar = true, header = true)) "
    f"TO {literal(out)} (FORMAT parquet)"
)
