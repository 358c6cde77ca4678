"""What the DuckDB and Polars scripts of `cargo xtask bench pack` share: the standard, the
interval formulas and the output format. Standard library only, so importing it costs nothing
next to the engine under test.

The pack (issue 13, `notebooks/bench_pack.samsyn.json`, the indicators of `falls.samsyn.json`):
per county (`lan`, the DeSO code's first 2 characters) and kommun (its first 4) and year (of the
event's `date`; the population file's `year`):
  - fall_injuries_65_dsr: events with event_type = fall_injury, ages 65+, DSR per 100 000
    against ESP 2013 over the bands 65-69 ... 90+ (weights renormalised), Dobson limits from
    Byar's limits of the total count; no value when the total count is below 10 (PHE);
  - fall_admissions_80: event_type = admission and cause = fall, ages 80+, crude rate per 1 000
    of the population 80+; limits exact (Garwood) below 10 events, Byar's from 10 on (PHE);
  - assessed_within_3_days: events with event_type = assessed_within_3_days, the share (in %)
    with value = 1, Wilson limits.
The formulas are those of core/src/stats/{dsr,byar,poisson,crude_rate,wilson}.rs (PHEindicatormethods
v2.1.0); each engine computes the sums and the statistics in its own language, this module only
supplies constants: the weights and the exact Poisson limits of the counts 0-9 as a lookup table.
"""

import json
import math
import os
import sys

# European Standard Population 2013, 19 bands 0-4 ... 90+ (90-94 and 95+ merged), as PHE ships it.
# Copied from core/src/standard_pop/esp2013.rs (Eurostat 2013, KS-RA-13-028-EN).
ESP2013_BANDS = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
    "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
]
ESP2013_WEIGHTS = [
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000,
    4000, 2500, 1500, 1000,
]
BAND_65 = 13  # 65-69
BAND_80 = 16  # 80-84
LAST_BAND = 18  # 90+

# z for 95 % (core/src/stats/confidence.rs, Confidence::p95).
Z95 = 1.959963984540054
ALPHA = 0.05
# PHE: exact Poisson limits below 10 events, Byar's from 10 on; no DSR below 10 events.
EXACT_BELOW = 10

COLUMNS = ["indicator", "level", "unit", "period", "numerator", "denominator", "value", "lower", "upper"]


def poisson_cdf(x, lam):
    """P(X <= x) for X ~ Poisson(lam), x a whole number >= 0 (a finite sum, x < 10 here)."""
    term = math.exp(-lam)
    total = term
    for k in range(1, x + 1):
        term *= lam / k
        total += term
    return total


def _solve(f, lo, hi):
    """The root of an increasing f on [lo, hi], by bisection to the last bit."""
    for _ in range(2000):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if f(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def exact_limits(x):
    """Garwood's exact 95 % limits of a count x: L with P(X >= x | L) = alpha/2 (0 at x = 0) and
    U with P(X <= x | U) = alpha/2, i.e. the gamma quantiles of core/src/stats/poisson.rs for a
    whole x, solved here on the Poisson sums instead of a chi-square table."""
    lower = 0.0
    if x > 0:
        # 1 - P(X <= x-1 | L) increases with L.
        lower = _solve(lambda lam: (1.0 - poisson_cdf(x - 1, lam)) - ALPHA / 2, 0.0, 100.0)
    # alpha/2 - P(X <= x | U) increases with U.
    upper = _solve(lambda lam: ALPHA / 2 - poisson_cdf(x, lam), 0.0, 100.0)
    return lower, upper


def exact_table():
    """(count, lower, upper) for the counts 0-9, for the engines to join on."""
    return [(x, *exact_limits(x)) for x in range(EXACT_BELOW)]


LEVELS = {"lan": 2, "kommun": 4}  # the unit: the DeSO code's first N characters
SQL_MARKER = "-- pack query"


def _double(v):
    # A plain literal like 1.96 would be a DECIMAL in DuckDB; the formulas are in doubles.
    return f"CAST({float(v)!r} AS DOUBLE)"


def duckdb_statements(events, population):
    """The DuckDB statements of the pack (pack.sql, filled in): the constant tables, the loading
    of the two files (by the names DuckDB sees them under), one query per level; each query
    returns rows in COLUMNS order."""
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "pack.sql"), encoding="utf-8") as f:
        text = f.read()
    load, _, query = text.partition(SQL_MARKER)
    query = query.split("\n", 1)[1]
    bands = ", ".join(f"('{l}', {i}, {w})" for i, (l, w) in enumerate(zip(ESP2013_BANDS, ESP2013_WEIGHTS)))
    exact = ", ".join(f"({_double(x)}, {_double(lo)}, {_double(up)})" for x, lo, up in exact_table())
    constants = [
        f"CREATE TABLE bands_t AS SELECT * FROM (VALUES {bands}) t(label, band, weight)",
        f"CREATE TABLE exact_t AS SELECT * FROM (VALUES {exact}) t(count, lower, upper)",
    ]
    load = "\n".join(l for l in load.splitlines() if not l.startswith("--"))
    loads = [s.strip() for s in load.format(events=events, population=population).split(";") if s.strip()]
    queries = [
        query.format(
            n=n,
            level=level,
            b65=BAND_65,
            b80=BAND_80,
            nb65=LAST_BAND - BAND_65 + 1,
            z=_double(Z95),
            z2=_double(Z95 * Z95),
            exact_below=EXACT_BELOW,
        )
        for level, n in LEVELS.items()
    ]
    return {"constants": constants, "load": loads, "queries": queries}


def write_rows(rows, out):
    """Writes the result rows (tuples in COLUMNS order; None for no value) as CSV, numbers in
    full precision (repr), sorted so that two engines' files can be diffed."""
    def fmt(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return ""
        if isinstance(v, float):
            return repr(v)
        return str(v)

    rows = sorted(rows, key=lambda r: (r[0], r[1], str(r[2]), str(r[3])))
    with open(out, "w", encoding="utf-8") as f:
        f.write(",".join(COLUMNS) + "\n")
        for r in rows:
            f.write(",".join(fmt(v) for v in r) + "\n")


def args():
    """EVENTS POPULATION OUT from the command line."""
    if len(sys.argv) != 4:
        sys.exit(f"usage: {sys.argv[0]} EVENTS.csv POPULATION.csv OUT.csv")
    return sys.argv[1], sys.argv[2], sys.argv[3]


if __name__ == "__main__":
    # `python pack_common.py sql EVENTS POPULATION`: the statements as JSON, for the browser page.
    if len(sys.argv) == 4 and sys.argv[1] == "sql":
        print(json.dumps(duckdb_statements(sys.argv[2], sys.argv[3])))
    else:
        sys.exit("usage: pack_common.py sql EVENTS POPULATION")
