//! What can be wrong with the numbers given to a statistic, said so the user can fix it.
//!
//! The validation rules and wording follow PHEindicatormethods (`R/utils.R`, `R/DSR.R`;
//! methods.md §1.1, §2, §3) where PHE has a rule; each message also says where: which age band,
//! which quantity. A caller that knows the group (the CLI, a notebook) wraps the error with it.

/// Which number a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    Count,
    Population,
    Numerator,
    Denominator,
    StandardPopulation,
    ReferenceCount,
    ReferencePopulation,
    ReferenceRate,
    Expected,
    Multiplier,
    Value,
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Quantity::Count => "count",
            Quantity::Population => "population",
            Quantity::Numerator => "numerator",
            Quantity::Denominator => "denominator",
            Quantity::StandardPopulation => "standard population weight",
            Quantity::ReferenceCount => "reference count",
            Quantity::ReferencePopulation => "reference population",
            Quantity::ReferenceRate => "reference rate",
            Quantity::Expected => "expected count",
            Quantity::Multiplier => "multiplier",
            Quantity::Value => "value",
        })
    }
}

/// Where in the input of one statistic: the whole group, or one age band of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Total,
    AgeBand(String),
    Item(usize),
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Total => f.write_str("the total"),
            Place::AgeBand(b) => write!(f, "age band '{b}'"),
            Place::Item(i) => write!(f, "value {}", i + 1),
        }
    }
}

/// A statistic could not be computed from the numbers given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StatsError {
    #[error("confidence level {level} is not allowed: give a level between 0.9 and 1 (e.g. 0.95 or 0.998) or a percentage between 90 and 100")]
    Confidence { level: f64 },
    #[error("{at}: the {what} is not a number (missing, NaN or infinite)")]
    NotFinite { at: Place, what: Quantity },
    #[error("{at}: the {what} is {value}; it must be zero or more")]
    Negative {
        at: Place,
        what: Quantity,
        value: f64,
    },
    #[error("{at}: the {what} is {value}; it must be greater than zero")]
    NotPositive {
        at: Place,
        what: Quantity,
        value: f64,
    },
    #[error("{at}: the numerator {numerator} is larger than the denominator {denominator}; a proportion needs numerator ≤ denominator")]
    NumeratorAboveDenominator {
        at: Place,
        numerator: f64,
        denominator: f64,
    },
    #[error(
        "the age bands do not match the standard population '{standard}':{}{}",
        list(" missing from the data: ", missing_in_data),
        list(" not in the standard: ", unknown_to_standard)
    )]
    BandMismatch {
        standard: String,
        missing_in_data: Vec<String>,
        unknown_to_standard: Vec<String>,
    },
    #[error("age band '{band}' appears more than once in {table}")]
    DuplicateBand { band: String, table: String },
    #[error("{table} has no age bands")]
    NoBands { table: String },
    #[error("the weights of the standard population '{standard}' sum to zero")]
    ZeroStandard { standard: String },
    #[error("a mean needs at least 2 values to have a confidence interval; there are {n}")]
    TooFewValues { n: usize },
    #[error("the expected count is 0 (the reference has no events in the bands where this group has population), so the ratio is undefined")]
    ZeroExpected,
}

impl Quantity {
    /// The quantity's Swedish name.
    pub fn swedish(self) -> &'static str {
        match self {
            Quantity::Count => "antalet",
            Quantity::Population => "befolkningen",
            Quantity::Numerator => "täljaren",
            Quantity::Denominator => "nämnaren",
            Quantity::StandardPopulation => "standardbefolkningens vikt",
            Quantity::ReferenceCount => "referensantalet",
            Quantity::ReferencePopulation => "referensbefolkningen",
            Quantity::ReferenceRate => "referensfrekvensen",
            Quantity::Expected => "det förväntade antalet",
            Quantity::Multiplier => "multiplikatorn",
            Quantity::Value => "värdet",
        }
    }
}

