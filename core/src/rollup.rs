//! The county read-out: per indicator the share of units in each colour and what that asks of
//! the county (or the kommun), and per unit its indicators by colour.
//!
//! Method source: seed 000 (Västerbotten, "Analys på länsnivå"): predominantly red → is there a
//! system problem at county level?; predominantly green → raise the ambition; predominantly
//! yellow → county-wide efforts; units with red results should still look at theirs. The
//! threshold is not in the source; methods.md §5.3 operationalises it: over the coloured units,
//! "övervägande X" when X's share is above the majority (default one half), else mixed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::classify::Light;
use crate::indicators::definition::IndicatorSpec;
use crate::indicators::levels::Dim;
use crate::indicators::table::LevelTable;
use crate::number_format::Language;

/// What the shares say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    MostlyRed,
    MostlyYellow,
    MostlyGreen,
    Mixed,
    /// No unit has a colour.
    NoLights,
}

/// Where the read-out is made: the county over all units, or a kommun over its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    County,
    Kommun,
}

impl Verdict {
    /// "övervägande röd", …
    pub fn swedish(self) -> &'static str {
        match self {
            Verdict::MostlyRed => "övervägande röd",
            Verdict::MostlyYellow => "övervägande gul",
            Verdict::MostlyGreen => "övervägande grön",
            Verdict::Mixed => "blandat",
            Verdict::NoLights => "ingen bedömning",
        }
    }

    /// "predominantly red", …
    pub fn english(self) -> &'static str {
        match self {
            Verdict::MostlyRed => "predominantly red",
            Verdict::MostlyYellow => "predominantly yellow",
            Verdict::MostlyGreen => "predominantly green",
            Verdict::Mixed => "mixed",
            Verdict::NoLights => "no assessment",
        }
    }

    /// The colour that predominates, if one does.
    pub fn light(self) -> Option<Light> {
        match self {
            Verdict::MostlyRed => Some(Light::Red),
            Verdict::MostlyYellow => Some(Light::Yellow),
            Verdict::MostlyGreen => Some(Light::Green),
            Verdict::Mixed | Verdict::NoLights => None,
        }
    }

    /// The verdict in `lang`.
    pub fn word(self, lang: Language) -> &'static str {
        lang.pick(self.swedish(), self.english())
    }

    /// The question or action for the scope in `lang`.
    pub fn question_in(self, scope: Scope, lang: Language) -> &'static str {
        match lang {
            Language::Swedish => self.question(scope),
            Language::English => self.question_english(scope),
        }
    }

    /// [`Verdict::question`] in English.
    pub fn question_english(self, scope: Scope) -> &'static str {
        match (self, scope) {
            (Verdict::MostlyRed, Scope::County) => "Is there a system problem at county level?",
            (Verdict::MostlyRed, Scope::Kommun) => "Is there a system problem at kommun level?",
            (Verdict::MostlyGreen, Scope::County) => "Raise the level of ambition.",
            (Verdict::MostlyGreen, Scope::Kommun) => "Focus on the red and yellow ones.",
            (Verdict::MostlyYellow, Scope::County) => "County-wide efforts.",
            (Verdict::MostlyYellow, Scope::Kommun) => {
                "Kommun-wide efforts unless it is so for the whole county; look for good examples in the county."
            }
            (Verdict::Mixed, _) => "No pattern across the units; see the units' results.",
            (Verdict::NoLights, _) => "No unit could be classified.",
        }
    }

    /// The question or action of seed 000 for the scope.
    pub fn question(self, scope: Scope) -> &'static str {
        match (self, scope) {
            (Verdict::MostlyRed, Scope::County) => "Finns systemproblem på länsnivå?",
            (Verdict::MostlyRed, Scope::Kommun) => "Finns systemproblem på kommunnivå?",
            (Verdict::MostlyGreen, Scope::County) => "Höja ambitionsnivån.",
            (Verdict::MostlyGreen, Scope::Kommun) => "Fokusera på röda och gula.",
            (Verdict::MostlyYellow, Scope::County) => "Länsövergripande insatser.",
            (Verdict::MostlyYellow, Scope::Kommun) => {
                "Kommunövergripande insatser om det inte är så för hela länet; titta efter goda exempel i länet."
            }
            (Verdict::Mixed, _) => "Inget mönster över enheterna; se enheternas resultat.",
            (Verdict::NoLights, _) => "Inga enheter kunde klassas.",
        }
    }
}

