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
