"""The fall pack of `cargo xtask bench pack` in DuckDB SQL (see pack_common.py for what it is).

usage: python pack_duckdb.py EVENTS.csv POPULATION.csv OUT.csv

Everything from the CSV files to the limits is SQL (pack.sql: loading, then one query per
level), the same statements the browser page runs in DuckDB-Wasm; Python only fills in the
constants (ESP 2013 weights, exact Poisson limits of the counts 0-9) as small tables.
"""

import duckdb

import pack_common as pc


def main():
    events, population, out = pc.args()
    con = duckdb.connect()
    sql = pc.duckdb_statements(events, population)
    for statement in sql["constants"] + sql["load"]:
        con.execute(statement)
    rows = []
    for query in sql["queries"]:
        rows.extend(con.execute(query).fetchall())
    pc.write_rows(rows, out)


if __name__ == "__main__":
    main()
