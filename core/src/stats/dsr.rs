//! Directly age-standardised rates (DSR) with Dobson confidence limits.
//!
//! Source: PHEindicatormethods `calculate_dsr` / `dsr_inner` (`R/DSR.R`, v2.1.0; methods.md §2):
//! DSR = M·Σ(xᵢwᵢ/nᵢ)/Σw, V = Σxᵢ(wᵢ/nᵢ)²/(Σw)², limits DSR + M·√(V/O)·(O_L − O) and
//! DSR + M·√(V/O)·(O_U − O) with Byar's limits O_L, O_U of the total count O (Dobson et al. 1991).
//! PHE's small-number rule: no DSR when O < 10 (`"dsr NA for total count < 10"`).
//!
//! The standard is a [`StandardPopulation`], whose name is carried into the result. Using a
//! subset of the standard's bands (e.g. [`StandardPopulation::from_age`]) renormalises the
//! weights, as Σw is the denominator.
//!
//! Defined behaviour at the edges (PHE's rules): a zero count in a band is fine; a band with zero
//! or missing population is an error naming the band; a count above the population is allowed
//! (events, not persons); NaN or negative values are errors naming the band.

use super::byar::{byar_lower, byar_upper};
use super::confidence::Confidence;
use super::disclosure::Disclosure;
use super::error::{non_negative, positive, Place, Quantity, StatsError};
use super::PER_100K;
use crate::standard_pop::StandardPopulation;

/// PHE computes no DSR for a total count below this.
pub const MIN_TOTAL_COUNT: f64 = 10.0;

/// How a DSR is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DsrConfig {
    pub confidence: Confidence,
    /// Per how many (PHE default 100 000).
    pub multiplier: f64,
    /// Marks DSRs whose total count is below a threshold; `None` marks nothing.
    pub disclosure: Option<Disclosure>,
}

impl Default for DsrConfig {
    fn default() -> Self {
        DsrConfig {
            confidence: Confidence::default(),
            multiplier: PER_100K,
            disclosure: None,
        }
    }
}

/// Why a DSR is not shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DsrNote {
    /// PHE's rule: total count < 10, no value.
    TotalCountBelow10,
    /// The total count is below the disclosure threshold: computed, to be suppressed.
    Disclosure { min_count: f64 },
}

impl DsrNote {
    /// The text for a note column (PHE's wording for the small-number rule).
    pub fn text(&self) -> String {
        match self {
            DsrNote::TotalCountBelow10 => "dsr NA for total count < 10".to_owned(),
            DsrNote::Disclosure { min_count } => {
                format!("suppressed: total count below the disclosure threshold of {min_count}")
            }
        }
    }
}

/// One age band of a group's data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BandCount<'a> {
    pub band: &'a str,
    pub count: f64,
    pub population: f64,
}

/// A DSR with its limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Dsr {
    /// The standard population used (shown with the value).
    pub standard: String,
    pub total_count: f64,
    pub total_population: f64,
    /// The DSR, `None` under PHE's small-number rule.
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    /// The same arithmetic without the small-number rule. Limits are `None` where Byar's limit
    /// is undefined (total count 0, or a negative lower limit).
    pub value_raw: f64,
    pub lower_raw: Option<f64>,
    pub upper_raw: Option<f64>,
    /// V = Σx(w/n)²/(Σw)², the variance of DSR/M.
    pub variance: f64,
    pub note: Option<DsrNote>,
}

impl Dsr {
    /// Whether the value must not be published (PHE's rule or the disclosure threshold).
    pub fn suppressed(&self) -> bool {
        self.note.is_some()
    }
}

