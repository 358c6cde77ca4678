//! A capitation budget split between health centres by age/sex weights and a CNI share, and what
//! a change of the CNI share would move between them.
//!
//! Method source: methods.md §7, the common construction (check the region's own
//! "ersättningsmodell"): unit j gets B_age·(Σₐ N_{j,a}·vₐ)/(Σₖ Σₐ N_{k,a}·vₐ) +
//! B_CNI·(N_j·CNI_j)/(Σₖ N_k·CNI_k), with B_CNI = share × budget and B_age = the rest. Seed 003:
//! about 3 % of Västerbotten's fixed remuneration is CNI-adjusted.

use serde::Serialize;

/// One health centre: listed persons per age/sex group and its CNI.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedUnit {
    pub unit: String,
    /// Persons per age/sex group, in the order of the weights.
    pub persons: Vec<f64>,
    pub cni: f64,
}

/// One health centre's money.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapitationShare {
    pub unit: String,
    pub age_sex_part: f64,
    pub cni_part: f64,
    pub total: f64,
}

/// Splits `budget` with `cni_share` (0–1) of it by CNI and the rest by age/sex `weights`.
/// `None` when the shares cannot be formed (no weighted persons, share outside 0–1).
pub fn capitation(
    units: &[ListedUnit],
    weights: &[f64],
    budget: f64,
    cni_share: f64,
) -> Option<Vec<CapitationShare>> {
    if !(0.0..=1.0).contains(&cni_share) || !budget.is_finite() {
        return None;
    }
    let weighted =
        |u: &ListedUnit| -> f64 { u.persons.iter().zip(weights).map(|(n, v)| n * v).sum() };
    let need = |u: &ListedUnit| -> f64 { u.persons.iter().sum::<f64>() * u.cni };
    let total_weighted: f64 = units.iter().map(weighted).sum();
    let total_need: f64 = units.iter().map(need).sum();
    let b_cni = budget * cni_share;
    let b_age = budget - b_cni;
    if total_weighted <= 0.0 || (b_cni > 0.0 && total_need <= 0.0) {
        return None;
    }
    Some(
        units
            .iter()
            .map(|u| {
                let age_sex_part = b_age * weighted(u) / total_weighted;
                let cni_part = if b_cni > 0.0 {
                    b_cni * need(u) / total_need
                } else {
                    0.0
                };
                CapitationShare {
                    unit: u.unit.clone(),
                    age_sex_part,
                    cni_part,
                    total: age_sex_part + cni_part,
                }
            })
            .collect(),
    )
}

/// What moving the CNI share from `from` to `to` moves to (+) or from (−) each unit.
pub fn cni_share_change(
    units: &[ListedUnit],
    weights: &[f64],
    budget: f64,
    from: f64,
    to: f64,
) -> Option<Vec<(String, f64)>> {
    let a = capitation(units, weights, budget, from)?;
    let b = capitation(units, weights, budget, to)?;
    Some(
        a.iter()
            .zip(b)
            .map(|(x, y)| (x.unit.clone(), y.total - x.total))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<ListedUnit> {
        vec![
            ListedUnit {
                unit: "A".into(),
                persons: vec![100.0, 50.0],
                cni: 2.0,
            },
            ListedUnit {
                unit: "B".into(),
                persons: vec![100.0, 150.0],
                cni: 1.0,
            },
        ]
    }

    #[test]
    fn split_by_hand() {
        // Weighted persons: A 100 + 3·50 = 250, B 100 + 3·150 = 550 (800 in all); need N·CNI:
        // A 150·2 = 300, B 250·1 = 250 (550). Budget 1000, 10 % by CNI:
        // A = 900·250/800 + 100·300/550 = 281.25 + 54.545… = 335.795…
        let s = capitation(&units(), &[1.0, 3.0], 1000.0, 0.1).unwrap();
        assert!((s[0].age_sex_part - 281.25).abs() < 1e-9);
        assert!((s[0].cni_part - 100.0 * 300.0 / 550.0).abs() < 1e-9);
        assert!((s[0].total + s[1].total - 1000.0).abs() < 1e-9);
        // 20 % by CNI: A = 250 + 200·300/550 = 359.09…, a move of +23.295… from B.
        let d = cni_share_change(&units(), &[1.0, 3.0], 1000.0, 0.1, 0.2).unwrap();
        let want = 250.0 + 200.0 * 300.0 / 550.0 - (281.25 + 100.0 * 300.0 / 550.0);
        assert!((d[0].1 - want).abs() < 1e-9);
        assert!((d[0].1 + d[1].1).abs() < 1e-9);
        assert!(capitation(&units(), &[1.0, 3.0], 1000.0, 1.5).is_none());
    }
}
