"""The fall pack of `cargo xtask bench pack` in Polars (see pack_common.py for what it is).

usage: python pack_polars.py EVENTS.csv POPULATION.csv OUT.csv

One lazy query per level from the CSV scans (only the needed columns are read) to the limits;
Python only passes the constants (ESP 2013 weights, exact Poisson limits of the counts 0-9) as
small frames.
"""

import polars as pl

import pack_common as pc

Z = pc.Z95
Z2 = pc.Z95 * pc.Z95


def byar_lower(o):
    return o * (1 - 1 / (9 * o) - Z / (3 * o.sqrt())) ** 3


def byar_upper(o):
    return (o + 1) * (1 - 1 / (9 * (o + 1)) + Z / (3 * (o + 1).sqrt())) ** 3


def pack(events, population, bands, exact, level, n):
    ev = events.with_columns(
        pl.col("deso").str.slice(0, n).alias("unit"),
        pl.col("date").dt.year().cast(pl.Int64).alias("period"),
        pl.min_horizontal(pl.col("age") // 5, pl.lit(pc.LAST_BAND)).cast(pl.Int64).alias("band"),
    )
    pop = (
        population.join(bands, left_on="age_band", right_on="label")
        .with_columns(pl.col("deso").str.slice(0, n).alias("unit"), pl.col("year").cast(pl.Int64).alias("period"))
        .group_by("unit", "period", "band", "weight")
        .agg(pl.col("population").sum().alias("n"))
    )
    keys = ["unit", "period"]
    lit = pl.lit

    # DSR 65+: every 65+ band of the population, with its events (0 where none).
    x65 = (
        ev.filter((pl.col("event_type") == "fall_injury") & (pl.col("band") >= pc.BAND_65))
        .group_by("unit", "period", "band")
        .agg(pl.len().cast(pl.Float64).alias("x"))
    )
    nb65 = pc.LAST_BAND - pc.BAND_65 + 1
    ratio = pl.col("weight") / pl.col("n")
    dsr = (
        pop.filter(pl.col("band") >= pc.BAND_65)
        .join(x65, on=["unit", "period", "band"], how="left")
        .with_columns(pl.col("x").fill_null(0.0), pl.col("weight").cast(pl.Float64))
        .group_by(keys)
        .agg(
            pl.col("x").sum().alias("o"),
            pl.col("n").sum().alias("pop"),
            pl.col("weight").sum().alias("sw"),
            (pl.col("x") * ratio).sum().alias("weighted"),
            (pl.col("x") * ratio * ratio).sum().alias("var"),
            pl.len().alias("nbands"),
            pl.col("n").min().alias("min_n"),
        )
        .with_columns(
            (100000 * pl.col("weighted") / pl.col("sw")).alias("v"),
            (100000 * ((pl.col("var") / (pl.col("sw") * pl.col("sw"))) / pl.col("o")).sqrt()).alias("scale"),
        )
    )
    shown = (pl.col("o") >= pc.EXACT_BELOW) & (pl.col("nbands") == nb65) & (pl.col("min_n") > 0)
    lo = byar_lower(pl.col("o"))
    dsr = dsr.select(
        lit("fall_injuries_65_dsr").alias("indicator"),
        *keys,
        pl.col("o").alias("numerator"),
        pl.col("pop").alias("denominator"),
        pl.when(shown).then(pl.col("v")).alias("value"),
        pl.when(shown & (lo >= 0)).then(pl.col("v") + pl.col("scale") * (lo - pl.col("o"))).alias("lower"),
        pl.when(shown).then(pl.col("v") + pl.col("scale") * (byar_upper(pl.col("o")) - pl.col("o"))).alias("upper"),
    )

    # Crude rate 80+ per 1 000; exact limits below 10 events.
    x80 = (
        ev.filter(
            (pl.col("event_type") == "admission") & (pl.col("cause") == "fall") & (pl.col("band") >= pc.BAND_80)
        )
        .group_by(keys)
        .agg(pl.len().cast(pl.Float64).alias("x"))
    )
    x = pl.col("x")
    den = pl.col("n")
    rate = (
        pop.filter(pl.col("band") >= pc.BAND_80)
        .group_by(keys)
        .agg(pl.col("n").sum())
        .join(x80, on=keys, how="left")
        .with_columns(x.fill_null(0.0))
        .join(exact, left_on="x", right_on="count", how="left")
        .select(
            lit("fall_admissions_80").alias("indicator"),
            *keys,
            x.alias("numerator"),
            den.alias("denominator"),
            pl.when(den > 0).then(x / den * 1000).alias("value"),
            pl.when(den > 0)
            .then(pl.when(x < pc.EXACT_BELOW).then(pl.col("lower")).otherwise(byar_lower(x)) / den * 1000)
            .alias("lower"),
            pl.when(den > 0)
            .then(pl.when(x < pc.EXACT_BELOW).then(pl.col("upper")).otherwise(byar_upper(x)) / den * 1000)
            .alias("upper"),
        )
    )

    # Share assessed within 3 days, Wilson.
    root = Z * (Z2 + 4 * x * (1 - x / den)).sqrt()
    share = (
        ev.filter(pl.col("event_type") == "assessed_within_3_days")
        .group_by(keys)
        .agg((pl.col("value") == 1).sum().cast(pl.Float64).alias("x"), pl.len().cast(pl.Float64).alias("n"))
        .select(
            lit("assessed_within_3_days").alias("indicator"),
            *keys,
            x.alias("numerator"),
            den.alias("denominator"),
            (x / den * 100).alias("value"),
            (pl.when(x == 0).then(0.0).otherwise(pl.max_horizontal(0.0, (2 * x + Z2 - root) / (2 * (den + Z2))))
             * 100).alias("lower"),
            (pl.when(x == den).then(1.0).otherwise(pl.min_horizontal(1.0, (2 * x + Z2 + root) / (2 * (den + Z2))))
             * 100).alias("upper"),
        )
    )
    return pl.concat([dsr, rate, share]).with_columns(lit(level).alias("level"))


def main():
    events_path, population_path, out = pc.args()
    events = pl.scan_csv(
        events_path,
        schema_overrides={"deso": pl.Utf8, "date": pl.Date, "age": pl.Int64, "value": pl.Float64},
    ).select("deso", "date", "age", "event_type", "cause", "value")
    population = pl.scan_csv(
        population_path, schema_overrides={"deso": pl.Utf8, "year": pl.Int64, "population": pl.Float64}
    ).select("year", "deso", "age_band", "population")
    bands = pl.LazyFrame(
        {
            "label": pc.ESP2013_BANDS,
            "band": list(range(len(pc.ESP2013_BANDS))),
            "weight": pc.ESP2013_WEIGHTS,
        },
        schema={"label": pl.Utf8, "band": pl.Int64, "weight": pl.Int64},
    )
    table = pc.exact_table()
    exact = pl.LazyFrame(
        {"count": [float(r[0]) for r in table], "lower": [r[1] for r in table], "upper": [r[2] for r in table]}
    )
    frames = [pack(events, population, bands, exact, level, n) for level, n in pc.LEVELS.items()]
    result = pl.concat(frames).collect()
    cols = result.select(pc.COLUMNS).rows()
    pc.write_rows(cols, out)


if __name__ == "__main__":
    main()
