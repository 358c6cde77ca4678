//! The typed fields of the notebook's cells: what used to be strings that only meant something at
//! run time (a level, a period, a sort order, a column, a chart kind, a parameter kind) are
//! checked when the file is opened and serialised exactly as the strings they were.
//!
//! A field that may be filled by a parameter ([`Field`]) holds either a value or one whole
//! reference (`"level": "$level"`); a period range may also take a parameter at either end
//! (`"2019..$year"`). When the file is opened each reference must name a declared parameter
//! whose kind fits the field and whose default is a valid value; after substitution the value is
//! parsed (and so checked) again. A text with `$` that is not one whole reference is refused.

use crate::indicators::definition::{choice, not_a, Number};
use crate::indicators::Level;

choice! {
    /// What a parameter's value is. A parameter without a kind is text.
    pub enum ParamKind: "kind", "a parameter kind" {
        /// Any text (a title, a unit name, a level, a sort order).
        Text = "text", "text", "text";
        /// A number (`0,9`, `20`): a threshold, a confidence level, a year.
        Number = "number", "tal", "number";
        /// A kommun code of four digits (`2482`); also gives `$name_name`, the kommun's name.
        Kommun = "kommun", "kommun", "municipality";
        /// A care provider (health centre) as the data name it.
        Provider = "provider", "vårdcentral", "health centre";
        /// A year (`2024`) or `latest`.
        Year = "year", "år", "year";
    }
}

impl ParamKind {
    /// Why `value` is not a value of this kind, if it is not.
    pub fn problem(self, value: &str) -> Option<String> {
        let v = value.trim();
        match self {
            ParamKind::Text | ParamKind::Provider => None,
            ParamKind::Number => Number::parse(v)
                .is_none()
                .then(|| format!("'{}' is not a number", short(value))),
            ParamKind::Kommun => (!(v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit())))
                .then(|| format!("'{}' is not a kommun code (four digits)", short(value))),
            ParamKind::Year => (!(v == "latest" || is_year(v)))
                .then(|| format!("'{}' is not a year (four digits) or latest", short(value))),
        }
    }
}

fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

fn short(s: &str) -> String {
    s.chars().take(80).collect()
}

choice! {
    /// The order of a table's rows.
    pub enum Sort: "sort", "a sort order" {
        /// By unit, as the results come (the default).
        Unit = "unit", "efter enhet", "by unit";
        /// Lowest value first.
        Value = "value", "lägst värde först", "lowest value first";
        /// Highest value first.
        ValueDesc = "value_desc", "högst värde först", "highest value first";
    }
}

choice! {
    /// A column of a table cell.
    pub enum Column: "columns", "a column" {
        Unit = "unit", "enhet", "unit";
        Period = "period", "period", "period";
        Numerator = "numerator", "täljare", "numerator";
        Denominator = "denominator", "nämnare", "denominator";
        Value = "value", "värde", "value";
        Interval = "interval", "95 % KI", "95 % CI";
        Light = "light", "ljus", "light";
        Reason = "reason", "skäl", "reason";
        Change = "change", "förändring", "change";
    }
}

impl Column {
    /// The columns of a table cell that names none: all but `change`.
    pub const DEFAULT: [Column; 8] = [
        Column::Unit,
        Column::Period,
        Column::Numerator,
        Column::Denominator,
        Column::Value,
        Column::Interval,
        Column::Light,
        Column::Reason,
    ];
}

choice! {
    /// What a chart cell draws.
    pub enum ChartKind: "chart", "a chart kind" {
        /// One bar per unit with its interval, for one period.
        Bar = "bar", "stapeldiagram", "bar chart";
        /// One line per unit over the periods.
        Trend = "trend", "trenddiagram", "trend chart";
        /// Share per unit against its denominator, with 95 % and 99.8 % limits.
        Funnel = "funnel", "trattdiagram", "funnel plot";
        /// Units × indicators, coloured by light, for one period.
        LightMatrix = "light_matrix", "trafikljusmatris", "light matrix";
        /// The six shifts × quality / quantity / cost, with the notebook's indicators in each.
        Framework = "framework", "förflyttningar × dimensioner", "shifts × dimensions";
    }
}

