//! What an indicator is, as the notebook stores it (serde): what to count, what to divide by,
//! which direction is good, and how to colour it.
//!
//! Method source: the indicator descriptions of seed 002 (the six shifts × quality / quantity /
//! cost; process and outcome measures), PHE's measure types (methods.md §1–§3) and the light
//! rules of methods.md §5. Unknown fields are not refused, so that newer notebooks open in older
//! versions; an indicator and a source keep theirs in `extra`, so that saving does not lose them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::classify::traffic_light::CiLevels;
use crate::classify::Polarity;

/// A closed set of named values, as a form lists them: every value with the name the file
/// uses and a Swedish and an English label. Serialised as the name.
pub trait Choice: Sized + Copy + 'static {
    /// Every value, in the order a form lists them.
    fn all() -> &'static [Self];
    /// The name in the file.
    fn name(self) -> &'static str;
    fn swedish(self) -> &'static str;
    fn english(self) -> &'static str;
}

/// The message for a field whose text is not what it must be: `field 'level': 'kommun,yaer'
/// is not a level: unknown level 'yaer'; …`. A notebook adds the cell (`cell 'trend': …`).
pub fn not_a(field: &str, text: &str, what: &str, reason: &str) -> String {
    let shown: String = text.chars().take(80).collect();
    format!("field '{field}': '{shown}' is not {what}: {reason}")
}

/// Defines a [`Choice`] enum: `Variant = "name", "svenska", "English";`. Its serde form is the
/// name, and an unknown name is refused with the field named and the names listed.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $field:literal, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, $sv:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every value, in the order a form lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The field of the file this value is written in.
            pub const FIELD: &'static str = $field;

            /// The name in the file.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn swedish(self) -> &'static str {
                match self { $($name::$variant => $sv),+ }
            }
            pub fn english(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
            /// The value of a name; the error lists the names.
            pub fn parse(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "use {}",
                        Self::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
            /// [`Self::parse`] with the message naming the field.
            pub fn parse_field(s: &str) -> Result<Self, String> {
                Self::parse(s).map_err(|e| $crate::indicators::definition::not_a($field, s, $what, &e))
            }
        }

        impl $crate::indicators::definition::Choice for $name {
            fn all() -> &'static [Self] {
                Self::ALL
            }
            fn name(self) -> &'static str {
                $name::name(self)
            }
            fn swedish(self) -> &'static str {
                $name::swedish(self)
            }
            fn english(self) -> &'static str {
                $name::english(self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse_field(&s).map_err(serde::de::Error::custom)
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.name()).collect();
                schemars::json_schema!({ "type": "string", "enum": names })
            }
        }
    };
}
pub(crate) use choice;

/// A number in the file, or a parameter that gives it (`"confidence": "$confidence"`, a
/// parameter of kind `number`). After substitution it is a number; a parameter's value is
/// read as a number (`0,9` and `0.9` alike).
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    Value(f64),
    /// The parameter's name, without `$`.
    Param(String),
}

impl Number {
    /// The number, once parameters are substituted.
    pub fn value(&self) -> Option<f64> {
        match self {
            Number::Value(v) => Some(*v),
            Number::Param(_) => None,
        }
    }

    /// Reads a number written as text (a parameter's value): `0,9` or `0.9`.
    pub fn parse(s: &str) -> Option<f64> {
        s.trim()
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    }
}

impl Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Number::Value(v) => s.serialize_f64(*v),
            Number::Param(p) => s.serialize_str(&format!("${p}")),
        }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(v) => Ok(Number::Value(v)),
            Raw::Text(t) => match t.strip_prefix('$') {
                Some(p)
                    if !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') =>
                {
                    Ok(Number::Param(p.to_owned()))
                }
                _ => Number::parse(&t).map(Number::Value).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "'{}' is neither a number nor a parameter ('$name')",
                        t.chars().take(80).collect::<String>()
                    ))
                }),
            },
        }
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Number {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, or a parameter of kind `number` that gives it (`$name`).",
            "anyOf": [{ "type": "number" }, { "type": "string", "pattern": "^\\$[A-Za-z0-9_-]+$" }]
        })
    }
}

/// A set of indicators over named data sources: the part of a notebook this module runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IndicatorSpec {
    #[serde(default = "one")]
    pub version: u32,
    /// Data sources by name (`--data NAME=FILE`), with the columns that carry keys.
    pub sources: BTreeMap<String, SourceSpec>,
    /// Hierarchies from mapping files (DeSO → health centre, kommun → sub-region, …).
    #[serde(default)]
    pub mappings: Vec<MappingSpec>,
    /// Age groups for the `age_group` level; without them the 5-year bands are the groups.
    #[serde(default)]
    pub age_groups: Vec<AgeGroup>,
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub rollup: RollupConfig,
}

fn one() -> u32 {
    1
}

