"""Runs the queries of `samsyn sql --dialect duckdb` on CSV files with DuckDB (the Python
package), as a data team would where its tables are, and saves each result as CSV.

usage: run_duckdb.py QUERY_DIR OUT_DIR NAME=FILE ...

Each NAME becomes a view of FILE read as text. Lines the CSV reader cannot take (a wrong number
of fields, bytes that are not UTF-8) are left out of the view, as a loader would; their count
are printed as `rejected NAME LINE,LINE,…` (line 1 the header) so the caller can account for
them. Blank lines are skipped by the reader without a word.
"""
import os
import sys

import duckdb

qdir, out = sys.argv[1:3]
pairs = [p.split("=", 1) for p in sys.argv[3:]]
os.makedirs(out, exist_ok=True)
con = duckdb.connect()
for name, path in pairs:
    con.execute(
        f"""CREATE TABLE "{name}" AS SELECT * FROM read_csv('{path}', all_varchar = true,
            header = true, delim = ',', quote = '"', escape = '"', ignore_errors = true,
            store_rejects = true, rejects_table = 'rejects_{name}', rejects_scan = 'scans_{name}')"""
    )
    lines = con.execute(f"SELECT DISTINCT line FROM rejects_{name} ORDER BY line").fetchall()
    print(f"rejected {name} " + ",".join(str(line) for (line,) in lines))
for name, _ in pairs:
    with open(os.path.join(qdir, f"{name}.sql"), encoding="utf-8") as f:
        query = f.read()
    target = os.path.join(out, f"{name}.csv")
    con.execute(f"COPY ({query}) TO '{target}' (HEADER, DELIMITER ',')")