/// A declared parameter as the field checks see it.
#[derive(Debug, Clone, Copy)]
pub struct Declared<'a> {
    pub name: &'a str,
    pub kind: Option<ParamKind>,
    pub default: &'a str,
}

/// What a [`Field`] holds: its name in messages, how its text is read, which parameter kinds
/// may fill it.
pub trait FieldValue: Sized {
    /// The field's name in messages (`level`, `filter.period`).
    const FIELD: &'static str;
    /// What a value is, in messages (`a level`).
    const WHAT: &'static str;
    /// Reads a non-empty text without a whole-field parameter reference.
    fn parse(text: &str) -> Result<Self, String>;
    /// The text a value is written as.
    fn to_text(&self) -> String;
    /// Whether a parameter of this kind (`None`: no kind, text) may fill the field.
    fn fits(kind: Option<ParamKind>) -> bool {
        matches!(kind, None | Some(ParamKind::Text))
    }
    /// The parameters used inside a value (a period range's ends).
    fn params(&self) -> Vec<&str> {
        Vec::new()
    }
}

/// What a [`Field`] holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot<T> {
    /// The field is empty: its default (all periods, sorted by unit, no level).
    Empty,
    Value(T),
    /// A whole reference `$name`: the parameter's name.
    Param(String),
}

/// A typed field, kept with its text so that it is saved exactly as it was read.
#[derive(Debug, Clone)]
pub struct Field<T> {
    text: String,
    slot: Slot<T>,
}

impl<T> PartialEq for Field<T> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<T> Default for Field<T> {
    fn default() -> Self {
        Field {
            text: String::new(),
            slot: Slot::Empty,
        }
    }
}

