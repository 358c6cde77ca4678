//! The Care Need Index (CNI) from SCB's seven variables with their weights.
//!
//! Method source: methods.md §7 — Index = Σₖ wₖ·countₖ, CNI = (Index / population) / national
//! value. The weights (6.15, 5.72, 5.13, 4.19, 4.19, 3.97, 3.23) reproduce SCB's published
//! example (Enhet 1: 22 709.42 / 5 912 / 1.5513 = 2.4761); they were checked only against that
//! example, not read from the 2003 paper, so they are configuration ([`CniWeights`]), not code.

use serde::{Deserialize, Serialize};

/// The seven variables, in SCB's order.
pub const VARIABLES: [&str; 7] = [
    "65+ living alone",
    "foreign-born (E. Europe, Asia, Africa, S. America)",
    "unemployed or in a labour-market programme, 16–64",
    "single parent with child ≤ 17",
    "moved into the area (age ≥ 1)",
    "low education, 25–64",
    "age under 5",
];

/// SCB's weights in the order of [`VARIABLES`] (methods.md §7).
pub const SCB_WEIGHTS: [f64; 7] = [6.15, 5.72, 5.13, 4.19, 4.19, 3.97, 3.23];

/// The national index per person implied by SCB's published example (methods.md §7).
pub const SCB_EXAMPLE_NATIONAL_VALUE: f64 = 2.4761;

/// Weights of the seven variables.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CniWeights(pub [f64; 7]);

impl Default for CniWeights {
    fn default() -> Self {
        CniWeights(SCB_WEIGHTS)
    }
}

/// What a CNI of 1 means.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CniReference {
    /// Sweden's index per person (from SCB), typed in.
    National(f64),
    /// The pooled units given (the county): CNI 1 = the county's average need.
    Pooled,
}

/// One unit's counts: population and persons in each of the seven groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CniCounts {
    pub unit: String,
    pub population: f64,
    pub counts: [f64; 7],
}

/// One unit's index and CNI.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CniResult {
    pub unit: String,
    pub population: f64,
    /// Σ w·count.
    pub index: f64,
    /// CNI; `None` without population.
    pub cni: Option<f64>,
}

/// The index and CNI of each unit.
pub fn care_need_index(
    units: &[CniCounts],
    weights: &CniWeights,
    reference: CniReference,
) -> Vec<CniResult> {
    let index = |u: &CniCounts| -> f64 { u.counts.iter().zip(weights.0).map(|(c, w)| c * w).sum() };
    let per_person = match reference {
        CniReference::National(v) => v,
        CniReference::Pooled => {
            let (i, n) = units
                .iter()
                .fold((0.0, 0.0), |(i, n), u| (i + index(u), n + u.population));
            if n > 0.0 {
                i / n
            } else {
                f64::NAN
            }
        }
    };
    units
        .iter()
        .map(|u| {
            let i = index(u);
            let cni = (u.population > 0.0 && per_person > 0.0 && per_person.is_finite())
                .then(|| i / u.population / per_person);
            CniResult {
                unit: u.unit.clone(),
                population: u.population,
                index: i,
                cni,
            }
        })
        .collect()
}

/// Counts per health centre from area counts and listings (area, health centre, persons
/// listed): each area's counts are shared out in proportion to its listed persons.
pub fn counts_by_listing(
    areas: &[CniCounts],
    listings: &[(String, String, f64)],
) -> Vec<CniCounts> {
    let mut out: Vec<CniCounts> = Vec::new();
    for (area, centre, persons) in listings {
        let Some(a) = areas.iter().find(|a| &a.unit == area) else {
            continue;
        };
        if a.population <= 0.0 || !persons.is_finite() || *persons <= 0.0 {
            continue;
        }
        let share = persons / a.population;
        let slot = match out.iter().position(|c| &c.unit == centre) {
            Some(i) => i,
            None => {
                out.push(CniCounts {
                    unit: centre.clone(),
                    population: 0.0,
                    counts: [0.0; 7],
                });
                out.len() - 1
            }
        };
        if let Some(c) = out.get_mut(slot) {
            c.population += persons;
            for (x, y) in c.counts.iter_mut().zip(a.counts) {
                *x += y * share;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_reproduce_scbs_example() {
        // SCB's example: Enhet 1 index 22 709.42, population 5 912, CNI 1.5513.
        assert!((22_709.42 / 5_912.0 / SCB_EXAMPLE_NATIONAL_VALUE - 1.5513).abs() < 1e-4);
        assert!((7_869.74 / 2_407.0 / SCB_EXAMPLE_NATIONAL_VALUE - 1.3204).abs() < 1e-4);
    }

    #[test]
    fn index_and_cni_by_hand() {
        // Area A: 100 in each group, 1000 persons: index = 100 × Σw = 100 × 32.58 = 3258.
        // Area B: none in any group, 1000 persons: index 0.
        let a = CniCounts {
            unit: "A".into(),
            population: 1000.0,
            counts: [100.0; 7],
        };
        let b = CniCounts {
            unit: "B".into(),
            population: 1000.0,
            counts: [0.0; 7],
        };
        let r = care_need_index(
            &[a.clone(), b.clone()],
            &CniWeights::default(),
            CniReference::National(2.0),
        );
        assert!((r[0].index - 3258.0).abs() < 1e-9);
        assert!((r[0].cni.unwrap() - 3.258 / 2.0).abs() < 1e-12);
        assert_eq!(r[1].cni, Some(0.0));
        // Pooled: the county's index per person is 3258 / 2000, so A is 2 and B 0.
        let r = care_need_index(
            &[a.clone(), b.clone()],
            &CniWeights::default(),
            CniReference::Pooled,
        );
        assert!((r[0].cni.unwrap() - 2.0).abs() < 1e-12);
        // A centre listing 500 of A and 500 of B has half of A's counts: CNI 1 pooled.
        let hc = counts_by_listing(
            &[a, b],
            &[
                ("A".into(), "HC".into(), 500.0),
                ("B".into(), "HC".into(), 500.0),
            ],
        );
        assert_eq!(hc[0].population, 1000.0);
        assert_eq!(hc[0].counts, [50.0; 7]);
    }
}
