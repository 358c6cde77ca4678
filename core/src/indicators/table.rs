//! An indicator's results at one level: one [`UnitRow`] per unit and period, in a
//! [`LevelTable`]. The types every consumer of results reads (charts, exports, the read-out,
//! disclosure control); they depend on nothing but the level and the lights.

use super::levels::{Level, Period};
use crate::classify::traffic_light::Estimate;
use crate::classify::Light;
use crate::error::Message;

/// One unit (and period) of one indicator at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// One value per non-period dimension of the level.
    pub keys: Vec<String>,
    pub period: Option<String>,
    pub numerator: f64,
    /// For an ISR: the expected count.
    pub denominator: f64,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub lower_998: Option<f64>,
    pub upper_998: Option<f64>,
    pub light: Light,
    /// Why the light is what it is, in both languages.
    pub reason: Message,
    /// Change from the unit's previous period, with its z value.
    pub change: Option<f64>,
    pub change_z: Option<f64>,
    /// Why there is no value (PHE's DSR rule, no population, …).
    pub note: Option<Message>,
    pub period_code: Period,
    /// Cases counted against `min_cases`.
    pub cases: f64,
    /// The value with its 95 % and 99.8 % limits (for comparisons).
    pub estimate: Estimate,
    /// Masked for export: a count below the disclosure threshold ([`UnitRow::mask`]).
    pub suppressed: bool,
    /// Set when the data cover the period only in part (`coverage.rs`): why it is not whole.
    pub partial: Option<Message>,
}

impl UnitRow {
    /// Hides what would disclose a count: the numerator (and the denominator when
    /// `denominator` is set), the value, its limits, its change and its light. Which rows are
    /// hidden is decided by [`crate::privacy::suppress`]; methods.md §6.2.
    pub fn mask(&mut self, denominator: bool) {
        self.suppressed = true;
        self.numerator = f64::NAN;
        if denominator {
            self.denominator = f64::NAN;
        }
        self.value = None;
        self.lower = None;
        self.upper = None;
        self.lower_998 = None;
        self.upper_998 = None;
        self.change = None;
        self.change_z = None;
        self.cases = f64::NAN;
        self.estimate = Default::default();
        self.light = Light::Grey;
        self.reason = Message::both(
            "Not shown (disclosure control)",
            "Visas inte (röjandeskydd)",
        );
        self.note = None;
    }
}

/// An indicator at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelTable {
    pub indicator: String,
    pub indicator_index: usize,
    pub level: Level,
    pub rows: Vec<UnitRow>,
}

impl LevelTable {
    /// The row of a unit (keys as written) and period label.
    pub fn row(&self, keys: &[&str], period: Option<&str>) -> Option<&UnitRow> {
        self.rows.iter().find(|r| {
            r.keys.iter().map(String::as_str).eq(keys.iter().copied())
                && r.period.as_deref() == period
        })
    }
}