/// The parameter name of a whole reference `$name`, if `text` is one.
fn whole_reference(text: &str) -> Option<&str> {
    let name = text.strip_prefix('$')?;
    (!name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
    .then_some(name)
}

impl<T: FieldValue> Field<T> {
    /// Reads a field's text; the error names the field (the notebook adds the cell).
    pub fn parse(text: &str) -> Result<Self, String> {
        let slot = if text.is_empty() {
            Slot::Empty
        } else if let Some(name) = whole_reference(text) {
            Slot::Param(name.to_owned())
        } else {
            Slot::Value(T::parse(text).map_err(|e| not_a(T::FIELD, text, T::WHAT, &e))?)
        };
        Ok(Field {
            text: text.to_owned(),
            slot,
        })
    }

    /// A field holding `value`.
    pub fn of(value: T) -> Self {
        Field {
            text: value.to_text(),
            slot: Slot::Value(value),
        }
    }

    /// The text as in the file.
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn slot(&self) -> &Slot<T> {
        &self.slot
    }

    /// The value, when the field holds one (after substitution: unless it is empty).
    pub fn value(&self) -> Option<&T> {
        match &self.slot {
            Slot::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Every parameter the field uses.
    pub fn params(&self) -> Vec<&str> {
        match &self.slot {
            Slot::Empty => Vec::new(),
            Slot::Param(p) => vec![p.as_str()],
            Slot::Value(v) => v.params(),
        }
    }

    /// Checks each parameter the field uses against the declared ones: it must exist, its kind
    /// must fit and its default must make a valid field.
    pub fn check_params(&self, declared: &[Declared<'_>]) -> Result<(), String> {
        for name in self.params() {
            let Some(p) = declared.iter().find(|p| p.name == name) else {
                return Err(format!(
                    "field '{}': '${name}' names no parameter of this notebook (it has: {})",
                    T::FIELD,
                    declared
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            };
            if !T::fits(p.kind) {
                return Err(format!(
                    "field '{}': the parameter '{name}' is of kind '{}', which cannot fill {}",
                    T::FIELD,
                    p.kind.map(ParamKind::name).unwrap_or("text"),
                    T::WHAT
                ));
            }
            let filled = if matches!(self.slot, Slot::Param(_)) {
                p.default.to_owned()
            } else {
                self.text.replace(&format!("${name}"), p.default)
            };
            // A default that is itself a reference is only known at run time.
            if !filled.contains('$') {
                Field::<T>::parse(&filled).map_err(|e| {
                    format!("the default of the parameter '{name}' does not fit: {e}")
                })?;
            }
        }
        Ok(())
    }
}

impl<T> serde::Serialize for Field<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de, T: FieldValue> serde::Deserialize<'de> for Field<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Field::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl<T: FieldValue> schemars::JsonSchema for Field<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Field_{}", T::FIELD.replace('.', "_")).into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": format!("{}, or a parameter reference `$name`", T::WHAT)
        })
    }
}

/// Reads a text that may not hold `$` (a field's value once whole references are taken out).
fn no_reference(text: &str) -> Result<(), String> {
    if text.contains('$') {
        Err("a parameter must be the whole field ('$name'), not a part of it".into())
    } else {
        Ok(())
    }
}

impl FieldValue for Level {
    const FIELD: &'static str = "level";
    const WHAT: &'static str = "a level";
    fn parse(text: &str) -> Result<Self, String> {
        no_reference(text)?;
        Level::parse(text)
    }
    fn to_text(&self) -> String {
        self.columns().join(",")
    }
}

impl FieldValue for Sort {
    const FIELD: &'static str = "sort";
    const WHAT: &'static str = "a sort order";
    fn parse(text: &str) -> Result<Self, String> {
        no_reference(text)?;
        Sort::parse(text)
    }
    fn to_text(&self) -> String {
        self.name().to_owned()
    }
}

impl FieldValue for Column {
    const FIELD: &'static str = "columns";
    const WHAT: &'static str = "a column";
    fn parse(text: &str) -> Result<Self, String> {
        no_reference(text)?;
        Column::parse(text)
    }
    fn to_text(&self) -> String {
        self.name().to_owned()
    }
}

/// One end of a period range: a period label or a parameter (`$year`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Label(String),
    Param(String),
}

/// Which periods a filter keeps (an empty filter keeps all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodFilter {
    /// The last period with data.
    Latest,
    /// One period: `2024`, `2024H1`, `2024Q2`, `2024-03`.
    Label(String),
    /// From one period to another, both included: `2019..2023` (or `2019–2023`). A year end
    /// takes every sub-period of that year; `latest` as the upper end means no end.
    Range(Bound, Bound),
}

const LATEST: &str = "latest";

/// A period label's place in time: (year, sub-period, 0 for a whole year).
pub fn period_key(label: &str) -> Option<(u16, u8)> {
    let year: u16 = label.get(..4).filter(|y| is_year(y))?.parse().ok()?;
    let rest = label.get(4..)?;
    let sub = |s: &str, max: u8| s.parse::<u8>().ok().filter(|n| (1..=max).contains(n));
    let sub = match rest.as_bytes().first() {
        None => 0,
        Some(b'H') => sub(rest.get(1..)?, 2)?,
        Some(b'Q') => sub(rest.get(1..)?, 4)?,
        Some(b'-') if rest.len() == 3 => sub(rest.get(1..)?, 12)?,
        _ => return None,
    };
    Some((year, sub))
}

fn label_problem(label: &str) -> Option<String> {
    period_key(label).is_none().then(|| {
        format!(
            "'{}' is not a period (2024, 2024H1, 2024Q2, 2024-03)",
            short(label)
        )
    })
}

