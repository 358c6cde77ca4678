//! The aggregating query of one source, for an engine where the data is (issue 14): DuckDB,
//! Spark SQL or PostgreSQL. Its result is the table [`super::grouped`] reads, from which
//! Samsyn finishes the notebook as if it had read the source itself.
//!
//! The query only does what it can do exactly and the same way in every dialect, and leaves
//! every judgement to the plan:
//! 1. exact duplicates: rows alike in every column are one row, the copies counted as refused;
//! 2. the contract's row id: an empty id, or an id another row has, refuses the row (of rows
//!    sharing an id the first in the order of the columns read is kept; a file read by Samsyn
//!    keeps the first in the file);
//! 3. rows are grouped by the text of every column the plan reads. Only two key columns are
//!    made coarser, and only where the value is certainly valid: an ISO date to its month
//!    (`2024-03-17` → `2024-03`, checked against the calendar and the years Samsyn accepts) and
//!    an age of plain digits up to 120 to the first year of its 5-year band. Any other value
//!    passes as it is written, so the plan judges it with the same message and reason as in a
//!    file.
//!
//! So the groups are the cells of the plan's cube (area × health centre × month × sex × band ×
//! the values the conditions test), and the table is as small as the cube.

use std::fmt::Write;

use super::definition::SourceSpec;
use super::grouped::{REFUSAL, REFUSED_DUPLICATE, REFUSED_ROW_ID, ROWS};
use super::levels::find_column;
use super::plan::SideRequest;
use crate::contract::Contract;
use crate::dates::YEARS;
use crate::table::roles::{Role, RoleChoices};

/// The SQL dialects a query is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlDialect {
    DuckDb,
    Spark,
    Postgres,
    /// Apache DataFusion (`samsyn run --engine datafusion`; PostgreSQL's syntax, the table's
    /// columns always known).
    DataFusion,
}

impl SqlDialect {
    pub const ALL: [SqlDialect; 4] = [
        SqlDialect::DuckDb,
        SqlDialect::Spark,
        SqlDialect::Postgres,
        SqlDialect::DataFusion,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SqlDialect::DuckDb => "duckdb",
            SqlDialect::Spark => "spark",
            SqlDialect::Postgres => "postgres",
            SqlDialect::DataFusion => "datafusion",
        }
    }

    /// The dialect of a command-line name.
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == s.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                format!(
                    "'{s}' is not a SQL dialect Samsyn writes (duckdb, spark, postgres, datafusion)"
                )
            })
    }

    fn text_type(self) -> &'static str {
        match self {
            SqlDialect::DuckDb | SqlDialect::DataFusion => "VARCHAR",
            SqlDialect::Spark => "STRING",
            SqlDialect::Postgres => "TEXT",
        }
    }

    /// A quoted identifier.
    fn ident(self, name: &str) -> String {
        match self {
            SqlDialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `e` matches the regular expression `pattern` as a whole (ASCII classes only).
    fn full_match(self, e: &str, pattern: &str) -> String {
        match self {
            SqlDialect::DuckDb => format!("regexp_full_match({e}, '{pattern}')"),
            SqlDialect::Spark => format!("{e} RLIKE '^{pattern}$'"),
            SqlDialect::Postgres | SqlDialect::DataFusion => format!("{e} ~ '^{pattern}$'"),
        }
    }

    fn text(self, e: &str) -> String {
        format!("CAST({e} AS {})", self.text_type())
    }

    fn int(self, e: &str) -> String {
        match self {
            SqlDialect::Spark => format!("CAST({e} AS INT)"),
            _ => format!("CAST({e} AS INTEGER)"),
        }
    }
}

/// What the query of one source is written from.
#[derive(Debug, Clone, Copy)]
pub struct SourceQuery<'a> {
    /// The source's name: the table or view the query reads.
    pub name: &'a str,
    pub spec: &'a SourceSpec,
    pub requests: &'a [SideRequest],
    pub contract: Option<&'a Contract>,
    /// The table's columns, when known: then the checks of columns that are not keys (a
    /// `kommun` beside the DeSO code, a year beside the date) come along, and the query
    /// names every column (PostgreSQL needs that).
    pub header: Option<&'a [String]>,
}

