//! The numbers check of `cargo xtask bench pack`: Samsyn's table CSVs against an engine's
//! result file, value by value.
//!
//! Samsyn writes one CSV per table cell, `<indicator>-<level>.csv`, whose first column is named
//! by the level (`lan`, `kommun`), then `year,numerator,denominator,value,lower,upper,…`. The
//! engines write one file, `indicator,level,unit,period,numerator,denominator,value,lower,upper`
//! (`bench/pack_common.py`). Both leave a field empty where there is no value.

use std::collections::BTreeMap;
use std::path::Path;

/// The compared fields, in the engines' column order.
pub const FIELDS: [&str; 5] = ["numerator", "denominator", "value", "lower", "upper"];

/// (indicator, level, unit, period).
pub type Key = (String, String, String, String);
/// The compared fields of one row; `None` where the field is empty.
pub type Values = [Option<f64>; 5];
pub type Table = BTreeMap<Key, Values>;

/// How two tables compare.
#[derive(Debug, Default, PartialEq)]
pub struct Agreement {
    /// Rows compared (present in both).
    pub rows: usize,
    /// The largest relative difference |a − b| / max(|a|, |b|) over all fields with a value.
    pub max_rel: f64,
    /// Where it was: key and field.
    pub max_at: Option<(Key, &'static str)>,
    /// What does not match at all: a row in one only, or a value in one only.
    pub problems: Vec<String>,
}

impl Agreement {
    /// Whether the engine gives Samsyn's numbers to `tolerance` (relative).
    pub fn ok(&self, tolerance: f64) -> bool {
        self.problems.is_empty() && self.max_rel <= tolerance && self.rows > 0
    }
}

/// Splits one CSV line into fields (RFC 4180 quotes; no line breaks inside a field, which
/// neither side writes).
pub fn split_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

fn number(text: &str, what: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>()
        .map(Some)
        .map_err(|_| format!("{what}: '{t}' is not a number"))
}

fn column(header: &[String], name: &str, file: &str) -> Result<usize, String> {
    header
        .iter()
        .position(|h| h == name)
        .ok_or_else(|| format!("{file}: no column '{name}'"))
}

fn values(fields: &[String], cols: &[usize; 5], at: &str) -> Result<Values, String> {
    let mut v = [None; 5];
    for (slot, (&c, name)) in v.iter_mut().zip(cols.iter().zip(FIELDS)) {
        let text = fields.get(c).map(String::as_str).unwrap_or("");
        *slot = number(text, &format!("{at}, {name}"))?;
    }
    Ok(v)
}

/// Reads one Samsyn table CSV of `indicator` at `level` (the unit column is named `level`).
pub fn read_samsyn(
    text: &str,
    indicator: &str,
    level: &str,
    into: &mut Table,
) -> Result<(), String> {
    let file = format!("{indicator}-{level}.csv");
    let mut lines = text.lines();
    let header = split_line(lines.next().ok_or_else(|| format!("{file}: empty"))?);
    let unit = column(&header, level, &file)?;
    let period = column(&header, "year", &file)?;
    let mut cols = [0; 5];
    for (c, name) in cols.iter_mut().zip(FIELDS) {
        *c = column(&header, name, &file)?;
    }
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let f = split_line(line);
        let at = format!("{file} line {}", i + 2);
        let get = |c: usize| f.get(c).cloned().unwrap_or_default();
        let key = (
            indicator.to_owned(),
            level.to_owned(),
            get(unit),
            get(period),
        );
        into.insert(key, values(&f, &cols, &at)?);
    }
    Ok(())
}

/// Reads an engine's result file.
pub fn read_engine(text: &str, file: &str) -> Result<Table, String> {
    let mut lines = text.lines();
    let header = split_line(lines.next().ok_or_else(|| format!("{file}: empty"))?);
    let key_cols = ["indicator", "level", "unit", "period"].map(|k| column(&header, k, file));
    let [a, b, c, d] = key_cols;
    let (a, b, c, d) = (a?, b?, c?, d?);
    let mut cols = [0; 5];
    for (col, name) in cols.iter_mut().zip(FIELDS) {
        *col = column(&header, name, file)?;
    }
    let mut table = Table::new();
    for (i, line) in lines.enumerate().filter(|(_, l)| !l.is_empty()) {
        let f = split_line(line);
        let get = |c: usize| f.get(c).cloned().unwrap_or_default();
        let key = (get(a), get(b), get(c), get(d));
        table.insert(key, values(&f, &cols, &format!("{file} line {}", i + 2))?);
    }
    Ok(table)
}

/// Reads Samsyn's table CSVs from `dir` for the given indicators and levels.
pub fn read_samsyn_dir(dir: &Path, indicators: &[&str], levels: &[&str]) -> Result<Table, String> {
    let mut table = Table::new();
    for ind in indicators {
        for level in levels {
            let path = dir.join(format!("{ind}-{level}.csv"));
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            read_samsyn(&text, ind, level, &mut table)?;
        }
    }
    Ok(table)
}

fn show(k: &Key) -> String {
    format!("{} {} {} {}", k.0, k.1, k.2, k.3)
}

