-- The fall pack of `cargo xtask bench pack` in DuckDB SQL, natively (pack_duckdb.py) and in
-- DuckDB-Wasm (pack.html); pack_common.py fills the names in braces and supplies the constant
-- tables bands_t (ESP 2013) and exact_t (exact Poisson limits of the counts 0-9).
-- Only the columns the pack needs are kept, typed, as Samsyn's plan keeps only those.
CREATE TABLE events AS SELECT deso, date, age, event_type, cause, value FROM read_csv('{events}', header = true,
    types = {{'deso': 'VARCHAR', 'date': 'DATE', 'age': 'INTEGER', 'event_type': 'VARCHAR', 'cause': 'VARCHAR', 'value': 'DOUBLE'}});
CREATE TABLE population AS SELECT year, deso, age_band, population FROM read_csv('{population}', header = true,
    types = {{'year': 'INTEGER', 'deso': 'VARCHAR', 'age_band': 'VARCHAR', 'population': 'DOUBLE'}});
-- pack query (once per level: {level} is lan or kommun, {n} the characters of the DeSO code that make the unit)
WITH
bands AS (SELECT * FROM bands_t),
exact AS (SELECT * FROM exact_t),
ev AS (
    SELECT substr(deso, 1, {n}) AS unit, year(date) AS period, least(age // 5, 18) AS band,
           event_type, cause, value
    FROM events
),
pop AS (
    SELECT substr(p.deso, 1, {n}) AS unit, p.year AS period, b.band, b.weight,
           sum(p.population)::DOUBLE AS n
    FROM population p JOIN bands b ON b.label = p.age_band
    GROUP BY ALL
),
-- DSR 65+: every 65+ band of the population, with its events (0 where none).
dsr_bands AS (
    SELECT pop.unit, pop.period, pop.weight::DOUBLE AS w, pop.n, coalesce(x.x, 0)::DOUBLE AS x
    FROM pop LEFT JOIN (
        SELECT unit, period, band, count(*) AS x FROM ev
        WHERE event_type = 'fall_injury' AND band >= {b65} GROUP BY ALL
    ) x USING (unit, period, band)
    WHERE pop.band >= {b65}
),
dsr_sums AS (
    SELECT unit, period, sum(x) AS o, sum(n) AS pop, sum(w) AS sw,
           sum(x * (w / n)) AS weighted, sum(x * (w / n) * (w / n)) AS var,
           count(*) AS nbands, min(n) AS min_n
    FROM dsr_bands GROUP BY ALL
),
dsr AS (
    SELECT unit, period, o, pop,
           100000 * weighted / sw AS v,
           100000 * sqrt((var / (sw * sw)) / o) AS scale,
           o * pow(1 - 1 / (9 * o) - {z} / (3 * sqrt(o)), 3) AS byar_l,
           (o + 1) * pow(1 - 1 / (9 * (o + 1)) + {z} / (3 * sqrt(o + 1)), 3) AS byar_u,
           nbands, min_n
    FROM dsr_sums
),
-- Crude rate 80+ per 1 000.
rate_num AS (
    SELECT unit, period, count(*)::DOUBLE AS x FROM ev
    WHERE event_type = 'admission' AND cause = 'fall' AND band >= {b80} GROUP BY ALL
),
rate_den AS (
    SELECT unit, period, sum(n) AS n FROM pop WHERE band >= {b80} GROUP BY ALL
),
rate AS (
    SELECT d.unit, d.period, coalesce(r.x, 0) AS x, d.n
    FROM rate_den d LEFT JOIN rate_num r USING (unit, period)
),
-- Share assessed within 3 days, Wilson.
share AS (
    SELECT unit, period, count(*) FILTER (WHERE value = 1)::DOUBLE AS x, count(*)::DOUBLE AS n
    FROM ev WHERE event_type = 'assessed_within_3_days' GROUP BY ALL
)
SELECT 'fall_injuries_65_dsr', '{level}', unit, period, o, pop,
       CASE WHEN o >= {exact_below} AND nbands = {nb65} AND min_n > 0 THEN v END,
       CASE WHEN o >= {exact_below} AND nbands = {nb65} AND min_n > 0 AND byar_l >= 0
            THEN v + scale * (byar_l - o) END,
       CASE WHEN o >= {exact_below} AND nbands = {nb65} AND min_n > 0
            THEN v + scale * (byar_u - o) END
FROM dsr
UNION ALL
SELECT 'fall_admissions_80', '{level}', unit, period, x, n,
       CASE WHEN n > 0 THEN x / n * 1000 END,
       CASE WHEN n > 0 THEN (CASE WHEN x < {exact_below} THEN e.lower
            ELSE x * pow(1 - 1 / (9 * x) - {z} / (3 * sqrt(x)), 3) END) / n * 1000 END,
       CASE WHEN n > 0 THEN (CASE WHEN x < {exact_below} THEN e.upper
            ELSE (x + 1) * pow(1 - 1 / (9 * (x + 1)) + {z} / (3 * sqrt(x + 1)), 3) END) / n * 1000 END
FROM rate LEFT JOIN exact e ON e.count = rate.x
UNION ALL
SELECT 'assessed_within_3_days', '{level}', unit, period, x, n, x / n * 100,
       CASE WHEN x = 0 THEN 0 ELSE greatest(0, (2 * x + {z2} - {z} * sqrt({z2} + 4 * x * (1 - x / n)))
            / (2 * (n + {z2}))) END * 100,
       CASE WHEN x = n THEN 1 ELSE least(1, (2 * x + {z2} + {z} * sqrt({z2} + 4 * x * (1 - x / n)))
            / (2 * (n + {z2}))) END * 100
FROM share