/// The verdict from counts of green, yellow and red: a colour's share of the coloured units
/// above `majority` makes it predominant.
pub fn verdict(green: usize, yellow: usize, red: usize, majority: f64) -> Verdict {
    let n = green + yellow + red;
    if n == 0 {
        return Verdict::NoLights;
    }
    let share = |k: usize| k as f64 / n as f64;
    if share(red) > majority {
        Verdict::MostlyRed
    } else if share(green) > majority {
        Verdict::MostlyGreen
    } else if share(yellow) > majority {
        Verdict::MostlyYellow
    } else {
        Verdict::Mixed
    }
}

/// One indicator × level × scope × period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupRow {
    pub indicator: String,
    pub level: String,
    pub scope: Scope,
    /// The kommun for a kommun read-out; the other dimensions (sex, age group) when in the level.
    pub scope_unit: String,
    pub period: Option<String>,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    pub not_classified: usize,
    pub verdict: Verdict,
    /// The question or action, plus the red units to look at.
    pub text: String,
    /// Units with red results (listed whatever the verdict).
    pub red_units: Vec<String>,
}

impl RollupRow {
    /// The verdict, its question, the red units to look at and the units without a colour,
    /// in words: what [`RollupRow::text`] says in Swedish, in `lang`.
    pub fn text_in(&self, lang: Language) -> String {
        let v = self.verdict;
        let mut text = format!(
            "{}: {}",
            capitalise(v.word(lang)),
            v.question_in(self.scope, lang)
        );
        if !self.red_units.is_empty() && v != Verdict::MostlyRed {
            text.push_str(&format!(
                " {}: {}.",
                lang.pick(
                    "Enheter med röda resultat bör uppmärksamma sina resultat",
                    "Units with red results should look at their results"
                ),
                self.red_units.join(", ")
            ));
        }
        let n = self.not_classified;
        if n > 0 {
            text.push_str(&match lang {
                Language::Swedish => {
                    format!(" {n} enheter kunde inte klassas (för få fall eller inget värde).")
                }
                Language::English => {
                    format!(" {n} units could not be classified (too few cases or no value).")
                }
            });
        }
        text
    }

    /// Shares of green, yellow, red among the coloured units.
    pub fn shares(&self) -> Option<(f64, f64, f64)> {
        let n = (self.green + self.yellow + self.red) as f64;
        (n > 0.0).then(|| {
            (
                self.green as f64 / n,
                self.yellow as f64 / n,
                self.red as f64 / n,
            )
        })
    }
}

