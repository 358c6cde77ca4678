//! Indicators at every level and over time: a spec compiles to one streaming plan per data
//! source, and a finish step rolls the finest cells up to each requested level, computes the
//! statistic, the traffic light and the county read-out.
//!
//! Method source: PHEindicatormethods for every statistic (methods.md §1–§3), Fingertips for the
//! lights (§5.1), seed 000 for the county rule (§5.3). Higher levels are always computed from
//! pooled numerators and denominators of the same cells, never by averaging rates.
//!
//! ```text
//! IndicatorSpec --compile--> Compiled --plan(name)--> Plan (RecordSink, one per file)
//!                               |                        | finish
//!                               +------ finish(&[ReadSource], levels) --> Results
//! ```

mod accumulate;
pub mod cells;
pub mod coverage;
pub mod cube;
pub mod definition;
pub mod finish;
pub mod grouped;
pub mod hierarchy_check;
pub mod levels;
mod lights;
pub mod plan;
pub mod results;
pub mod spc_series;
pub mod sql;
mod statistic;
pub mod table;
mod units;

use std::collections::{BTreeMap, HashMap};

pub use definition::*;
pub use levels::{Dim, Level, Mappings, Period};
pub use lights::light_legend;
pub use results::Results;
pub use table::{LevelTable, UnitRow};

use crate::contract::Contract;
use crate::error::{Error, Problems};
use crate::ingest::{read_bytes, Dialect, Flow, ReadOptions, ReadStats, RecordSink, Row};
use crate::ledger::RowLedger;
use crate::row_checks::Refusal;
use crate::standard_pop::bands::band_range;
use crate::stats::Confidence;
use levels::MappingPlan;
use plan::{Side, SideRequest, SourceData, SourcePlan};

/// Most periods a trend light looks back (ten years of months).
pub const MAX_TREND_PERIODS: usize = 120;

/// A spec that cannot be run, or data that do not fit it; each names the indicator and field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndicatorError {
    #[error("indicator '{indicator}': {field} tests the column '{column}', which holds a different value in nearly every row ({distinct} distinct values in {rows} rows used): it identifies persons or records, and a condition on it could single one out, so it is refused. Test a code column instead (event type, cause, a 0/1 value).")]
    IdentifierCondition {
        indicator: String,
        field: String,
        column: String,
        distinct: u64,
        rows: u64,
    },
    #[error("indicator '{indicator}': {field} names the data source '{source_name}', which is not among the sources ({known})")]
    UnknownSource {
        indicator: String,
        field: String,
        source_name: String,
        known: String,
    },
    #[error("indicator '{indicator}': a {measure} needs a denominator")]
    MissingDenominator { indicator: String, measure: String },
    #[error("indicator '{indicator}': a {measure} needs ages, but the source '{source_name}' ({field}) has neither an `age` nor an `age_band` column")]
    NeedsAge {
        indicator: String,
        measure: String,
        source_name: String,
        field: String,
    },
    #[error("indicator '{indicator}': {message}")]
    BadField { indicator: String, message: String },
    #[error("indicator '{indicator}': the level {level} needs {what}, which the source '{source_name}' does not have")]
    LevelNotInSource {
        indicator: String,
        level: String,
        what: String,
        source_name: String,
    },
    #[error("no data given for the source '{0}'; give it as --data {0}=FILE")]
    NoData(String),
    #[error("indicator ids must be unique: '{0}' appears twice")]
    DuplicateId(String),
    #[error("{0}")]
    Read(Error),
    /// The source was read for other conditions and its cube cannot answer these.
    #[error("the data '{source_name}' must be read again: {why}")]
    Reread { source_name: String, why: String },
}