impl PeriodFilter {
    /// Whether a row of the period `label` passes (`Latest` is decided by the caller).
    pub fn keeps(&self, label: Option<&str>) -> bool {
        match self {
            PeriodFilter::Latest => true,
            PeriodFilter::Label(l) => label == Some(l.as_str()),
            PeriodFilter::Range(from, to) => {
                let (Bound::Label(from), Bound::Label(to)) = (from, to) else {
                    return false;
                };
                // `latest` as the upper end: no end.
                let hi = if to == LATEST {
                    Some((u16::MAX, 0))
                } else {
                    period_key(to)
                };
                let (Some(row), Some(lo), Some(hi)) =
                    (label.and_then(period_key), period_key(from), hi)
                else {
                    return false;
                };
                // A year as the upper end takes all of that year.
                let hi = if hi.1 == 0 { (hi.0, u8::MAX) } else { hi };
                lo <= row && row <= hi
            }
        }
    }
}

impl FieldValue for PeriodFilter {
    const FIELD: &'static str = "filter.period";
    const WHAT: &'static str = "a period";
    fn parse(text: &str) -> Result<Self, String> {
        if text == "latest" {
            return Ok(PeriodFilter::Latest);
        }
        let ends = text.split_once("..").or_else(|| text.split_once('–'));
        let Some((from, to)) = ends else {
            no_reference(text)?;
            return match label_problem(text) {
                Some(p) => Err(format!("{p}, a range (2019..2023) or latest")),
                None => Ok(PeriodFilter::Label(text.to_owned())),
            };
        };
        let bound = |s: &str| -> Result<Bound, String> {
            let s = s.trim();
            if s == LATEST {
                return Ok(Bound::Label(s.to_owned()));
            }
            if let Some(name) = whole_reference(s) {
                return Ok(Bound::Param(name.to_owned()));
            }
            no_reference(s)?;
            match label_problem(s) {
                Some(p) => Err(p),
                None => Ok(Bound::Label(s.to_owned())),
            }
        };
        let (from, to) = (bound(from)?, bound(to)?);
        if let (Bound::Label(a), Bound::Label(b)) = (&from, &to) {
            if a == LATEST || (b != LATEST && period_key(a) > period_key(b)) {
                return Err(format!("the range ends ({b}) before it starts ({a})"));
            }
        }
        Ok(PeriodFilter::Range(from, to))
    }
    fn to_text(&self) -> String {
        let end = |b: &Bound| match b {
            Bound::Label(l) => l.clone(),
            Bound::Param(p) => format!("${p}"),
        };
        match self {
            PeriodFilter::Latest => "latest".into(),
            PeriodFilter::Label(l) => l.clone(),
            PeriodFilter::Range(a, b) => format!("{}..{}", end(a), end(b)),
        }
    }
    fn fits(kind: Option<ParamKind>) -> bool {
        matches!(
            kind,
            None | Some(ParamKind::Text | ParamKind::Year | ParamKind::Number)
        )
    }
    fn params(&self) -> Vec<&str> {
        match self {
            PeriodFilter::Range(a, b) => [a, b]
                .into_iter()
                .filter_map(|e| match e {
                    Bound::Param(p) => Some(p.as_str()),
                    Bound::Label(_) => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The kind a `$name` may have where a number is asked for (the confidence level).
pub fn check_number_param(
    field: &str,
    n: &Number,
    declared: &[Declared<'_>],
    valid: impl Fn(f64) -> Result<(), String>,
) -> Result<(), String> {
    let Number::Param(name) = n else {
        return Ok(());
    };
    let Some(p) = declared.iter().find(|p| p.name == *name) else {
        return Err(format!(
            "field '{field}': '${name}' names no parameter of this notebook"
        ));
    };
    if !matches!(p.kind, None | Some(ParamKind::Number | ParamKind::Text)) {
        return Err(format!(
            "field '{field}': the parameter '{name}' is of kind '{}', which cannot fill a number",
            p.kind.map(ParamKind::name).unwrap_or("text")
        ));
    }
    if p.default.contains('$') {
        return Ok(());
    }
    let v = Number::parse(p.default).ok_or_else(|| {
        format!(
            "field '{field}': the default of the parameter '{name}', '{}', is not a number",
            short(p.default)
        )
    })?;
    valid(v).map_err(|e| format!("field '{field}': the default of the parameter '{name}': {e}"))
}