/// The columns of one data source that give the keys of a row. Every field is a column name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceSpec {
    #[serde(default)]
    pub deso: Option<String>,
    #[serde(default)]
    pub kommun: Option<String>,
    #[serde(default)]
    pub lan: Option<String>,
    /// The care provider (health centre) of the row, e.g. where the person is listed.
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub year: Option<String>,
    /// An ISO date (`2023-04-17`): gives year, half-year, quarter and month.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub sex: Option<String>,
    /// Age in whole years.
    #[serde(default)]
    pub age: Option<String>,
    /// Age band label (`65-69`, `90+`), as population tables have it.
    #[serde(default)]
    pub age_band: Option<String>,
    /// Fields this version does not know, kept for saving.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A hierarchy read from a file: each `from` value belongs to one `to` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MappingSpec {
    /// The data source (file) holding the mapping.
    pub source: String,
    pub from: MapFrom,
    pub to: MapTo,
    pub from_column: String,
    pub to_column: String,
}

/// What a mapping starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MapFrom {
    Deso,
    Kommun,
    Provider,
}

/// What a mapping leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MapTo {
    /// Health centre (catchment area when from DeSO).
    Provider,
    Team,
    /// Sub-region / närsjukvårdsområde.
    Subregion,
    /// The kommun of a health centre (for sources without area codes).
    Kommun,
}

/// A named age group `min`…`max` (inclusive; `max` absent = and older).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgeGroup {
    pub name: String,
    pub min: u32,
    #[serde(default)]
    pub max: Option<u32>,
}

/// One of the six shifts ("förflyttningar") of God och nära vård (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// Från slutenvård till öppen vård.
    InpatientToOutpatient,
    /// Mer hälsofrämjande och förebyggande.
    HealthPromotionPrevention,
    /// Mer kontinuitet och samordning.
    ContinuityCoordination,
    /// Tillit och stark samverkan.
    TrustCollaboration,
    /// Mer personcentrerad vård.
    PersonCentred,
    /// Mer tillgänglig vård (t.ex. digital).
    Accessibility,
}

impl Shift {
    /// The six shifts in the order of the national reform (Prop. 2019/20:164, seed 002).
    pub const ALL: [Shift; 6] = [
        Shift::InpatientToOutpatient,
        Shift::HealthPromotionPrevention,
        Shift::ContinuityCoordination,
        Shift::TrustCollaboration,
        Shift::PersonCentred,
        Shift::Accessibility,
    ];

    /// The shift in `lang`, in Swedish as seed 002 words it.
    pub fn word(self, lang: crate::number_format::Language) -> &'static str {
        match self {
            Shift::InpatientToOutpatient => lang.pick(
                "Från slutenvård till öppen vård",
                "From inpatient to outpatient care",
            ),
            Shift::HealthPromotionPrevention => lang.pick(
                "Mer hälsofrämjande och förebyggande",
                "More health promotion and prevention",
            ),
            Shift::ContinuityCoordination => lang.pick(
                "Mer kontinuitet och samordning",
                "More continuity and coordination",
            ),
            Shift::TrustCollaboration => lang.pick(
                "Tillit och stark samverkan",
                "Trust and strong collaboration",
            ),
            Shift::PersonCentred => {
                lang.pick("Mer personcentrerad vård", "More person-centred care")
            }
            Shift::Accessibility => lang.pick("Mer tillgänglig vård", "More accessible care"),
        }
    }
}

/// Quality, quantity or cost (seed 002's three dimensions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Quality,
    Quantity,
    Cost,
}

impl Dimension {
    /// Quality, quantity, cost.
    pub const ALL: [Dimension; 3] = [Dimension::Quality, Dimension::Quantity, Dimension::Cost];

    /// The dimension in `lang`, as a heading ("Kvalitet", "Quality").
    pub fn word(self, lang: crate::number_format::Language) -> &'static str {
        match self {
            Dimension::Quality => lang.pick("Kvalitet", "Quality"),
            Dimension::Quantity => lang.pick("Kvantitet", "Quantity"),
            Dimension::Cost => lang.pick("Kostnad", "Cost"),
        }
    }
}

/// A process or outcome measure ("kort och lång lins", seed 000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    Process,
    Outcome,
}

choice! {
    /// How the value is computed from numerator and denominator.
    pub enum MeasureType: "measure", "a measure" {
        /// The numerator itself (exact/Byar Poisson limits).
        Count = "count", "antal", "count";
        /// Numerator / denominator × multiplier (default 100 000), PHE's crude rate.
        Rate = "rate", "kvot", "rate";
        /// Numerator / denominator × multiplier (default 100, a percentage), Wilson limits.
        Share = "share", "andel", "share";
        /// Mean of the numerator's `sum` column over its rows, t limits.
        Mean = "mean", "medelvärde", "mean";
        /// Directly age-standardised rate (ESP2013 over the indicator's ages), Dobson limits.
        Dsr = "dsr", "åldersstandardiserad kvot", "directly standardised rate";
        /// Indirectly standardised ratio against the pooled data of the same period
        /// (× multiplier, default 100).
        Isr = "isr", "indirekt standardiserad kvot", "indirectly standardised ratio";
    }
}