impl IndicatorError {
    /// The error in Swedish, for the Swedish page (`Display` is the English). Words that come
    /// from elsewhere (a field's own message, why a cube must be read again) stay as given.
    pub fn swedish(&self) -> String {
        match self {
            IndicatorError::IdentifierCondition {
                indicator,
                field,
                column,
                distinct,
                rows,
            } => format!(
                "indikatorn '{indicator}': {field} testar kolumnen '{column}', som har ett eget \
                 värde i nästan varje rad ({distinct} olika värden på {rows} använda rader): den \
                 identifierar personer eller poster, och ett villkor på den kan peka ut en enda, \
                 så det avvisas. Testa en kodkolumn i stället (händelsetyp, orsak, ett 0/1-värde)."
            ),
            IndicatorError::UnknownSource {
                indicator,
                field,
                source_name,
                known,
            } => format!(
                "indikatorn '{indicator}': {field} anger datakällan '{source_name}', som inte \
                 finns bland källorna ({known})"
            ),
            IndicatorError::MissingDenominator { indicator, measure } => {
                format!("indikatorn '{indicator}': måttet {measure} behöver en nämnare")
            }
            IndicatorError::NeedsAge {
                indicator,
                measure,
                source_name,
                field,
            } => format!(
                "indikatorn '{indicator}': måttet {measure} behöver åldrar, men källan \
                 '{source_name}' ({field}) har varken en kolumn `age` eller `age_band`"
            ),
            IndicatorError::BadField { indicator, message } => {
                format!("indikatorn '{indicator}': {message}")
            }
            IndicatorError::LevelNotInSource {
                indicator,
                level,
                what,
                source_name,
            } => format!(
                "indikatorn '{indicator}': nivån {level} behöver {what}, som källan \
                 '{source_name}' inte har"
            ),
            IndicatorError::NoData(source) => {
                format!("ingen fil har getts för källan '{source}'; välj en fil för den")
            }
            IndicatorError::DuplicateId(id) => {
                format!("indikatorernas id måste vara unika: '{id}' förekommer två gånger")
            }
            IndicatorError::Read(e) => e.swedish(),
            IndicatorError::Reread { source_name, why } => {
                format!("data '{source_name}' måste läsas in igen: {why}")
            }
        }
    }
}

/// A checked spec, ready to make plans.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub spec: IndicatorSpec,
    requests: BTreeMap<String, Vec<SideRequest>>,
    /// Whether plans keep months (for half-years, quarters, months); see [`Compiled::for_levels`].
    keep_months: bool,
}

/// The longest indicator id: ids name files (`<id>__<level>.csv`), which must stay short.
pub const MAX_ID_CHARS: usize = 64;

/// An id becomes a file name, so it may hold only ASCII letters, digits, `_` and `-` (no `.`,
/// `/` or `\\`: an id like `../events` must never name a file outside the output folder).
fn check_id(id: &str) -> Result<(), IndicatorError> {
    let bad = |message: String| IndicatorError::BadField {
        indicator: id.to_owned(),
        message,
    };
    if id.is_empty() {
        return Err(bad(
            "id: empty; give every indicator an id of letters, digits, '_' and '-'".into(),
        ));
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(bad(format!(
            "id: {c:?} is not allowed; an id names files, so it may hold only the letters A–Z and a–z, digits, '_' and '-'"
        )));
    }
    let n = id.chars().count();
    if n > MAX_ID_CHARS {
        return Err(bad(format!(
            "id: {n} characters; an id names files, so it may have at most {MAX_ID_CHARS}"
        )));
    }
    Ok(())
}