/// The read-outs of all tables with units.
pub fn rollup(spec: &IndicatorSpec, tables: &[LevelTable]) -> Vec<RollupRow> {
    let majority = spec.rollup.majority;
    let mut out = Vec::new();
    for t in tables {
        let dims = &t.level.dims;
        // The county alone is one unit: nothing to read out over.
        if !dims.iter().any(|d| d.is_unit() && *d != Dim::Lan) {
            continue;
        }
        let kommun_pos = dims.iter().position(|d| *d == Dim::Kommun);
        let deso_pos = dims.iter().position(|d| *d == Dim::Deso);
        let finer_than_kommun = dims.iter().any(|d| {
            matches!(d, Dim::Deso | Dim::Team) || (*d == Dim::Provider && kommun_pos.is_some())
        });
        // (scope, scope unit, period label) → rows
        let mut groups: BTreeMap<(u8, String, Option<String>, String), Vec<usize>> =
            BTreeMap::new();
        for (i, r) in t.rows.iter().enumerate() {
            let other: Vec<&str> = dims
                .iter()
                .zip(&r.keys)
                .filter(|(d, _)| !d.is_unit())
                .map(|(_, k)| k.as_str())
                .collect();
            let other = other.join(" ");
            let sort = r.period_code.year as u32 * 100 + r.period_code.sub as u32;
            let period = (r.period.clone(), format!("{sort:08}"));
            groups
                .entry((0, other.clone(), period.0.clone(), period.1.clone()))
                .or_default()
                .push(i);
            if finer_than_kommun {
                let kommun = kommun_pos
                    .and_then(|p| r.keys.get(p).cloned())
                    .or_else(|| deso_pos.and_then(|p| r.keys.get(p)?.get(..4).map(str::to_owned)));
                if let Some(k) = kommun {
                    let unit = if other.is_empty() {
                        k
                    } else {
                        format!("{k} {other}")
                    };
                    groups
                        .entry((1, unit, period.0, period.1))
                        .or_default()
                        .push(i);
                }
            }
        }
        for ((scope, unit, period, _), members) in groups {
            let scope = if scope == 0 {
                Scope::County
            } else {
                Scope::Kommun
            };
            let (mut g, mut y, mut r, mut n) = (0, 0, 0, 0);
            let mut red_units = Vec::new();
            for &i in &members {
                let Some(row) = t.rows.get(i) else { continue };
                match row.light {
                    Light::Green => g += 1,
                    Light::Yellow => y += 1,
                    Light::Red => {
                        r += 1;
                        let name: Vec<&str> = dims
                            .iter()
                            .zip(&row.keys)
                            .filter(|(d, _)| d.is_unit())
                            .map(|(_, k)| k.as_str())
                            .collect();
                        red_units.push(name.join(" "));
                    }
                    Light::Grey => n += 1,
                }
            }
            let v = verdict(g, y, r, majority);
            out.push(RollupRow {
                indicator: t.indicator.clone(),
                level: t.level.file_name(),
                scope,
                scope_unit: if scope == Scope::County && unit.is_empty() {
                    "län".to_owned()
                } else {
                    unit
                },
                period,
                green: g,
                yellow: y,
                red: r,
                not_classified: n,
                verdict: v,
                text: String::new(),
                red_units,
            });
            if let Some(row) = out.last_mut() {
                row.text = row.text_in(Language::Swedish);
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// One unit's indicators by colour, at one level and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitSummary {
    pub level: String,
    pub unit: String,
    pub period: Option<String>,
    pub green: Vec<String>,
    pub yellow: Vec<String>,
    pub red: Vec<String>,
    pub not_classified: Vec<String>,
}

/// Per unit and period, the indicators in each colour.
pub fn unit_summaries(tables: &[LevelTable]) -> Vec<UnitSummary> {
    let mut map: BTreeMap<(String, Vec<String>, u32, Option<String>), UnitSummary> =
        BTreeMap::new();
    for t in tables {
        if !t.level.dims.iter().any(|d| d.is_unit()) {
            continue;
        }
        let level = t.level.file_name();
        for r in &t.rows {
            let sort = r.period_code.year as u32 * 100 + r.period_code.sub as u32;
            let e = map
                .entry((level.clone(), r.keys.clone(), sort, r.period.clone()))
                .or_insert_with(|| UnitSummary {
                    level: level.clone(),
                    unit: r.keys.join(" "),
                    period: r.period.clone(),
                    green: Vec::new(),
                    yellow: Vec::new(),
                    red: Vec::new(),
                    not_classified: Vec::new(),
                });
            let list = match r.light {
                Light::Green => &mut e.green,
                Light::Yellow => &mut e.yellow,
                Light::Red => &mut e.red,
                Light::Grey => &mut e.not_classified,
            };
            list.push(t.indicator.clone());
        }
    }
    map.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_half_is_predominant() {
        assert_eq!(verdict(1, 1, 3, 0.5), Verdict::MostlyRed);
        assert_eq!(verdict(2, 0, 2, 0.5), Verdict::Mixed);
        assert_eq!(verdict(3, 1, 0, 0.5), Verdict::MostlyGreen);
        assert_eq!(verdict(0, 0, 0, 0.5), Verdict::NoLights);
        assert_eq!(verdict(2, 1, 1, 0.6), Verdict::Mixed);
    }
}