/// The DSR of one group whose bands are given by label, in any order; the bands must be
/// exactly the standard's (an error names any missing or extra band).
pub fn dsr(
    standard: &StandardPopulation,
    bands: &[BandCount<'_>],
    config: &DsrConfig,
) -> Result<Dsr, StatsError> {
    let labels: Vec<&str> = bands.iter().map(|b| b.band).collect();
    let order = standard.align(&labels)?;
    let pick = |f: fn(&BandCount<'_>) -> f64| -> Vec<f64> {
        order
            .iter()
            .map(|&i| bands.get(i).map(f).unwrap_or(f64::NAN))
            .collect()
    };
    dsr_aligned(
        standard,
        &pick(|b| b.count),
        &pick(|b| b.population),
        config,
    )
}

/// The DSR of one group whose counts and populations are in the standard's band order (the fast
/// path for many groups: align once with [`StandardPopulation::align`]).
pub fn dsr_aligned(
    standard: &StandardPopulation,
    counts: &[f64],
    populations: &[f64],
    config: &DsrConfig,
) -> Result<Dsr, StatsError> {
    let m = positive(config.multiplier, Place::Total, Quantity::Multiplier)?;
    let weights = standard.weights();
    if counts.len() != weights.len() || populations.len() != weights.len() {
        let have = counts.len().min(populations.len());
        return Err(StatsError::BandMismatch {
            standard: standard.name().to_owned(),
            missing_in_data: standard.bands().iter().skip(have).cloned().collect(),
            unknown_to_standard: Vec::new(),
        });
    }
    let (mut sum_w, mut total_count, mut total_pop, mut weighted, mut var) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    for (((&x, &n), &w), band) in counts
        .iter()
        .zip(populations)
        .zip(weights)
        .zip(standard.bands())
    {
        // The error (and its band label) is only built when a value is bad: this loop runs for
        // every band of every group.
        if !(x.is_finite() && x >= 0.0) {
            non_negative(x, Place::AgeBand(band.clone()), Quantity::Count)?;
        }
        if !(n.is_finite() && n > 0.0) {
            positive(n, Place::AgeBand(band.clone()), Quantity::Population)?;
        }
        let ratio = w / n;
        sum_w += w;
        total_count += x;
        total_pop += n;
        weighted += x * ratio;
        var += x * ratio * ratio;
    }
    let value_raw = m * weighted / sum_w;
    let variance = var / (sum_w * sum_w);
    let confidence = config.confidence;
    let scale = m * (variance / total_count).sqrt();
    let (lower_raw, upper_raw) = if total_count > 0.0 {
        (
            byar_lower(total_count, confidence).map(|l| value_raw + scale * (l - total_count)),
            Some(value_raw + scale * (byar_upper(total_count, confidence) - total_count)),
        )
    } else {
        (None, None)
    };
    let note = if total_count < MIN_TOTAL_COUNT {
        Some(DsrNote::TotalCountBelow10)
    } else {
        config
            .disclosure
            .filter(|d| d.suppresses(total_count))
            .map(|d| DsrNote::Disclosure {
                min_count: d.min_count,
            })
    };
    let shown = note != Some(DsrNote::TotalCountBelow10);
    Ok(Dsr {
        standard: standard.name().to_owned(),
        total_count,
        total_population: total_pop,
        value: shown.then_some(value_raw),
        lower: lower_raw.filter(|_| shown),
        upper: upper_raw.filter(|_| shown),
        value_raw,
        lower_raw,
        upper_raw,
        variance,
        note,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const POPS: [f64; 19] = [
        636.0, 558.0, 609.0, 543.0, 384.0, 594.0, 669.0, 843.0, 660.0, 576.0, 606.0, 522.0, 426.0,
        273.0, 300.0, 288.0, 153.0, 123.0, 207.0,
    ];

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| ((a - b) / b).abs() < 1e-9)
    }

    /// PHE's published worked example, `testdata_multiarea` (methods.md §10).
    #[test]
    fn phe_worked_example_big_and_small() {
        let esp = StandardPopulation::esp2013();
        let big = [
            127.0, 25.0, 18.0, 21.0, 12.0, 27.0, 48.0, 27.0, 29.0, 32.0, 32.0, 34.0, 45.0, 65.0,
            38.0, 68.0, 74.0, 82.0, 91.0,
        ];
        let d = dsr_aligned(&esp, &big, &POPS, &DsrConfig::default()).unwrap();
        assert_eq!((d.total_count, d.total_population), (895.0, 8970.0));
        // PHE prints 6 decimals, so compare to 1e-10 relative of ~1e4.
        assert!((d.value.unwrap() - 10430.247991).abs() < 1e-6);
        assert!((d.lower.unwrap() - 9717.709068).abs() < 1e-6);
        assert!((d.upper.unwrap() - 11178.940915).abs() < 1e-6);
        let c998 = DsrConfig {
            confidence: Confidence::p998(),
            ..DsrConfig::default()
        };
        let d = dsr_aligned(&esp, &big, &POPS, &c998).unwrap();
        assert!((d.lower.unwrap() - 9323.287880).abs() < 1e-6);
        assert!((d.upper.unwrap() - 11620.596000).abs() < 1e-6);
        let small = [
            12.0, 4.0, 3.0, 2.0, 3.0, 4.0, 8.0, 2.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 5.0, 6.0, 5.0,
            5.0, 4.0,
        ];
        let d = dsr_aligned(&esp, &small, &POPS, &DsrConfig::default()).unwrap();
        assert!((d.value.unwrap() - 1103.212025).abs() < 1e-6);
        assert!((d.lower.unwrap() - 877.455768).abs() < 1e-6);
        assert!((d.upper.unwrap() - 1367.088223).abs() < 1e-6);
        assert!(close(d.value, d.value_raw));
    }

    #[test]
    fn small_counts_have_no_value_and_say_why() {
        let esp = StandardPopulation::esp2013();
        let mut counts = [0.0; 19];
        counts[3] = 9.0;
        let d = dsr_aligned(&esp, &counts, &POPS, &DsrConfig::default()).unwrap();
        assert_eq!((d.value, d.lower, d.upper), (None, None, None));
        assert_eq!(
            d.note.map(|n| n.text()).as_deref(),
            Some("dsr NA for total count < 10")
        );
        let zero = dsr_aligned(&esp, &[0.0; 19], &POPS, &DsrConfig::default()).unwrap();
        assert_eq!(
            (zero.value_raw, zero.lower_raw, zero.upper_raw),
            (0.0, None, None)
        );
    }

    #[test]
    fn zero_population_in_a_band_is_an_error_naming_it() {
        let esp = StandardPopulation::esp2013();
        let mut pops = POPS;
        pops[18] = 0.0;
        let e = dsr_aligned(&esp, &[1.0; 19], &pops, &DsrConfig::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "age band '90+': the population is 0; it must be greater than zero"
        );
        pops[18] = f64::NAN;
        let e = dsr_aligned(&esp, &[1.0; 19], &pops, &DsrConfig::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "age band '90+': the population is not a number (missing, NaN or infinite)"
        );
    }

    #[test]
    fn disclosure_marks_but_keeps_the_value() {
        let esp = StandardPopulation::esp2013();
        let config = DsrConfig {
            disclosure: Some(Disclosure::below(20.0)),
            ..DsrConfig::default()
        };
        let mut counts = [0.0; 19];
        counts[0] = 15.0;
        let d = dsr_aligned(&esp, &counts, &POPS, &config).unwrap();
        assert!(d.value.is_some() && d.suppressed());
        assert_eq!(
            d.note.map(|n| n.text()).as_deref(),
            Some("suppressed: total count below the disclosure threshold of 20")
        );
    }
}