/// Checks a spec: ids usable as file names and unique, sources named, ages on band edges, denominators present, lights sane.
pub fn compile(spec: &IndicatorSpec) -> Result<Compiled, IndicatorError> {
    let mut requests: BTreeMap<String, Vec<SideRequest>> = BTreeMap::new();
    let known = spec.sources.keys().cloned().collect::<Vec<_>>().join(", ");
    let mut seen = std::collections::HashSet::new();
    for (i, ind) in spec.indicators.iter().enumerate() {
        check_id(&ind.id)?;
        if !seen.insert(ind.id.clone()) {
            return Err(IndicatorError::DuplicateId(ind.id.clone()));
        }
        let bad = |message: String| IndicatorError::BadField {
            indicator: ind.id.clone(),
            message,
        };
        let bands = band_range(ind.ages.min, ind.ages.max).map_err(bad)?;
        if let Some(m) = ind.multiplier {
            if !(m.is_finite() && m > 0.0) {
                return Err(bad(format!("multiplier {m} must be greater than zero")));
            }
        }
        if let Some(m) = ind.min_cases {
            if !(m.is_finite() && m >= 0.0) {
                return Err(bad(format!(
                    "min_cases {m} must be a number of zero or more"
                )));
            }
        }
        if let Some(c) = &ind.confidence {
            let c = c.value().ok_or_else(|| {
                bad("confidence: a parameter ('$name') is only filled in a notebook".into())
            })?;
            Confidence::new(c).map_err(|e| bad(format!("confidence: {e}")))?;
        }
        match &ind.light {
            LightRule::Quantiles {
                green_share,
                red_share,
            } if !(*green_share > 0.0 && *red_share > 0.0 && green_share + red_share <= 1.0) => {
                return Err(bad(format!(
                    "light.green_share {green_share} and red_share {red_share} must be above 0 and sum to at most 1"
                )));
            }
            LightRule::Trend { periods } if *periods < 3 => {
                return Err(bad(format!(
                    "light.periods is {periods}; a trend needs at least 3"
                )));
            }
            // The notebook is untrusted: it never sizes work or memory without a bound.
            LightRule::Trend { periods } if *periods > MAX_TREND_PERIODS => {
                return Err(bad(format!(
                    "light.periods is {periods}; a trend looks back at most {MAX_TREND_PERIODS} periods"
                )));
            }
            LightRule::Target { green, red } if !(green.is_finite() && red.is_finite()) => {
                return Err(bad("light.green and light.red must be numbers".into()));
            }
            _ => {}
        }
        let measure_name = format!("{:?}", ind.measure).to_lowercase();
        let needs_den = matches!(
            ind.measure,
            MeasureType::Rate | MeasureType::Share | MeasureType::Dsr | MeasureType::Isr
        );
        let mut sides = vec![(Side::Numerator, "numerator", &ind.numerator)];
        match (&ind.denominator, needs_den) {
            (Some(d), true) => sides.push((Side::Denominator, "denominator", d)),
            (None, true) => {
                return Err(IndicatorError::MissingDenominator {
                    indicator: ind.id.clone(),
                    measure: measure_name,
                })
            }
            _ => {}
        }
        if ind.measure == MeasureType::Mean && ind.numerator.sum.is_none() {
            return Err(bad(
                "a mean needs numerator.sum: the column to average".into()
            ));
        }
        for (side, field, m) in sides {
            let Some(source) = spec.sources.get(&m.source) else {
                return Err(IndicatorError::UnknownSource {
                    indicator: ind.id.clone(),
                    field: format!("{field}.source"),
                    source_name: m.source.clone(),
                    known: known.clone(),
                });
            };
            let has_age = source.age.is_some() || source.age_band.is_some();
            let age_needed = matches!(ind.measure, MeasureType::Dsr | MeasureType::Isr)
                || ind.ages.min.is_some()
                || ind.ages.max.is_some();
            if age_needed && !has_age {
                return Err(IndicatorError::NeedsAge {
                    indicator: ind.id.clone(),
                    measure: if matches!(ind.measure, MeasureType::Dsr | MeasureType::Isr) {
                        measure_name.clone()
                    } else {
                        "restriction by ages".into()
                    },
                    source_name: m.source.clone(),
                    field: format!("{field}.source"),
                });
            }
            requests
                .entry(m.source.clone())
                .or_default()
                .push(SideRequest {
                    indicator: i,
                    indicator_id: ind.id.clone(),
                    side,
                    conditions: m.conditions.clone(),
                    sum: m.sum.clone(),
                    bands,
                    need_sq: side == Side::Numerator && ind.measure == MeasureType::Mean,
                });
        }
    }
    Ok(Compiled {
        spec: spec.clone(),
        requests,
        keep_months: true,
    })
}