/// Rows of a source that match all conditions: counted, or their `sum` column summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Measure {
    pub source: String,
    #[serde(default, rename = "where")]
    pub conditions: Vec<Condition>,
    /// Sum this column instead of counting rows (a population column, a length of stay).
    #[serde(default)]
    pub sum: Option<String>,
}

/// `column op value`, e.g. `event_type = fall_injury`, `value >= 1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Condition {
    pub column: String,
    pub op: Op,
    pub value: CondValue,
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Op {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "!=")]
    Ne,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "in")]
    In,
}

/// The right-hand side of a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum CondValue {
    Number(f64),
    Text(String),
    List(Vec<String>),
}

/// The ages an indicator covers, applied to numerator and denominator alike. Both ends must be
/// band edges (multiples of 5; `max` a band's last year, e.g. 79).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Ages {
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
}

/// What a unit is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Against {
    /// The county: all data of the same period (and sex / age group when those are levels).
    County,
    /// The same unit's previous period.
    Previous,
    /// A value typed in (e.g. the national value).
    Value(f64),
}

/// How the light is chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum LightRule {
    /// No light.
    #[default]
    None,
    /// Cut-offs: where green starts and where red starts (polarity decides the side).
    Target { green: f64, red: f64 },
    /// Better / similar / worse than a benchmark by the confidence interval.
    Benchmark {
        against: Against,
        #[serde(default)]
        levels: CiLevels,
        /// The benchmark's name in the reason ("riket", "målvärdet"); by default "länet",
        /// "föregående period" or "riket" after `against`.
        #[serde(default)]
        name: Option<String>,
    },
    /// Best share green, worst share red across the units of a level and period.
    Quantiles {
        #[serde(default = "quarter")]
        green_share: f64,
        #[serde(default = "quarter")]
        red_share: f64,
    },
    /// A significant trend over the last `periods` periods (at least 3).
    Trend { periods: usize },
}

fn quarter() -> f64 {
    0.25
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Indicator {
    pub id: String,
    /// Swedish name.
    pub name: String,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub shift: Option<Shift>,
    #[serde(default)]
    pub dimension: Option<Dimension>,
    #[serde(default)]
    pub kind: Option<MeasureKind>,
    #[serde(default)]
    pub polarity: Polarity,
    pub measure: MeasureType,
    /// Per how many (rates 100 000 or 1 000, shares 100); a default per measure type.
    #[serde(default)]
    pub multiplier: Option<f64>,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub ages: Ages,
    pub numerator: Measure,
    /// Not used by `count`; `mean` divides by its numerator's row count.
    #[serde(default)]
    pub denominator: Option<Measure>,
    #[serde(default)]
    pub light: LightRule,
    /// Fewer cases than this gives "not classified" (cases: the denominator for shares and
    /// means, the numerator otherwise). Default 5; DSRs also follow PHE's no-DSR-below-10 rule.
    #[serde(default)]
    pub min_cases: Option<f64>,
    /// Confidence level of `lower`/`upper` (default 0.95); may be a `number` parameter.
    #[serde(default)]
    pub confidence: Option<Number>,
    /// Fields this version does not know, kept for saving.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Indicator {
    /// Its numerator and, when it has one, its denominator, with the field names errors use.
    pub fn measures(&self) -> impl Iterator<Item = (&'static str, &Measure)> {
        std::iter::once(("numerator", &self.numerator))
            .chain(self.denominator.iter().map(|d| ("denominator", d)))
    }

    /// The multiplier, or the measure type's default.
    pub fn multiplier(&self) -> f64 {
        self.multiplier.unwrap_or(match self.measure {
            MeasureType::Rate | MeasureType::Dsr => crate::stats::PER_100K,
            MeasureType::Share | MeasureType::Isr => 100.0,
            MeasureType::Count | MeasureType::Mean => 1.0,
        })
    }

    /// The minimum number of cases for a light.
    pub fn min_cases(&self) -> f64 {
        self.min_cases.unwrap_or(DEFAULT_MIN_CASES)
    }
}

/// Default minimum number of cases for a light: the suggested disclosure threshold of
/// methods.md §6.2 (counts 1–4 are too few).
pub const DEFAULT_MIN_CASES: f64 = 5.0;

/// The county read-out rule (methods.md §5.3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RollupConfig {
    /// "Övervägande" when a colour's share of the coloured units is above this (default 0.5).
    #[serde(default = "half")]
    pub majority: f64,
}

fn half() -> f64 {
    0.5
}

impl Default for RollupConfig {
    fn default() -> Self {
        RollupConfig { majority: 0.5 }
    }
}
