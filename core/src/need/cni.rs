//! The Care Need Index (CNI) from SCB's seven variables with their weights.
//!
//! Method source: methods.md §7 — Index = Σₖ wₖ·countₖ, CNI = (Index / population) / national
//! value. The weights (6.15, 5.72, 5.13, 4.19, 4.19, 3.97, 3.23) reproduce SCB's published
//! example (Enhet 1: 22 709.42 / 5 912 / 1.5513 = 2.4761); they were checked only against that
//! example, not read from the 2003 paper, so they are configuration ([`CniWeights`]), not code.

use serde::{Deserialize, Serialize};

use crate::counts::parse_number;
use crate::error::{Error, Location, Message, Problems};
use crate::indicators::levels::find_column;
use crate::ingest::{Decimal, Dialect, Flow, RecordSink, Row};

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

/// Which columns of a file (one row per area or health centre, as SCB delivers them) hold the
/// unit, its population and the seven counts in the order of [`VARIABLES`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CniColumns {
    pub unit: String,
    pub population: String,
    pub variables: [String; 7],
}

/// A plan reading CNI counts in one pass; rows with the same unit are summed, bad values are
/// problems with their cell and the row is skipped.
#[derive(Debug)]
pub struct CniPlan {
    columns: CniColumns,
    cols: Option<(usize, usize, [usize; 7])>,
    decimal: Decimal,
    pub units: Vec<CniCounts>,
    index: std::collections::HashMap<String, usize>,
}

impl CniPlan {
    pub fn new(columns: CniColumns) -> Self {
        CniPlan {
            columns,
            cols: None,
            decimal: Decimal::Point,
            units: Vec::new(),
            index: std::collections::HashMap::new(),
        }
    }
}

impl RecordSink for CniPlan {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.decimal = dialect.decimal;
        let find = |c: &str| {
            find_column(names, c).ok_or_else(|| Error::MissingColumn {
                at: Location::file(""),
                wanted: Box::new(Message::both(
                    format!("the CNI column '{c}'"),
                    format!("CNI-kolumnen '{c}'"),
                )),
                found: names.join(", "),
            })
        };
        let mut vars = [0usize; 7];
        for (slot, name) in vars.iter_mut().zip(&self.columns.variables) {
            *slot = find(name)?;
        }
        self.cols = Some((
            find(&self.columns.unit)?,
            find(&self.columns.population)?,
            vars,
        ));
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        let Some((u, p, vars)) = self.cols else {
            return Flow::Stop;
        };
        let unit = match row.text(u) {
            Ok(Some(t)) if !t.trim().is_empty() => t.trim().to_owned(),
            _ => {
                problems.error(
                    row.at(u),
                    Message::both(
                        "the unit is empty or unreadable; the row is skipped",
                        "enheten är tom eller oläslig; raden hoppas över",
                    ),
                );
                return Flow::Continue;
            }
        };
        let decimal = self.decimal;
        let number = |i: usize, problems: &mut Problems| -> Option<f64> {
            match row.text(i) {
                Ok(Some(t)) => match parse_number(&t, decimal) {
                    Some(v) if v >= 0.0 => Some(v),
                    _ => {
                        let t = t.trim();
                        problems.error(
                            row.at(i),
                            Message::both(
                                format!("'{t}' is not a count of zero or more; the row is skipped"),
                                format!(
                                    "'{t}' är inte ett antal som är noll eller mer; raden hoppas över"
                                ),
                            ),
                        );
                        None
                    }
                },
                _ => {
                    problems.error(
                        row.at(i),
                        Message::both(
                            "the count is missing; the row is skipped",
                            "antalet saknas; raden hoppas över",
                        ),
                    );
                    None
                }
            }
        };
        let Some(population) = number(p, problems) else {
            return Flow::Continue;
        };
        let mut counts = [0.0; 7];
        for (c, &i) in counts.iter_mut().zip(&vars) {
            match number(i, problems) {
                Some(v) => *c = v,
                None => return Flow::Continue,
            }
        }
        let slot = match self.index.get(&unit) {
            Some(&i) => i,
            None => {
                self.index.insert(unit.clone(), self.units.len());
                self.units.push(CniCounts {
                    unit,
                    population: 0.0,
                    counts: [0.0; 7],
                });
                self.units.len() - 1
            }
        };
        if let Some(x) = self.units.get_mut(slot) {
            x.population += population;
            for (a, b) in x.counts.iter_mut().zip(counts) {
                *a += b;
            }
        }
        Flow::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_from_a_file() {
        use crate::ingest::{DialectOverrides, TextReader};
        let csv = "deso;bef;a;b;c;d;e;f;g\n2480C1010;1000;100;100;100;100;100;100;100\n2480C1020;500;x;0;0;0;0;0;0\n2480C1010;1000;0;0;0;0;0;0;0\n";
        let mut plan = CniPlan::new(CniColumns {
            unit: "deso".into(),
            population: "bef".into(),
            variables: ["a", "b", "c", "d", "e", "f", "g"].map(String::from),
        });
        let mut reader = TextReader::new("cni.csv", DialectOverrides::default());
        reader.push(csv.as_bytes(), &mut plan).unwrap();
        let (_, problems, _) = reader.finish(&mut plan).unwrap();
        assert_eq!(
            problems.kept[0].to_string(),
            "cni.csv, row 3, column 'a': 'x' is not a count of zero or more; the row is skipped"
        );
        assert_eq!(plan.units.len(), 1);
        assert_eq!(plan.units[0].population, 2000.0);
        let r = care_need_index(
            &plan.units,
            &CniWeights::default(),
            CniReference::National(1.629),
        );
        // 100 × 32.58 / 2000 / 1.629 = 1.
        assert!((r[0].cni.unwrap() - 1.0).abs() < 1e-12);
    }

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