/// How one column the plan reads is written in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Out {
    Raw,
    /// An ISO date made its month, when certainly valid.
    Month,
    /// An age made the first year of its band, when certainly valid.
    Band,
}

impl SourceQuery<'_> {
    /// The columns the plan reads, in the table's spelling, and how each is written.
    fn columns(&self) -> Vec<(String, Out)> {
        let spell = |c: &str| -> String {
            match self.header {
                Some(h) => find_column(h, c).map_or(c, |i| h[i].as_str()).to_owned(),
                None => c.to_owned(),
            }
        };
        let s = self.spec;
        let roles: Vec<Option<Role>> = match self.header {
            Some(h) => RoleChoices::default().roles_of(h),
            None => Vec::new(),
        };
        let by_role = |role: Role| -> Option<String> {
            let h = self.header?;
            roles
                .iter()
                .position(|r| *r == Some(role))
                .map(|i| h[i].clone())
        };
        let mut keys: Vec<String> = [
            &s.deso,
            &s.kommun,
            &s.lan,
            &s.provider,
            &s.year,
            &s.date,
            &s.sex,
            &s.age,
            &s.age_band,
        ]
        .into_iter()
        .flatten()
        .map(|c| spell(c))
        .collect();
        for (key, role) in [
            (&s.deso, Role::Deso),
            (&s.kommun, Role::Kommun),
            (&s.year, Role::Year),
            (&s.date, Role::Date),
            (&s.sex, Role::Sex),
            (&s.age, Role::Age),
        ] {
            if key.is_none() {
                keys.extend(by_role(role));
            }
        }
        // Columns read for more than their key: conditions, sums, the contract.
        let mut other: Vec<String> = Vec::new();
        for r in self.requests {
            other.extend(r.conditions.iter().map(|c| spell(&c.column)));
            other.extend(r.sum.as_deref().map(spell));
        }
        if let Some(c) = self.contract {
            other.extend(c.allowed.keys().map(|k| spell(k)));
            for (k, range) in &c.ranges {
                other.push(spell(k));
                other.extend(range.when.as_ref().map(|w| spell(&w.column)));
            }
        }
        let used_otherwise = |c: &str| other.iter().any(|o| o.eq_ignore_ascii_case(c));
        let mut out: Vec<(String, Out)> = Vec::new();
        for c in keys.into_iter().chain(other.iter().cloned()) {
            if out.iter().any(|(o, _)| o.eq_ignore_ascii_case(&c)) {
                continue;
            }
            let is = |k: &Option<String>| k.as_deref().is_some_and(|k| spell(k) == c);
            let how = if is(&s.date) && !used_otherwise(&c) {
                Out::Month
            } else if is(&s.age) && !used_otherwise(&c) {
                Out::Band
            } else {
                Out::Raw
            };
            out.push((c, how));
        }
        out
    }

    /// The contract's row id as the query compares it (trimmed text), if it has one.
    fn row_id(&self, d: SqlDialect) -> Option<String> {
        let id = self.contract.and_then(|c| c.row_id.as_deref())?;
        let id = self
            .header
            .and_then(|h| find_column(h, id).map(|i| h[i].clone()))
            .unwrap_or_else(|| id.to_owned());
        Some(format!("TRIM({})", d.text(&d.ident(&id))))
    }

    /// What decides the part of the table a row can be aggregated in apart from the others (the
    /// DataFusion executor's buckets, issue 14): expressions alike for any two rows the query
    /// compares, exact duplicates and rows sharing a row id. The trimmed row id when the
    /// contract has one, else the text of every column (the header is needed then).
    pub fn partition_key(&self, dialect: SqlDialect) -> Result<Vec<String>, String> {
        if let Some(id) = self.row_id(dialect) {
            return Ok(vec![id]);
        }
        match self.header {
            Some(h) if !h.is_empty() => {
                Ok(h.iter().map(|c| dialect.text(&dialect.ident(c))).collect())
            }
            _ => Err(format!(
                "the rows of '{}' cannot be split into parts without the table's columns",
                self.name
            )),
        }
    }

    /// The query, or why it cannot be written.
    pub fn write(&self, dialect: SqlDialect) -> Result<String, String> {
        // A name from a notebook must not end a comment and become SQL (quoted identifiers
        // could hold it, but no table is called so).
        if self.name.chars().any(char::is_control) {
            return Err(format!(
                "the data name {:?} holds a control character; rename the data cell",
                self.name
            ));
        }
        let d = dialect;
        let t = d.text_type();
        let columns = self.columns();
        let table = d.ident(self.name);
        let mut q = String::new();
        let _ = writeln!(
            q,
            "-- Samsyn: the aggregated table of the data '{}' (samsyn sql, {}).",
            self.name,
            d.name()
        );
        q.push_str(
            "-- Run it where the table is; save the result as CSV (with its header) or Parquet and give it\n\
             -- to `samsyn run NOTEBOOK --aggregates NAME=FILE`. Every column is read as text; only exact\n\
             -- duplicates, row ids, certainly valid dates (to their month) and ages (to their band) are\n\
             -- handled here: every other check is Samsyn's, on the groups.\n",
        );
        if self.header.is_none() {
            q.push_str(
                "-- Written without the table's header: columns that are not keys are not checked for\n\
                 -- their role (a kommun beside the DeSO code, a year beside the date); give --header.\n",
            );
        }
        let dedup = !self.contract.is_some_and(|c| c.allow_duplicate_rows);
        let all_columns = match self.header {
            Some(h) => Some(h.iter().map(|c| d.ident(c)).collect::<Vec<_>>().join(", ")),
            None => None,
        };
        q.push_str("WITH samsyn_copies AS (\n");
        match (dedup, &all_columns, d) {
            (false, _, _) => {
                let _ = writeln!(q, "  SELECT *, 1 AS samsyn_copies FROM {table}");
            }
            (true, Some(all), _) => {
                let _ = writeln!(
                    q,
                    "  SELECT {all}, COUNT(*) AS samsyn_copies FROM {table} GROUP BY {all}"
                );
            }
            (true, None, SqlDialect::Postgres | SqlDialect::DataFusion) => {
                return Err(format!(
                    "PostgreSQL cannot group by every column of '{}' without their names: give the table's header with --header {}=FILE",
                    self.name, self.name
                ))
            }
            (true, None, _) => {
                let _ = writeln!(
                    q,
                    "  SELECT *, COUNT(*) AS samsyn_copies FROM {table} GROUP BY ALL"
                );
            }
        }
        q.push_str("),\nsamsyn_checked AS (\n");
        let order = columns
            .iter()
            .map(|(c, _)| d.text(&d.ident(c)))
            .collect::<Vec<_>>()
            .join(", ");
        match self.row_id(d) {
            Some(id) => {
                let order = if order.is_empty() {
                    "1".to_owned()
                } else {
                    order.clone()
                };
                // Of rows sharing an id, all but the first in the order of the columns read.
                // DataFusion ranks one id at a time slowly (a window partition each), so there
                // a row is the first unless the row before it in (id, columns) order has its
                // id: the same rows.
                let repeated = match d {
                    SqlDialect::DataFusion => {
                        format!("LAG({id}) OVER (ORDER BY {id}, {order}) = {id}")
                    }
                    _ => format!("ROW_NUMBER() OVER (PARTITION BY {id} ORDER BY {order}) > 1"),
                };
                let _ = writeln!(
                    q,
                    "  SELECT samsyn_copies.*,\n    CASE\n      WHEN COALESCE({id}, '') = '' THEN '{REFUSED_ROW_ID}'\n      WHEN {repeated} THEN '{REFUSED_ROW_ID}'\n    END AS samsyn_refusal\n  FROM samsyn_copies"
                );
            }
            None => {
                let _ = writeln!(
                    q,
                    "  SELECT samsyn_copies.*, CAST(NULL AS {t}) AS samsyn_refusal FROM samsyn_copies"
                );
            }
        }
        q.push_str("),\nsamsyn_groups AS (\n  SELECT\n");
        for (c, how) in &columns {
            let v = d.text(&d.ident(c));
            let e = match how {
                Out::Raw => v,
                Out::Month => month_of(d, &v),
                Out::Band => band_of(d, &v),
            };
            let _ = writeln!(q, "    {e} AS {},", d.ident(c));
        }
        // Named apart from the output's column, so that no engine (Spark) takes one for the other.
        q.push_str(
            "    samsyn_refusal AS samsyn_reason, samsyn_copies\n  FROM samsyn_checked\n)\n",
        );
        let names = columns.iter().map(|(c, _)| d.ident(c)).collect::<Vec<_>>();
        let list = |v: &[String]| {
            if v.is_empty() {
                String::new()
            } else {
                format!("{}, ", v.join(", "))
            }
        };
        // One aggregate over the groups, so that an engine which inlines common table
        // expressions (DataFusion) runs the duplicates, row ids and groups once: the columns of
        // rows the query refused are left empty, and their counts add up by reason. The copies
        // of exact duplicates are counted by the same aggregate, in its grouping set of no
        // column (one row, kept only when there are copies: Spark cannot test GROUPING() in a
        // HAVING, so the outer query drops it).
        let kept = names
            .iter()
            .map(|n| format!("CASE WHEN samsyn_reason IS NULL THEN {n} END AS {n}"))
            .collect::<Vec<_>>();
        if dedup {
            let _ = writeln!(
                q,
                "SELECT * FROM (\n  SELECT {}CASE WHEN GROUPING(samsyn_reason) = 1 THEN SUM(samsyn_copies - 1) ELSE COUNT(*) END AS {ROWS},\n    CASE WHEN GROUPING(samsyn_reason) = 1 THEN '{REFUSED_DUPLICATE}' ELSE samsyn_reason END AS {REFUSAL}\n  FROM samsyn_groups GROUP BY GROUPING SETS (({}samsyn_reason), ())\n) samsyn_table WHERE {ROWS} > 0",
                list(&kept),
                list(&names)
            );
        } else {
            let _ = writeln!(
                q,
                "SELECT {}COUNT(*) AS {ROWS}, samsyn_reason AS {REFUSAL}\nFROM samsyn_groups GROUP BY {}samsyn_reason",
                list(&kept),
                list(&names)
            );
        }
        let positions = (1..=columns.len() + 2)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(q, "ORDER BY {positions}");
        Ok(q)
    }
}

