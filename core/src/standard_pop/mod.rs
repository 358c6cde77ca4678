//! Standard populations for direct age standardisation: ESP2013 built in, any other as a table.
//!
//! Source: methods.md §2 and §6.1. A DSR depends on the standard chosen, so a
//! [`StandardPopulation`] always carries its name, and every DSR reports it. Only standards whose
//! numbers were read from their published source are built in (methods.md §6.1); others (e.g.
//! Sweden's population of a chosen year from SCB) are loaded from a table with [`table`].

pub mod bands;
pub mod esp2013;
pub mod table;

use std::collections::HashMap;

use crate::stats::error::{non_negative, Place, Quantity, StatsError};

pub use bands::{band_lower_age, normalise_band};

/// A standard population: named age bands with weights.
#[derive(Debug, Clone, PartialEq)]
pub struct StandardPopulation {
    name: String,
    bands: Vec<String>,
    weights: Vec<f64>,
    index: HashMap<String, usize>,
}

impl StandardPopulation {
    /// A standard from (band, weight) pairs in order; weights must be finite and ≥ 0, bands
    /// distinct, and the total above zero.
    pub fn new(
        name: &str,
        bands: impl IntoIterator<Item = (String, f64)>,
    ) -> Result<Self, StatsError> {
        let mut out = StandardPopulation {
            name: name.to_owned(),
            bands: Vec::new(),
            weights: Vec::new(),
            index: HashMap::new(),
        };
        for (band, weight) in bands {
            let weight = non_negative(
                weight,
                Place::AgeBand(band.clone()),
                Quantity::StandardPopulation,
            )?;
            let key = normalise_band(&band);
            if out.index.insert(key, out.bands.len()).is_some() {
                return Err(StatsError::DuplicateBand {
                    band,
                    table: format!("the standard population '{name}'"),
                });
            }
            out.bands.push(band);
            out.weights.push(weight);
        }
        if out.bands.is_empty() {
            return Err(StatsError::NoBands {
                table: format!("the standard population '{name}'"),
            });
        }
        if out.total() <= 0.0 {
            return Err(StatsError::ZeroStandard {
                standard: name.to_owned(),
            });
        }
        Ok(out)
    }

    /// The European Standard Population 2013, 19 bands (see [`esp2013`]).
    pub fn esp2013() -> Self {
        let bands = esp2013::BANDS
            .iter()
            .zip(esp2013::WEIGHTS)
            .map(|(b, w)| ((*b).to_owned(), f64::from(w)));
        // The built-in table is valid; fall back to an empty standard rather than panic.
        Self::new(esp2013::NAME, bands).unwrap_or_else(|_| StandardPopulation {
            name: esp2013::NAME.to_owned(),
            bands: Vec::new(),
            weights: Vec::new(),
            index: HashMap::new(),
        })
    }

    /// ESP2013's 5-year bands `lo..=hi` ([`bands`]) with their published weights: the standard
    /// of an indicator for some ages, built once per run (a DSR divides by the weights' sum).
    pub fn esp2013_bands(lo: usize, hi: usize) -> Result<Self, StatsError> {
        let kept = (lo..=hi).filter_map(|b| {
            let label = esp2013::BANDS.get(b)?;
            let w = esp2013::WEIGHTS.get(b)?;
            Some(((*label).to_owned(), f64::from(*w)))
        });
        Self::new(esp2013::NAME, kept)
    }

    /// The standard's name, shown with every standardised value.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Band labels in order.
    pub fn bands(&self) -> &[String] {
        &self.bands
    }

