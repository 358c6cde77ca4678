//! A disclosure threshold: marks values built on too few events to be published.
//!
//! Source: methods.md §6.2 (röjandekontroll). No Swedish authority's numeric threshold was
//! confirmed, so the threshold is the user's setting; the suggested default masks counts 1–4 and
//! keeps 0 visible. The statistic is still computed; it is only *marked*, and the export decides
//! what to blank. PHE's own rule (no DSR below 10 events) is separate, in [`super::dsr`].

/// Whether a count of zero is shown or also suppressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ZeroCounts {
    #[default]
    Show,
    Suppress,
}

/// Mark values whose count is below `min_count`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Disclosure {
    /// Counts below this are marked (5 marks 1–4).
    pub min_count: f64,
    pub zero: ZeroCounts,
}

impl Disclosure {
    /// The suggested default of methods.md §6.2: mask counts 1–4, show 0.
    pub const SUGGESTED_MIN_COUNT: f64 = 5.0;

    /// A threshold marking counts below `min_count` (zero shown).
    pub fn below(min_count: f64) -> Self {
        Disclosure {
            min_count,
            zero: ZeroCounts::Show,
        }
    }

    /// Whether a value built on `count` events must be suppressed.
    pub fn suppresses(&self, count: f64) -> bool {
        if count == 0.0 {
            return self.zero == ZeroCounts::Suppress;
        }
        count < self.min_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_one_to_four_by_default() {
        let d = Disclosure::below(Disclosure::SUGGESTED_MIN_COUNT);
        assert!(!d.suppresses(0.0));
        assert!(d.suppresses(1.0) && d.suppresses(4.0));
        assert!(!d.suppresses(5.0));
    }
}
