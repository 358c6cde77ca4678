//! Indirectly standardised ratios (ISR/SMR) and rates against a reference population.
//!
//! Source: PHEindicatormethods `calculate_ISRatio` / `calculate_ISRate` (`R/ISRatio.R`,
//! `R/ISRate.R`, v2.1.0; methods.md §3): E = Σ(x_ref,i/n_ref,i)·nᵢ, ratio = O/E × refvalue,
//! rate = O/E × ref_rate with ref_rate = Σx_ref/Σn_ref × M; limits of O by PHE's rule (exact
//! below 10, Byar's from 10), divided by E. A zero population in a band is allowed here, as in
//! PHE; a count above the population is allowed (events, not persons); an expected count of 0
//! is an error, since the ratio is undefined.

use std::collections::HashMap;

use super::confidence::Confidence;
use super::error::{non_negative, positive, Place, Quantity, StatsError};
use super::poisson::{phe_count_limits, PoissonMethod};
use super::PER_100K;
use crate::standard_pop::normalise_band;

/// The reference: an age-specific rate per person in each band, and the overall reference rate
/// where known (from counts and populations, not from rates alone).
#[derive(Debug, Clone, PartialEq)]
pub struct IsrReference {
    bands: Vec<String>,
    rates: Vec<f64>,
    index: HashMap<String, usize>,
    /// Σx_ref/Σn_ref per person.
    overall_rate: Option<f64>,
}

impl IsrReference {
    /// From reference counts and populations by band (populations > 0).
    pub fn from_counts(
        bands: impl IntoIterator<Item = (String, f64, f64)>,
    ) -> Result<Self, StatsError> {
        let (mut sum_x, mut sum_n) = (0.0, 0.0);
        let mut rows = Vec::new();
        for (band, x, n) in bands {
            let at = || Place::AgeBand(band.clone());
            let x = non_negative(x, at(), Quantity::ReferenceCount)?;
            let n = positive(n, at(), Quantity::ReferencePopulation)?;
            sum_x += x;
            sum_n += n;
            rows.push((band, x / n));
        }
        let mut reference = Self::from_rates(rows)?;
        reference.overall_rate = Some(sum_x / sum_n);
        Ok(reference)
    }

    /// From age-specific rates per person by band (ISR ratios only: no overall rate).
    pub fn from_rates(bands: impl IntoIterator<Item = (String, f64)>) -> Result<Self, StatsError> {
        let mut out = IsrReference {
            bands: Vec::new(),
            rates: Vec::new(),
            index: HashMap::new(),
            overall_rate: None,
        };
        for (band, rate) in bands {
            let rate = non_negative(rate, Place::AgeBand(band.clone()), Quantity::ReferenceRate)?;
            if out
                .index
                .insert(normalise_band(&band), out.bands.len())
                .is_some()
            {
                return Err(StatsError::DuplicateBand {
                    band,
                    table: "the reference".to_owned(),
                });
            }
            out.bands.push(band);
            out.rates.push(rate);
        }
        if out.bands.is_empty() {
            return Err(StatsError::NoBands {
                table: "the reference".to_owned(),
            });
        }
        Ok(out)
    }

    /// An internal reference from pooled counts and populations by band (the county's, for its
    /// units): each band's rate x/n, or 0 where the pooled population is 0 (no one of that age,
    /// so the band adds nothing to any expected count), and Σx/Σn overall.
    pub fn pooled(bands: impl IntoIterator<Item = (String, f64, f64)>) -> Result<Self, StatsError> {
        let (mut sum_x, mut sum_n) = (0.0, 0.0);
        let mut rows = Vec::new();
        for (band, x, n) in bands {
            sum_x += x;
            sum_n += n;
            rows.push((band, if n > 0.0 { x / n } else { 0.0 }));
        }
        let mut reference = Self::from_rates(rows)?;
        reference.overall_rate = (sum_n > 0.0).then(|| sum_x / sum_n);
        Ok(reference)
    }

    /// Band labels in order.
    pub fn bands(&self) -> &[String] {
        &self.bands
    }

    /// Age-specific rates per person, in band order.
    pub fn rates(&self) -> &[f64] {
        &self.rates
    }

    /// Σx_ref/Σn_ref per person, when the reference was given as counts.
    pub fn overall_rate(&self) -> Option<f64> {
        self.overall_rate
    }

    /// For each data band, its position in the reference; bands unknown to the reference are an
    /// error naming them. Reference bands absent from the data count as zero population.
    pub fn align<S: AsRef<str>>(&self, data_bands: &[S]) -> Result<Vec<usize>, StatsError> {
        let mut unknown = Vec::new();
        let mut out = Vec::with_capacity(data_bands.len());
        for b in data_bands {
            match self.index.get(&normalise_band(b.as_ref())) {
                Some(&p) => out.push(p),
                None => unknown.push(b.as_ref().to_owned()),
            }
        }
        if !unknown.is_empty() {
            return Err(StatsError::BandMismatch {
                standard: "reference".to_owned(),
                missing_in_data: Vec::new(),
                unknown_to_standard: unknown,
            });
        }
        Ok(out)
    }
}