/// Compares an engine's table with Samsyn's.
pub fn compare(samsyn: &Table, engine: &Table) -> Agreement {
    let mut a = Agreement::default();
    for (key, s) in samsyn {
        let Some(e) = engine.get(key) else {
            a.problems.push(format!("{}: only in Samsyn", show(key)));
            continue;
        };
        a.rows += 1;
        for ((x, y), field) in s.iter().zip(e).zip(FIELDS) {
            match (x, y) {
                (None, None) => {}
                (Some(x), Some(y)) => {
                    let scale = x.abs().max(y.abs());
                    let rel = if scale == 0.0 {
                        0.0
                    } else {
                        (x - y).abs() / scale
                    };
                    // NaN (never written by either) counts as a problem, not as agreement.
                    if rel.is_nan() {
                        a.problems
                            .push(format!("{} {field}: {x} against {y}", show(key)));
                    } else if rel > a.max_rel || a.max_at.is_none() {
                        a.max_rel = a.max_rel.max(rel);
                        a.max_at = Some((key.clone(), field));
                    }
                }
                (x, y) => a.problems.push(format!(
                    "{} {field}: Samsyn {} against {}",
                    show(key),
                    x.map_or("no value".to_owned(), |v| v.to_string()),
                    y.map_or("no value".to_owned(), |v| v.to_string())
                )),
            }
        }
    }
    for key in engine.keys().filter(|k| !samsyn.contains_key(*k)) {
        a.problems.push(format!("{}: not in Samsyn", show(key)));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMSYN: &str = "kommun,year,numerator,denominator,value,lower,upper,light,reason
2401,2021,76,2019,37.64239722634968,29.6568277799819,47.11569059965472,yellow,\"I nivå med länet: 37,6 (95 % KI 29,7–47,1) mot 34,1\"
2403,2021,3,500,,,,not classified,För få
";

    fn samsyn() -> Table {
        let mut t = Table::new();
        read_samsyn(SAMSYN, "fall_admissions_80", "kommun", &mut t).unwrap();
        t
    }

    fn key(unit: &str) -> Key {
        let s = |x: &str| x.to_owned();
        (s("fall_admissions_80"), s("kommun"), s(unit), s("2021"))
    }

    #[test]
    fn quoted_fields_keep_their_commas_and_quotes() {
        assert_eq!(
            split_line("a,\"b, \"\"c\"\"\",,d"),
            vec!["a", "b, \"c\"", "", "d"]
        );
    }

    #[test]
    fn samsyn_rows_are_read_by_level_column_with_empty_values_as_none() {
        let t = samsyn();
        assert_eq!(t.len(), 2);
        let v = t[&key("2401")];
        assert_eq!(v[0], Some(76.0));
        assert_eq!(v[4], Some(47.11569059965472));
        assert_eq!(t[&key("2403")], [Some(3.0), Some(500.0), None, None, None]);
    }

    #[test]
    fn the_largest_relative_difference_is_found_and_where() {
        let engine = read_engine(
            "indicator,level,unit,period,numerator,denominator,value,lower,upper
fall_admissions_80,kommun,2401,2021,76.0,2019.0,37.64239722634968,29.656827779981903,47.11569059965472
fall_admissions_80,kommun,2403,2021,3.0,500.0,,,
",
            "e.csv",
        )
        .unwrap();
        let a = compare(&samsyn(), &engine);
        assert_eq!(a.rows, 2);
        assert!(a.problems.is_empty(), "{:?}", a.problems);
        let expected = (29.656827779981903f64 - 29.6568277799819).abs() / 29.656827779981903;
        assert_eq!(a.max_rel, expected);
        assert_eq!(a.max_at, Some((key("2401"), "lower")));
        assert!(a.ok(1e-9));
    }

    #[test]
    fn a_missing_row_a_missing_value_and_a_far_value_fail() {
        let engine = read_engine(
            "indicator,level,unit,period,numerator,denominator,value,lower,upper
fall_admissions_80,kommun,2401,2021,76,2019,37.65,,47.11569059965472
fall_admissions_80,kommun,2404,2021,1,2,3,4,5
",
            "e.csv",
        )
        .unwrap();
        let a = compare(&samsyn(), &engine);
        assert_eq!(
            a.problems,
            vec![
                "fall_admissions_80 kommun 2401 2021 lower: Samsyn 29.6568277799819 against no value",
                "fall_admissions_80 kommun 2403 2021: only in Samsyn",
                "fall_admissions_80 kommun 2404 2021: not in Samsyn",
            ]
        );
        assert!((a.max_rel - (37.65 - 37.64239722634968) / 37.65).abs() < 1e-15);
        assert!(!a.ok(1e-9));
    }

    #[test]
    fn bad_numbers_and_missing_columns_are_errors_by_message() {
        let err = read_engine("indicator,level,unit,period,numerator\n", "e.csv").unwrap_err();
        assert_eq!(err, "e.csv: no column 'denominator'");
        let err = read_engine(
            "indicator,level,unit,period,numerator,denominator,value,lower,upper\na,b,c,d,1,x,,,\n",
            "e.csv",
        )
        .unwrap_err();
        assert_eq!(err, "e.csv line 2, denominator: 'x' is not a number");
    }
}