impl Compiled {
    /// Plans that keep only what `levels` need: without a level finer than a year, cells hold
    /// years, not months (twelve times fewer cells).
    pub fn for_levels(mut self, levels: &[Level]) -> Self {
        self.keep_months = levels
            .iter()
            .any(|l| matches!(l.period, Some(Dim::Half | Dim::Quarter | Dim::Month)));
        self
    }

    /// The data names the spec reads (sources with indicators, and mapping files).
    pub fn data_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.requests.keys().cloned().collect();
        for m in &self.spec.mappings {
            if !names.contains(&m.source) {
                names.push(m.source.clone());
            }
        }
        names
    }

    /// The plan for one data name (a source, a mapping file, or both).
    pub fn plan(&self, name: &str) -> Plan {
        let source = self.requests.get(name).map(|reqs| {
            SourcePlan::new(
                name,
                self.spec.sources.get(name).cloned().unwrap_or_default(),
                reqs.clone(),
                self.keep_months,
            )
        });
        let mappings = self
            .spec
            .mappings
            .iter()
            .filter(|m| m.source == name)
            .map(|m| MappingPlan::new(m.clone()))
            .collect();
        Plan {
            name: name.to_owned(),
            source,
            mappings,
            ledger: RowLedger::default(),
            grouped: None,
        }
    }
}

/// The plan of one file: a source plan and/or mapping plans, fed together in one pass.
#[derive(Debug)]
pub struct Plan {
    pub name: String,
    source: Option<SourcePlan>,
    mappings: Vec<MappingPlan>,
    /// The rows of a file that is only a mapping (a source plan keeps its own).
    ledger: RowLedger,
    /// Reading an aggregated table: its group columns ([`Plan::grouped`]).
    grouped: Option<grouped::GroupColumns>,
}

/// What one file gave.
#[derive(Debug, Clone)]
pub struct ReadSource {
    pub name: String,
    pub data: Option<SourceData>,
    pub mappings: Vec<(MapFrom, MapTo, HashMap<String, String>)>,
    pub stats: ReadStats,
    pub problems: Problems,
    /// Rows read, used and refused by reason (issue 10): `read = used + refused`.
    pub rows: RowLedger,
}

impl Compiled {
    /// Each read source's data for this spec's sides, from its cube when it was read for
    /// others (another condition value, age range or period): no file is read again.
    pub fn source_data<'r>(
        &self,
        read: &[&'r ReadSource],
    ) -> Result<Vec<(&'r str, std::borrow::Cow<'r, SourceData>)>, IndicatorError> {
        let none = Vec::new();
        read.iter()
            .copied()
            .filter_map(|r| r.data.as_ref().map(|d| (r, d)))
            .map(|(r, d)| {
                let requests = self.requests.get(&r.name).unwrap_or(&none);
                d.for_requests(requests, self.keep_months)
                    .map(|d| (r.name.as_str(), d))
                    .map_err(|cube::Reread(why)| IndicatorError::Reread {
                        source_name: r.name.clone(),
                        why: why.en,
                    })
            })
            .collect()
    }

    /// Whether `read` can be finished for this spec without reading its file again: `Err`
    /// says why not.
    pub fn answers(&self, read: &ReadSource) -> Result<(), IndicatorError> {
        let Some(data) = &read.data else {
            return Ok(());
        };
        let none = Vec::new();
        let requests = self.requests.get(&read.name).unwrap_or(&none);
        data.answers(requests, self.keep_months)
            .map_err(|cube::Reread(why)| IndicatorError::Reread {
                source_name: read.name.clone(),
                why: why.en,
            })
    }
}

impl Compiled {
    /// The sources the indicators count (each has a plan and an aggregating query).
    pub fn source_names(&self) -> Vec<String> {
        self.requests.keys().cloned().collect()
    }