    /// Weights in band order.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Σ weights.
    pub fn total(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// The position of a band (labels compared after [`normalise_band`]).
    pub fn position(&self, band: &str) -> Option<usize> {
        self.index.get(&normalise_band(band)).copied()
    }

    /// The bands from `min_age` up (e.g. 65+), named accordingly. The weights are kept; a DSR
    /// divides by their sum, which renormalises them (ESP2013 65+: Σw = 19 500).
    pub fn from_age(&self, min_age: u32) -> Result<Self, StatsError> {
        let kept = self
            .bands
            .iter()
            .zip(&self.weights)
            .filter(|(b, _)| band_lower_age(b).is_some_and(|a| a >= min_age))
            .map(|(b, w)| (b.clone(), *w));
        Self::new(&format!("{} ages {min_age}+", self.name), kept)
    }

    /// Merges some adjacent bands into one (e.g. `85-89` and `90+` into `85+`), summing their
    /// weights; the data must then use the merged band too.
    pub fn merge(&self, into: &str, bands: &[&str]) -> Result<Self, StatsError> {
        let mut positions = Vec::with_capacity(bands.len());
        let mut missing = Vec::new();
        for b in bands {
            match self.position(b) {
                Some(p) => positions.push(p),
                None => missing.push((*b).to_owned()),
            }
        }
        if !missing.is_empty() {
            return Err(StatsError::BandMismatch {
                standard: self.name.clone(),
                missing_in_data: Vec::new(),
                unknown_to_standard: missing,
            });
        }
        let first = positions.iter().copied().min().unwrap_or(0);
        let merged_weight: f64 = positions.iter().filter_map(|&p| self.weights.get(p)).sum();
        let mut out = Vec::with_capacity(self.bands.len());
        for (i, (b, w)) in self.bands.iter().zip(&self.weights).enumerate() {
            if i == first {
                out.push((into.to_owned(), merged_weight));
            } else if !positions.contains(&i) {
                out.push((b.clone(), *w));
            }
        }
        Self::new(&self.name, out)
    }

    /// Lines up the data's band labels with this standard: for each standard band, the index of
    /// the same band in `data_bands`. Any band missing on either side is an error naming it.
    pub fn align<S: AsRef<str>>(&self, data_bands: &[S]) -> Result<Vec<usize>, StatsError> {
        let mut order = vec![usize::MAX; self.bands.len()];
        let mut unknown = Vec::new();
        for (i, b) in data_bands.iter().enumerate() {
            match self.position(b.as_ref()).and_then(|p| order.get_mut(p)) {
                Some(slot) if *slot == usize::MAX => *slot = i,
                Some(_) => {
                    return Err(StatsError::DuplicateBand {
                        band: b.as_ref().to_owned(),
                        table: "the data".to_owned(),
                    })
                }
                None => unknown.push(b.as_ref().to_owned()),
            }
        }
        let missing: Vec<String> = order
            .iter()
            .zip(&self.bands)
            .filter(|(slot, _)| **slot == usize::MAX)
            .map(|(_, b)| b.clone())
            .collect();
        if !missing.is_empty() || !unknown.is_empty() {
            return Err(StatsError::BandMismatch {
                standard: self.name.clone(),
                missing_in_data: missing,
                unknown_to_standard: unknown,
            });
        }
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esp2013_sums_to_100000_and_65_plus_to_19500() {
        let esp = StandardPopulation::esp2013();
        assert_eq!(esp.bands().len(), 19);
        assert_eq!(esp.total(), 100_000.0);
        let old = esp.from_age(65).unwrap();
        assert_eq!(old.total(), 19_500.0);
        assert_eq!(old.name(), "ESP2013 ages 65+");
        assert_eq!(old.bands().first().map(String::as_str), Some("65-69"));
    }

    #[test]
    fn mismatched_bands_are_named() {
        let esp = StandardPopulation::esp2013().from_age(80).unwrap();
        let e = esp.align(&["80-84", "85 – 89", "95+"]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the age bands do not match the standard population 'ESP2013 ages 80+': missing from the data: 90+ not in the standard: 95+"
        );
        assert_eq!(
            esp.align(&["90+", "80-84", "85–89"]).unwrap(),
            vec![1, 2, 0]
        );
    }

    #[test]
    fn merging_sums_weights() {
        let esp = StandardPopulation::esp2013()
            .merge("85+", &["85-89", "90+"])
            .unwrap();
        assert_eq!(esp.bands().len(), 18);
        assert_eq!(
            esp.position("85+").and_then(|p| esp.weights().get(p)),
            Some(&2500.0)
        );
        assert_eq!(esp.total(), 100_000.0);
    }
}
