"""Runs the queries of `samsyn sql` where the data is, as a data team would, and saves each
result as CSV with its header.

usage: run_queries.py ENGINE QUERY_ROOT OUT_ROOT NAME=FILE ...

ENGINE is duckdb or spark. QUERY_ROOT holds one folder per notebook with the `NAME.sql` files
`samsyn sql --dialect ENGINE --out` wrote; each result goes to OUT_ROOT/<notebook>/NAME.csv.

Each NAME=FILE is loaded once as a table of text columns by DuckDB's CSV reader. Lines it cannot
take (a wrong number of fields, bytes that are not UTF-8) are left out, as a loader would, and
printed as `rejected NAME LINE,LINE,…` (line 1 the header) so the caller can account for them;
blank lines are skipped without a word. For Spark the same tables are handed over as Parquet,
so both engines run their dialect's query on the same rows.
"""
import csv
import os
import sys

import duckdb

engine, query_root, out_root = sys.argv[1:4]
pairs = [p.split("=", 1) for p in sys.argv[4:]]
con = duckdb.connect()
for name, path in pairs:
    con.execute(
        f"""CREATE TABLE "{name}" AS SELECT * FROM read_csv('{path}', all_varchar = true,
            header = true, delim = ',', quote = '"', escape = '"', ignore_errors = true,
            store_rejects = true, rejects_table = 'rejects_{name}', rejects_scan = 'scans_{name}')"""
    )
    lines = con.execute(f"SELECT DISTINCT line FROM rejects_{name} ORDER BY line").fetchall()
    print(f"rejected {name} " + ",".join(str(line) for (line,) in lines), flush=True)

jobs = []
for notebook in sorted(os.listdir(query_root)):
    for f in sorted(os.listdir(os.path.join(query_root, notebook))):
        if f.endswith(".sql"):
            with open(os.path.join(query_root, notebook, f), encoding="utf-8") as q:
                jobs.append((notebook, f[: -len(".sql")], q.read()))

if engine == "duckdb":
    for notebook, name, query in jobs:
        os.makedirs(os.path.join(out_root, notebook), exist_ok=True)
        target = os.path.join(out_root, notebook, f"{name}.csv")
        con.execute(f"COPY ({query}) TO '{target}' (HEADER, DELIMITER ',')")
elif engine == "spark":
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("samsyn-sql-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    os.makedirs(out_root, exist_ok=True)
    for name, _ in pairs:
        parquet = os.path.join(out_root, f"{name}.parquet")
        con.execute(f"""COPY "{name}" TO '{parquet}' (FORMAT parquet)""")
        spark.read.parquet(parquet).createOrReplaceTempView(name)
    for notebook, name, query in jobs:
        os.makedirs(os.path.join(out_root, notebook), exist_ok=True)
        result = spark.sql(query)
        with open(os.path.join(out_root, notebook, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(result.columns)
            for row in result.collect():
                w.writerow(["" if v is None else v for v in row])
    spark.stop()
else:
    sys.exit(f"unknown engine {engine}")