/// An ISO date `v` as its month (`2024-03`) when it is certainly one Samsyn accepts, else `v`.
fn month_of(d: SqlDialect, v: &str) -> String {
    let y = d.int(&format!("SUBSTR({v}, 1, 4)"));
    let m = d.int(&format!("SUBSTR({v}, 6, 2)"));
    let day = d.int(&format!("SUBSTR({v}, 9, 2)"));
    let (lo, hi) = (YEARS.start(), YEARS.end());
    let shape = d.full_match(v, "[0-9]{4}-[0-9]{2}-[0-9]{2}");
    // Nested CASEs: the casts run only on text of the right shape, in every dialect.
    format!(
        "CASE WHEN {shape} THEN CASE WHEN {y} BETWEEN {lo} AND {hi} AND {m} BETWEEN 1 AND 12 AND {day} BETWEEN 1 AND \
         CASE WHEN {m} = 2 THEN CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END \
         WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END \
         THEN SUBSTR({v}, 1, 7) ELSE {v} END ELSE {v} END"
    )
}

/// An age `v` of plain digits up to 120 as the first year of its 5-year band (90 for 90+),
/// else `v`.
fn band_of(d: SqlDialect, v: &str) -> String {
    let a = d.int(v);
    let shape = d.full_match(v, "[0-9]{1,3}");
    let band = d.int(&format!("FLOOR({a} / 5)"));
    let start = d.text(&format!("LEAST({band} * 5, 90)"));
    format!("CASE WHEN {shape} THEN CASE WHEN {a} <= 120 THEN {start} ELSE {v} END ELSE {v} END")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> SourceSpec {
        SourceSpec {
            deso: Some("deso".into()),
            date: Some("date".into()),
            age: Some("age".into()),
            sex: Some("sex".into()),
            ..SourceSpec::default()
        }
    }

    #[test]
    fn dialects_are_named_and_refused_by_name() {
        assert_eq!(SqlDialect::parse("DuckDB"), Ok(SqlDialect::DuckDb));
        assert_eq!(SqlDialect::parse("spark"), Ok(SqlDialect::Spark));
        assert_eq!(
            SqlDialect::parse("oracle").unwrap_err(),
            "'oracle' is not a SQL dialect Samsyn writes (duckdb, spark, postgres, datafusion)"
        );
    }

    #[test]
    fn postgres_needs_the_header_to_find_duplicates() {
        let s = spec();
        let q = SourceQuery {
            name: "events",
            spec: &s,
            requests: &[],
            contract: None,
            header: None,
        };
        assert_eq!(
            q.write(SqlDialect::Postgres).unwrap_err(),
            "PostgreSQL cannot group by every column of 'events' without their names: give the table's header with --header events=FILE"
        );
        let header: Vec<String> = ["deso", "date", "age", "sex", "kommun"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let q = SourceQuery {
            header: Some(&header),
            ..q
        };
        let sql = q.write(SqlDialect::Postgres).unwrap();
        assert!(sql.contains("GROUP BY \"deso\", \"date\", \"age\", \"sex\", \"kommun\""));
        // The kommun beside the DeSO key comes along to be checked against it.
        assert!(
            sql.contains("CAST(\"kommun\" AS TEXT) AS \"kommun\""),
            "{sql}"
        );
        assert!(
            sql.contains("CAST(\"date\" AS TEXT) ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"),
            "{sql}"
        );
    }

    #[test]
    fn a_name_from_a_notebook_cannot_end_the_comment() {
        let s = spec();
        let q = SourceQuery {
            name: "events\r\nDROP TABLE patients; --",
            spec: &s,
            requests: &[],
            contract: None,
            header: None,
        };
        assert_eq!(
            q.write(SqlDialect::DuckDb).unwrap_err(),
            "the data name \"events\\r\\nDROP TABLE patients; --\" holds a control character; rename the data cell"
        );
    }

    #[test]
    fn a_key_read_for_a_condition_too_is_kept_as_written() {
        use crate::indicators::definition::{CondValue, Condition, Op};
        let s = spec();
        let requests = vec![SideRequest {
            indicator: 0,
            indicator_id: "x".into(),
            side: crate::indicators::plan::Side::Numerator,
            conditions: vec![Condition {
                column: "age".into(),
                op: Op::Ge,
                value: CondValue::Number(80.0),
            }],
            sum: None,
            bands: (0, 18),
            need_sq: false,
        }];
        let q = SourceQuery {
            name: "events",
            spec: &s,
            requests: &requests,
            contract: None,
            header: None,
        };
        let sql = q.write(SqlDialect::Spark).unwrap();
        assert!(sql.contains("CAST(`age` AS STRING) AS `age`,"), "{sql}");
        assert!(sql.contains("CAST(`date` AS STRING) RLIKE"), "{sql}");
        assert!(sql.contains("GROUP BY ALL"));
    }
}