impl Place {
    /// The place in Swedish.
    pub fn swedish(&self) -> String {
        match self {
            Place::Total => "totalen".to_owned(),
            Place::AgeBand(b) => format!("åldersgruppen '{b}'"),
            Place::Item(i) => format!("värde {}", i + 1),
        }
    }
}

impl StatsError {
    /// The error in Swedish, for the Swedish page (`Display` is the English).
    pub fn swedish(&self) -> String {
        let number = |v: f64| {
            crate::number_format::format_trimmed(v, 6, crate::number_format::Language::Swedish)
        };
        match self {
            StatsError::Confidence { level } => format!(
                "konfidensnivån {} är inte tillåten: ange en nivå mellan 0,9 och 1 (t.ex. 0,95 \
                 eller 0,998) eller en procentsats mellan 90 och 100",
                number(*level)
            ),
            StatsError::NotFinite { at, what } => format!(
                "{}: {} är inget tal (saknas, NaN eller oändligt)",
                at.swedish(),
                what.swedish()
            ),
            StatsError::Negative { at, what, value } => format!(
                "{}: {} är {}; det måste vara noll eller mer",
                at.swedish(),
                what.swedish(),
                number(*value)
            ),
            StatsError::NotPositive { at, what, value } => format!(
                "{}: {} är {}; det måste vara större än noll",
                at.swedish(),
                what.swedish(),
                number(*value)
            ),
            StatsError::NumeratorAboveDenominator {
                at,
                numerator,
                denominator,
            } => format!(
                "{}: täljaren {} är större än nämnaren {}; en andel kräver täljare ≤ nämnare",
                at.swedish(),
                number(*numerator),
                number(*denominator)
            ),
            StatsError::BandMismatch {
                standard,
                missing_in_data,
                unknown_to_standard,
            } => format!(
                "åldersgrupperna stämmer inte med standardbefolkningen '{standard}':{}{}",
                list(" saknas i data: ", missing_in_data),
                list(" finns inte i standarden: ", unknown_to_standard)
            ),
            StatsError::DuplicateBand { band, table } => format!(
                "åldersgruppen '{band}' förekommer mer än en gång i {}",
                table_swedish(table)
            ),
            StatsError::NoBands { table } => {
                format!("{} har inga åldersgrupper", table_swedish(table))
            }
            StatsError::ZeroStandard { standard } => {
                format!("vikterna i standardbefolkningen '{standard}' summerar till noll")
            }
            StatsError::TooFewValues { n } => format!(
                "ett medelvärde behöver minst 2 värden för att få ett konfidensintervall; det finns {n}"
            ),
            StatsError::ZeroExpected => "det förväntade antalet är 0 (referensen har inga \
                 händelser i de åldersgrupper där gruppen har befolkning), så kvoten är odefinierad"
                .to_owned(),
        }
    }
}

/// The Swedish name of a table named in English by this module's callers: `the reference`,
/// `the data`, `the standard population 'X'`.
fn table_swedish(table: &str) -> String {
    match table {
        "the reference" => "referensen".to_owned(),
        "the data" => "data".to_owned(),
        t => match t.strip_prefix("the standard population ") {
            Some(name) => format!("standardbefolkningen {name}"),
            None => t.to_owned(),
        },
    }
}

fn list(prefix: &str, items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("{prefix}{}", items.join(", "))
    }
}

/// Checks that a number is finite and ≥ 0.
pub(crate) fn non_negative(value: f64, at: Place, what: Quantity) -> Result<f64, StatsError> {
    if !value.is_finite() {
        return Err(StatsError::NotFinite { at, what });
    }
    if value < 0.0 {
        return Err(StatsError::Negative { at, what, value });
    }
    Ok(value)
}

/// Checks that a number is finite and > 0.
pub(crate) fn positive(value: f64, at: Place, what: Quantity) -> Result<f64, StatsError> {
    if !value.is_finite() {
        return Err(StatsError::NotFinite { at, what });
    }
    if value <= 0.0 {
        return Err(StatsError::NotPositive { at, what, value });
    }
    Ok(value)
}
