//! A disclosure threshold: marks values built on too few events to be published.
//!
//! Source: methods.md §6.2 (röjandekontroll). No Swedish authority's numeric threshold was
//! confirmed, so the threshold is the user's setting; the suggested default masks counts 1–4 and
//! keeps 0 visible. The statistic is still computed; it is only *marked*, and the export decides
//! what to blank. PHE's own rule (no DSR below 10 events) is separate, in [`super::dsr`].

/// The default disclosure floor, the one definition of "5" (methods.md §6.2): counts from 1 to
/// 4 are suppressed, 0 is shown. The user may raise it, a notebook may ask for more, nothing may
/// go below it unasked ([`Protection`]).
pub const DEFAULT_FLOOR: f64 = 5.0;

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

/// The user's small-count protection: a floor that governs everything exported or shown, which
/// no notebook can lower. A notebook may ask for a higher threshold (its `disclosure_threshold`
/// parameter); switching protection off is the user's explicit act, never the notebook's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Protection {
    /// Counts from 1 to `floor` − 1 are suppressed. At least 1.
    pub floor: f64,
    /// `false` only when the user asked for unprotected output for her own use.
    pub enabled: bool,
}

impl Default for Protection {
    fn default() -> Self {
        Protection {
            floor: DEFAULT_FLOOR,
            enabled: true,
        }
    }
}

impl Protection {
    /// Protection at `floor`, refused below 1 (a floor of 0 or 1 would protect nothing; that
    /// is [`Protection::off`]).
    pub fn at(floor: f64) -> Result<Protection, String> {
        if floor.is_finite() && floor >= 1.0 {
            Ok(Protection {
                floor,
                enabled: true,
            })
        } else {
            Err(format!(
                "the disclosure threshold must be a number of 1 or more (it is {floor}); to switch protection off for your own use, say so explicitly (--no-disclosure-control)"
            ))
        }
    }

    /// No protection: for the user's own eyes only.
    pub fn off() -> Protection {
        Protection {
            floor: 0.0,
            enabled: false,
        }
    }

    /// The threshold in force when a notebook asks for `asked`: the higher of the two, or 0
    /// (nothing suppressed) when protection is off.
    pub fn threshold(&self, asked: Option<f64>) -> f64 {
        if !self.enabled {
            return 0.0;
        }
        match asked {
            Some(a) if a.is_finite() && a > self.floor => a,
            _ => self.floor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_one_to_four_by_default() {
        let d = Disclosure::below(DEFAULT_FLOOR);
        assert!(!d.suppresses(0.0));
        assert!(d.suppresses(1.0) && d.suppresses(4.0));
        assert!(!d.suppresses(5.0));
    }

    #[test]
    fn a_notebook_can_raise_the_floor_never_lower_it() {
        let p = Protection::default();
        assert_eq!(p.threshold(None), 5.0);
        assert_eq!(p.threshold(Some(0.0)), 5.0);
        assert_eq!(p.threshold(Some(3.0)), 5.0);
        assert_eq!(p.threshold(Some(f64::NAN)), 5.0);
        assert_eq!(p.threshold(Some(11.0)), 11.0);
        assert_eq!(Protection::off().threshold(Some(11.0)), 0.0);
        assert!(Protection::at(0.0)
            .unwrap_err()
            .contains("--no-disclosure-control"));
    }
}