/// How an ISR is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsrConfig {
    pub confidence: Confidence,
    /// The ratio's scale: 1 for a ratio, 100 for the "×100" SMR style (PHE `refvalue`).
    pub ratio_multiplier: f64,
    /// The indirectly standardised rate's multiplier (PHE default 100 000).
    pub rate_multiplier: f64,
}

impl Default for IsrConfig {
    fn default() -> Self {
        IsrConfig {
            confidence: Confidence::default(),
            ratio_multiplier: 1.0,
            rate_multiplier: PER_100K,
        }
    }
}

/// An indirectly standardised rate, when the reference has an overall rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IsrRate {
    /// The reference's overall rate × rate multiplier.
    pub reference_rate: f64,
    pub value: f64,
    pub lower: f64,
    pub upper: f64,
}

/// An ISR/SMR with its limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Isr {
    pub observed: f64,
    pub expected: f64,
    pub ratio: f64,
    pub lower: f64,
    pub upper: f64,
    pub method: PoissonMethod,
    pub rate: Option<IsrRate>,
}

/// The ISR of one group: `bands` are (band, count, population), bands as in the reference.
pub fn isr(
    reference: &IsrReference,
    bands: &[(&str, f64, f64)],
    config: &IsrConfig,
) -> Result<Isr, StatsError> {
    let labels: Vec<&str> = bands.iter().map(|b| b.0).collect();
    let positions = reference.align(&labels)?;
    let (mut observed, mut expected) = (0.0, 0.0);
    for (&(band, x, n), &p) in bands.iter().zip(&positions) {
        let at = || Place::AgeBand(band.to_owned());
        observed += non_negative(x, at(), Quantity::Count)?;
        let n = non_negative(n, at(), Quantity::Population)?;
        expected += reference.rates().get(p).copied().unwrap_or(0.0) * n;
    }
    isr_from_totals(reference, observed, expected, config)
}

/// The expected count E = Σ rateᵢ·nᵢ of a group whose populations `nᵢ` are in the reference's
/// band order (a band beyond either list counts as none). For a group's bands as labels, see
/// [`isr`].
pub fn expected_aligned(reference: &IsrReference, populations: &[f64]) -> f64 {
    populations
        .iter()
        .zip(reference.rates())
        .map(|(n, r)| n * r)
        .sum()
}

/// The ISR from an observed total and the expected count.
pub fn isr_from_totals(
    reference: &IsrReference,
    observed: f64,
    expected: f64,
    config: &IsrConfig,
) -> Result<Isr, StatsError> {
    let observed = non_negative(observed, Place::Total, Quantity::Count)?;
    let expected = non_negative(expected, Place::Total, Quantity::Expected)?;
    if expected == 0.0 {
        return Err(StatsError::ZeroExpected);
    }
    let k = positive(config.ratio_multiplier, Place::Total, Quantity::Multiplier)?;
    let m = positive(config.rate_multiplier, Place::Total, Quantity::Multiplier)?;
    let limits = phe_count_limits(observed, config.confidence)?;
    let rate = reference.overall_rate().map(|r| {
        let reference_rate = r * m;
        IsrRate {
            reference_rate,
            value: observed / expected * reference_rate,
            lower: limits.lower / expected * reference_rate,
            upper: limits.upper / expected * reference_rate,
        }
    });
    Ok(Isr {
        observed,
        expected,
        ratio: observed / expected * k,
        lower: limits.lower / expected * k,
        upper: limits.upper / expected * k,
        method: limits.method,
        rate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A county of two units as an internal reference: band rates 30/1000 and 20/500, and 0 in
    /// a band nobody lives in; unit A (600 and 100 persons, 25 events) expects
    /// 600·0.03 + 100·0.04 = 22, an ISR of 25/22 × 100 — the same as `isr` from labels.
    #[test]
    fn a_pooled_reference_gives_the_expected_count_of_isr() {
        let reference = IsrReference::pooled([
            ("65-69".to_owned(), 30.0, 1000.0),
            ("70-74".to_owned(), 20.0, 500.0),
            ("75-79".to_owned(), 0.0, 0.0),
        ])
        .unwrap();
        assert_eq!(reference.rates(), &[0.03, 0.04, 0.0]);
        assert_eq!(reference.overall_rate(), Some(50.0 / 1500.0));
        let expected = expected_aligned(&reference, &[600.0, 100.0, 0.0]);
        assert!((expected - 22.0).abs() < 1e-12);
        let config = IsrConfig {
            ratio_multiplier: 100.0,
            ..IsrConfig::default()
        };
        let from_totals = isr_from_totals(&reference, 25.0, expected, &config).unwrap();
        let from_labels = isr(
            &reference,
            &[
                ("65-69", 20.0, 600.0),
                ("70-74", 5.0, 100.0),
                ("75-79", 0.0, 0.0),
            ],
            &config,
        )
        .unwrap();
        assert!((from_totals.ratio - 25.0 / 22.0 * 100.0).abs() < 1e-12);
        assert_eq!(from_totals, from_labels);
        assert_eq!(
            IsrReference::pooled([("65-69".to_owned(), -1.0, 10.0)])
                .unwrap_err()
                .to_string(),
            IsrReference::from_rates([("65-69".to_owned(), -0.1)])
                .unwrap_err()
                .to_string()
        );
    }
}