    /// What the aggregating query of source `name` is written from ([`sql::SourceQuery`]),
    /// `None` when the indicators count no rows of it.
    pub fn source_query<'a>(
        &'a self,
        name: &'a str,
        contract: Option<&'a Contract>,
        header: Option<&'a [String]>,
    ) -> Option<sql::SourceQuery<'a>> {
        let requests = self.requests.get(name)?;
        static NONE: std::sync::OnceLock<definition::SourceSpec> = std::sync::OnceLock::new();
        let spec = self
            .spec
            .sources
            .get(name)
            .unwrap_or_else(|| NONE.get_or_init(definition::SourceSpec::default));
        Some(sql::SourceQuery {
            name,
            spec,
            requests,
            contract,
            header,
        })
    }
}

impl Plan {
    /// The plan reading the aggregated table `samsyn sql`'s query made of this source
    /// ([`grouped`]), not the source's rows. `Err` when the name is not a source or is also a
    /// mapping file (a mapping needs the file's own rows).
    pub fn grouped(mut self) -> Result<Self, String> {
        if self.source.is_none() {
            return Err(format!(
                "'{}' is not a source the indicators count, so it has no aggregated table: give its file with --data",
                self.name
            ));
        }
        if !self.mappings.is_empty() {
            return Err(format!(
                "'{}' is also read as a mapping, which needs its own rows: give its file with --data",
                self.name
            ));
        }
        self.source = self.source.map(SourcePlan::grouped);
        self.grouped = Some(grouped::GroupColumns::default());
        Ok(self)
    }

    /// The plan also checking a data cell's contract.
    pub fn with_contract(mut self, contract: Option<Contract>) -> Self {
        self.source = self.source.map(|s| s.with_contract(contract));
        self
    }

    /// The finished file.
    pub fn finish(self, stats: ReadStats, problems: Problems) -> ReadSource {
        let (data, problems, rows) = match self.source {
            Some(s) => {
                let d = s.finish(stats.clone(), problems);
                let (p, r) = (d.problems.clone(), d.rows.clone());
                (Some(d), p, r)
            }
            None => (None, problems, self.ledger.finish(&stats)),
        };
        ReadSource {
            name: self.name,
            data,
            mappings: self
                .mappings
                .into_iter()
                .map(|m| (m.spec.from, m.spec.to, m.pairs))
                .collect(),
            stats,
            problems,
            rows,
        }
    }
}

/// What the plan of an earlier byte range needs of a later range's [`Plan`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct PlanPart {
    splittable: bool,
    source: Option<plan::SourcePart>,
    ledger: RowLedger,
}

impl crate::ingest::ranges::MergeRanges for Plan {
    type Part = PlanPart;

    /// A source without mappings read from its own rows (a mapping keeps pairs in file order,
    /// and mapping files are small).
    fn splittable(&self) -> bool {
        self.grouped.is_none()
            && self.mappings.is_empty()
            && self.source.as_ref().is_some_and(|s| s.splittable())
    }

    fn into_part(self) -> PlanPart {
        PlanPart {
            splittable: self.splittable(),
            source: self.source.map(|s| s.into_part()),
            ledger: self.ledger,
        }
    }

    fn merge_part(
        &mut self,
        later: PlanPart,
        row_offset: u64,
    ) -> Result<(), crate::ingest::ranges::OnePass> {
        use crate::ingest::ranges::OnePass;
        if !self.splittable() || !later.splittable {
            return Err(OnePass(
                "the file is read as a mapping or an aggregated table",
            ));
        }
        match (&mut self.source, later.source) {
            (Some(mine), Some(theirs)) => mine.merge_part(theirs, row_offset)?,
            _ => return Err(OnePass("the ranges were read by different plans")),
        }
        self.ledger.merge_later(later.ledger, row_offset);
        Ok(())
    }
}

