//! Complementary suppression (issue 10), checked by an attacker written independently of
//! `privacy::suppression`: random county tables (DeSO areas → kommuner → the county, two
//! years, an indicator and a sub-indicator with one more condition) are suppressed at a
//! random threshold, then every additive relation an intruder can see is tried: a hidden count
//! that is the only unknown in one of them could be recomputed, and a small remainder that the
//! shown numbers give away (an indicator minus its sub-indicator) is a disclosure too.

use proptest::prelude::*;
use samsyn_core::classify::traffic_light::Estimate;
use samsyn_core::classify::Light;
use samsyn_core::indicators::{Dim, Level, LevelTable, Period, UnitRow};
use samsyn_core::privacy::suppress;

fn row(keys: &[&str], year: u16, numerator: f64, denominator: f64) -> UnitRow {
    UnitRow {
        keys: keys.iter().map(|k| k.to_string()).collect(),
        period: Some(year.to_string()),
        numerator,
        denominator,
        value: Some(numerator / denominator.max(1.0)),
        lower: Some(0.0),
        upper: Some(1.0),
        lower_998: None,
        upper_998: None,
        light: Light::Green,
        reason: Default::default(),
        change: Some(0.1),
        change_z: Some(1.0),
        note: None,
        period_code: Period { year, sub: 0 },
        cases: numerator,
        estimate: Estimate::default(),
        suppressed: false,
        partial: None,
    }
}

fn level(dim: Dim) -> Level {
    Level {
        dims: vec![dim],
        period: Some(Dim::Year),
    }
}

/// Per kommun, per DeSO area: (numerator of the indicator, of the sub-indicator, denominator)
/// per year, and per kommun a count outside its listed areas (unmapped cases).
#[derive(Debug, Clone)]
struct County {
    kommuner: Vec<(Vec<Area>, u32)>,
}

/// One DeSO area: per year, (numerator, sub-indicator's numerator, denominator).
type Area = [(u32, u32, u32); 2];

fn county() -> impl Strategy<Value = County> {
    let area = prop::array::uniform2((0u32..14, 0u32..4, prop_oneof![0u32..8, 20u32..400]))
        .prop_map(|a| a.map(|(n, minus, d)| (n, n.saturating_sub(minus), d.max(n))));
    let kommun = (
        prop::collection::vec(area, 1..5),
        prop_oneof![Just(0u32), 0u32..3],
    );
    prop::collection::vec(kommun, 1..5).prop_map(|kommuner| County { kommuner })
}

/// The tables of indicator 0 and 1 at DeSO, kommun and county level.
fn tables(c: &County) -> Vec<LevelTable> {
    let mut out = Vec::new();
    for ind in 0..2usize {
        let mut deso = Vec::new();
        let mut kommun = Vec::new();
        let mut lan = Vec::new();
        for (y, year) in [2023u16, 2024].into_iter().enumerate() {
            let (mut ln, mut ld) = (0.0, 0.0);
            for (k, (areas, outside)) in c.kommuner.iter().enumerate() {
                let code = format!("24{:02}", 1 + k);
                let (mut kn, mut kd) = (f64::from(*outside), 0.0);
                for (a, per_year) in areas.iter().enumerate() {
                    let (n_all, n_sub, d) = per_year[y];
                    let n = f64::from(if ind == 0 { n_all } else { n_sub });
                    let d = f64::from(d);
                    let area = format!("{code}A{:03}0", a + 1);
                    deso.push(row(&[&area], year, n, d));
                    kn += n;
                    kd += d;
                }
                kommun.push(row(&[&code], year, kn, kd));
                ln += kn;
                ld += kd;
            }
            lan.push(row(&["24"], year, ln, ld));
        }
        deso.sort_by(|a, b| a.keys.cmp(&b.keys).then(a.period_code.cmp(&b.period_code)));
        kommun.sort_by(|a, b| a.keys.cmp(&b.keys).then(a.period_code.cmp(&b.period_code)));
        for (dim, rows) in [(Dim::Deso, deso), (Dim::Kommun, kommun), (Dim::Lan, lan)] {
            out.push(LevelTable {
                indicator: format!("i{ind}"),
                indicator_index: ind,
                level: level(dim),
                rows,
            });
        }
    }
    out
}