impl RecordSink for Plan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        if let Some(g) = &mut self.grouped {
            *g = grouped::GroupColumns::find(&self.name, names)?;
        }
        if let Some(s) = &mut self.source {
            s.columns(names, dialect)?;
        }
        for m in &mut self.mappings {
            m.columns(names, dialect)?;
        }
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        if let (Some(g), Some(s)) = (&self.grouped, &mut self.source) {
            g.record(s, row, problems);
            return Flow::Continue;
        }
        if let Some(s) = &mut self.source {
            s.record(row, problems);
            for m in &mut self.mappings {
                m.record(row, problems);
            }
            return Flow::Continue;
        }
        // A mapping file: its rows are accounted for here.
        if !row.has_header_shape(problems) {
            self.ledger.refuse(row.row(), &Refusal::Shape);
            return Flow::Continue;
        }
        let mut refused = None;
        for m in &mut self.mappings {
            if let Err(r) = m.map_row(row, problems) {
                refused.get_or_insert(r);
            }
        }
        match refused {
            Some(r) => self.ledger.refuse(row.row(), &r),
            None => self.ledger.use_row(),
        }
        Flow::Continue
    }
}

/// Reads one whole file held in memory, in any format the readers know, into its plan (tests,
/// small files; the CLI and the browser stream).
pub fn read_in_memory(
    compiled: &Compiled,
    name: &str,
    file: &str,
    bytes: &[u8],
) -> Result<ReadSource, Error> {
    let mut plan = compiled.plan(name);
    let outcome = read_bytes(file, bytes, ReadOptions::default(), &mut plan)?;
    Ok(plan.finish(outcome.stats, outcome.problems))
}

/// Compiles, reads the named files from memory and finishes: the whole run in one call.
pub fn run_in_memory(
    spec: &IndicatorSpec,
    files: &[(&str, &str, &[u8])],
    levels: &[Level],
) -> Result<Results, IndicatorError> {
    let compiled = compile(spec)?.for_levels(levels);
    let mut read = Vec::new();
    for name in compiled.data_names() {
        let Some((_, file, bytes)) = files.iter().find(|(n, _, _)| *n == name) else {
            return Err(IndicatorError::NoData(name));
        };
        read.push(read_in_memory(&compiled, &name, file, bytes).map_err(IndicatorError::Read)?);
    }
    compiled.finish(&read, levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_with_ids(ids: &[&str]) -> IndicatorSpec {
        let indicators: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| {
                serde_json::json!({
                    "id": id, "name": "Fall", "measure": "count",
                    "numerator": { "source": "events" }
                })
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "sources": { "events": { "kommun": "kommun", "year": "year" } },
            "indicators": indicators
        }))
        .unwrap()
    }

    fn error(ids: &[&str]) -> String {
        compile(&spec_with_ids(ids)).unwrap_err().to_string()
    }

    #[test]
    fn issue_10_ids_are_safe_file_names() {
        assert!(compile(&spec_with_ids(&["falls_65-plus", "A1"])).is_ok());
        let allowed = "may hold only the letters A–Z and a–z, digits, '_' and '-'";
        assert_eq!(
            error(&["../events"]),
            format!(
                "indicator '../events': id: '.' is not allowed; an id names files, so it {allowed}"
            )
        );
        assert_eq!(
            error(&["/tmp/x"]),
            format!(
                "indicator '/tmp/x': id: '/' is not allowed; an id names files, so it {allowed}"
            )
        );
        assert_eq!(
            error(&["a\\b"]),
            format!(
                "indicator 'a\\b': id: '\\\\' is not allowed; an id names files, so it {allowed}"
            )
        );
        assert_eq!(
            error(&["fall\tskador"]),
            format!("indicator 'fall\tskador': id: '\\t' is not allowed; an id names files, so it {allowed}")
        );
        assert_eq!(
            error(&["fallskador_äldre"]),
            format!("indicator 'fallskador_äldre': id: 'ä' is not allowed; an id names files, so it {allowed}")
        );
        assert_eq!(
            error(&[""]),
            "indicator '': id: empty; give every indicator an id of letters, digits, '_' and '-'"
        );
        let long = "x".repeat(65);
        assert_eq!(
            error(&[&long]),
            format!("indicator '{long}': id: 65 characters; an id names files, so it may have at most 64")
        );
        assert!(compile(&spec_with_ids(&[&"x".repeat(64)])).is_ok());
        assert_eq!(
            error(&["a", "b", "a"]),
            "indicator ids must be unique: 'a' appears twice"
        );
    }
}