/// A shown count, or `None` when hidden.
fn shown(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// A total and its parts, each a (table, row) pair.
type Relation = ((usize, usize), Vec<(usize, usize)>);

/// Relations an intruder sees, as (total, parts), each a (table, row) pair: the county and its
/// kommuner, a kommun and its DeSO areas (by the code's first four characters), the county and
/// all DeSO areas; `exact` says whether the parts are known to add up to the total.
fn relations(t: &[LevelTable]) -> Vec<Relation> {
    let mut out = Vec::new();
    for ind in 0..2 {
        let (deso, kommun, lan) = (ind * 3, ind * 3 + 1, ind * 3 + 2);
        for (ti, total) in [(kommun, 4usize), (lan, 2)] {
            for (ri, r) in t[ti].rows.iter().enumerate() {
                let parts: Vec<(usize, usize)> = t[deso]
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        p.period_code == r.period_code && p.keys[0][..total] == r.keys[0]
                    })
                    .map(|(i, _)| (deso, i))
                    .collect();
                out.push(((ti, ri), parts));
            }
        }
        for (ri, r) in t[lan].rows.iter().enumerate() {
            let parts = t[kommun]
                .rows
                .iter()
                .enumerate()
                .filter(|(_, p)| p.period_code == r.period_code)
                .map(|(i, _)| (kommun, i))
                .collect();
            out.push(((lan, ri), parts));
        }
    }
    // The indicator and its sub-indicator, unit by unit: all = sub + the rest.
    for (lvl, table) in t.iter().enumerate().take(3) {
        for ri in 0..table.rows.len() {
            out.push(((lvl, ri), vec![(lvl + 3, ri)]));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn no_suppressed_count_can_be_recomputed(c in county(), threshold in 3u32..12) {
        let original = tables(&c);
        let mut t = original.clone();
        let threshold = f64::from(threshold);
        let counts = suppress(&mut t, threshold, &[(0, 1)]);
        let small = |v: f64| v > 0.0 && v < threshold;
        for (ti, table) in t.iter().enumerate() {
            for (ri, r) in table.rows.iter().enumerate() {
                let o = &original[ti].rows[ri];
                // Primary: no small count is shown, and a hidden row shows nothing derived.
                prop_assert!(!(shown(r.numerator).is_some_and(small)), "{} {:?} shows {}", table.indicator, r.keys, r.numerator);
                prop_assert!(!(shown(r.denominator).is_some_and(small)));
                if r.suppressed {
                    prop_assert!(r.value.is_none() && r.lower.is_none() && r.change.is_none());
                    prop_assert_eq!(r.light, Light::Grey);
                } else {
                    prop_assert_eq!(r.numerator, o.numerator);
                }
            }
        }
        for (which, get) in [("numerator", (|r: &UnitRow| r.numerator) as fn(&UnitRow) -> f64), ("denominator", |r: &UnitRow| r.denominator)] {
            for (total, parts) in relations(&t) {
                let cell = |(a, b): (usize, usize)| get(&t[a].rows[b]);
                let truth = |(a, b): (usize, usize)| get(&original[a].rows[b]);
                let hidden = std::iter::once(total).chain(parts.iter().copied()).filter(|&c| shown(cell(c)).is_none()).count();
                let remainder = truth(total) - parts.iter().map(|&p| truth(p)).sum::<f64>();
                if remainder.abs() < 1e-9 {
                    // Exact: one unknown alone is recomputed.
                    prop_assert_ne!(hidden, 1, "{} of {:?} can be recomputed from {:?}", which, t[total.0].rows[total.1].keys, parts.iter().map(|&(a, b)| &t[a].rows[b].keys).collect::<Vec<_>>());
                } else if hidden == 0 {
                    // Everything shown: the remainder is known to all, and must not be small.
                    prop_assert!(!small(remainder), "{which}: a remainder of {remainder} is given away at {:?}", t[total.0].rows[total.1].keys);
                }
            }
        }
        // A change is never shown next to a hidden previous year.
        for table in &t {
            for r in table.rows.iter().filter(|r| r.change.is_some()) {
                let prev = table.rows.iter().find(|p| p.keys == r.keys && p.period_code.year + 1 == r.period_code.year);
                prop_assert!(!prev.is_some_and(|p| p.suppressed), "{:?} shows a change from a hidden year", r.keys);
            }
        }
        prop_assert!(counts.primary <= t.iter().map(|x| x.rows.len()).sum::<usize>());
    }
}

#[test]
fn one_small_kommun_is_not_the_county_minus_the_others() {
    // Three kommuner, one with 2 cases: hiding it alone would leave 2 = county − the others.
    let c = County {
        kommuner: vec![
            (vec![[(20, 20, 300), (20, 20, 300)]], 0),
            (vec![[(2, 2, 300), (2, 2, 300)]], 0),
            (vec![[(30, 30, 300), (30, 30, 300)]], 0),
        ],
    };
    let mut t = tables(&c);
    let counts = suppress(&mut t, 5.0, &[]);
    let kommun = &t[1];
    let hidden: Vec<&str> = kommun
        .rows
        .iter()
        .filter(|r| r.suppressed && r.period_code.year == 2024)
        .map(|r| r.keys[0].as_str())
        .collect();
    // The small one, and the next smallest (20) as its complement; never the county.
    assert_eq!(hidden, ["2401", "2402"]);
    assert!(!t[2].rows.iter().any(|r| r.suppressed));
    assert!(counts.primary > 0 && counts.secondary > 0, "{counts:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Periods: a kommun's year is the sum of its quarters, and the county's quarter the sum
    /// of the kommuner's; no hidden quarter or year is the only unknown of either.
    #[test]
    fn no_hidden_quarter_can_be_recomputed_from_its_year(
        q in prop::collection::vec(prop::array::uniform4(prop_oneof![0u32..6, 10u32..60]), 2..5),
        threshold in 3u32..8,
    ) {
        let threshold = f64::from(threshold);
        let quarter = |keys: &str, sub: u8, n: f64| {
            let mut r = row(&[keys], 2024, n, 1000.0);
            r.period = Some(format!("2024Q{sub}"));
            r.period_code = Period { year: 2024, sub };
            r
        };
        let mut kq = Vec::new();
        let mut ky = Vec::new();
        let mut lq = [0.0f64; 4];
        for (k, per) in q.iter().enumerate() {
            let code = format!("24{:02}", k + 1);
            for (s, n) in per.iter().enumerate() {
                kq.push(quarter(&code, s as u8 + 1, f64::from(*n)));
                lq[s] += f64::from(*n);
            }
            ky.push(row(&[&code], 2024, per.iter().map(|n| f64::from(*n)).sum(), 4000.0));
        }
        let lan_q: Vec<UnitRow> = (0..4).map(|s| quarter("24", s as u8 + 1, lq[s])).collect();
        let table = |dim, period, rows| LevelTable {
            indicator: "i".into(),
            indicator_index: 0,
            level: Level { dims: vec![dim], period: Some(period) },
            rows,
        };
        let mut t = vec![
            table(Dim::Kommun, Dim::Quarter, kq),
            table(Dim::Kommun, Dim::Year, ky),
            table(Dim::Lan, Dim::Quarter, lan_q),
        ];
        suppress(&mut t, threshold, &[]);
        let hidden = |r: &UnitRow| !r.numerator.is_finite();
        for y in &t[1].rows {
            let parts: Vec<&UnitRow> = t[0].rows.iter().filter(|r| r.keys == y.keys).collect();
            let n = parts.iter().filter(|r| hidden(r)).count() + usize::from(hidden(y));
            prop_assert_ne!(n, 1, "{:?}: a quarter or the year is the only hidden one", y.keys);
        }
        for l in &t[2].rows {
            let parts: Vec<&UnitRow> = t[0].rows.iter().filter(|r| r.period_code == l.period_code).collect();
            let n = parts.iter().filter(|r| hidden(r)).count() + usize::from(hidden(l));
            prop_assert_ne!(n, 1, "{:?}: one kommun is the only hidden one", l.period);
        }
    }
}
