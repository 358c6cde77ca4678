//! Table, chart and roll-up cells: picking the rows of the indicator results a cell asks for
//! (level, unit, period), ordering them and handing them to the table writer or a chart.
//! Every step is linear in the rows (maps, not searches), so a cell over 50 000 health centres
//! is as quick as its rows.

use std::collections::{HashMap, HashSet};

use super::fields::{Column, Field, PeriodFilter, Sort};
use super::format::{ChartCell, ChartKind, RollupCell, RowFilter, TableCell};
use super::output::{CellOutput, RollupLine, TableOutput, TableRow};
use super::prepare::{county_of, Prepared};
use crate::charts::{
    bar_chart, framework_matrix, funnel_chart, light_matrix, trend_chart, Bar, FunnelLimit,
    FunnelPoint, MatrixCell, Series, SeriesPoint, SeriesRole,
};
use crate::error::Message;
use crate::export::{masked_reason_words, unit_row_fields, CsvWriter, UNIT_ROW_COLUMNS};
use crate::indicators::definition::{Dimension, Indicator, MeasureType, Shift};
use crate::indicators::light_legend;
use crate::indicators::{Level, LevelTable, Results, UnitRow};
use crate::number_format::{
    self, column_decimals, format_fixed, format_maybe, format_trimmed, Language,
};
use crate::stats::funnel::proportion_limits;

/// Number of denominators the funnel limits are drawn at.
const FUNNEL_STEPS: usize = 60;

fn indicator<'a>(p: &'a Prepared, id: &str) -> Result<&'a Indicator, Message> {
    p.spec
        .indicators
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| {
            Message::both(
                format!("the notebook has no indicator '{id}'"),
                format!("anteckningsboken har ingen indikator '{id}'"),
            )
        })
}

fn level_table<'a>(r: &'a Results, id: &str, level: &Level) -> Result<&'a LevelTable, Message> {
    r.tables
        .iter()
        .find(|t| t.indicator == id && t.level == *level)
        .ok_or_else(|| {
            Message::both(
                format!("no results for '{id}' at the level {}", level.file_name()),
                format!("inga resultat för '{id}' på nivån {}", level.file_name()),
            )
        })
}

/// The level of a cell (checked when the notebook was opened and after substitution).
fn level_of(f: &Field<Level>) -> Result<&Level, Message> {
    f.value().ok_or_else(|| {
        if f.is_empty() {
            Message::both("the cell names no level", "cellen anger ingen nivå")
        } else {
            Message::both(
                format!("level '{}' was not substituted", f.text()),
                format!("nivån '{}' fick inget värde av parametrarna", f.text()),
            )
        }
    })
}

/// The rows passing the filter; `latest` keeps the last period with data.
fn rows<'a>(t: &'a LevelTable, f: &RowFilter) -> Vec<&'a UnitRow> {
    let mut rows: Vec<&UnitRow> = t.rows.iter().filter(|r| unit_matches(&r.keys, f)).collect();
    match f.period.value() {
        None => {}
        Some(PeriodFilter::Latest) => {
            let last = t
                .rows
                .iter()
                .filter(|r| r.value.is_some())
                .map(|r| r.period_code)
                .max();
            rows.retain(|r| Some(r.period_code) == last);
        }
        Some(p) => rows.retain(|r| p.keeps(r.period.as_deref())),
    }
    rows
}

fn is_highlight(keys: &[String], h: &str) -> bool {
    !h.is_empty() && keys.iter().any(|k| k == h)
}

/// A table cell.
pub fn table(c: &TableCell, p: &Prepared, r: &Results) -> Result<TableOutput, Message> {
    let lang = p.language;
    let ind = indicator(p, &c.indicator)?;
    let level = level_of(&c.level)?;
    let t = level_table(r, &c.indicator, level)?;
    let mut rows = rows(t, &c.filter);
    match c.sort.value() {
        Some(Sort::Value) => rows.sort_by(|a, b| cmp_value(a, b)),
        Some(Sort::ValueDesc) => rows.sort_by(|a, b| cmp_value(b, a)),
        Some(Sort::Unit) | None => {}
    }
    let cols: Vec<Column> = if c.columns.is_empty() {
        Column::DEFAULT.to_vec()
    } else {
        c.columns
            .iter()
            .map(|f| {
                f.value().copied().ok_or_else(|| {
                    Message::both(
                        format!("column '{}' was not substituted", f.text()),
                        format!("kolumnen '{}' fick inget värde av parametrarna", f.text()),
                    )
                })
            })
            .collect::<Result<_, _>>()?
    };
    let unit_head = level
        .dims
        .iter()
        .map(|d| dim_word(d.name(), lang))
        .collect::<Vec<_>>()
        .join(" · ");
    let mut header = Vec::new();
    for col in &cols {
        header.push(match *col {
            Column::Unit => unit_head.clone(),
            Column::Period => "Period".into(),
            Column::Numerator => lang.pick("Täljare", "Numerator").into(),
            Column::Denominator => lang.pick("Nämnare", "Denominator").into(),
            Column::Value => format!(
                "{} ({})",
                lang.pick("Värde", "Value"),
                number_format::unit_text(&ind.unit)
            ),
            Column::Interval => lang.pick("95 % KI", "95 % CI").into(),
            Column::Light => lang.pick("Ljus", "Light").into(),
            Column::Reason => lang.pick("Skäl", "Reason").into(),
            Column::Change => lang.pick("Förändring", "Change").into(),
        });
    }
    let mut csv = CsvWriter::new();
    csv.header(
        &level
            .columns()
            .into_iter()
            .chain(UNIT_ROW_COLUMNS)
            .collect::<Vec<_>>(),
    );
    let mut out_rows = Vec::new();
    let masked = format!("<{}", format_trimmed(p.disclosure_threshold, 2, lang));
    // One precision per column (`number_format`): the value and its interval share one.
    let value_decimals = column_decimals(
        rows.iter()
            .flat_map(|r| [r.value, r.lower, r.upper])
            .flatten(),
    );
    let change_decimals = column_decimals(rows.iter().filter_map(|r| r.change));
    let numerator_decimals = column_decimals(rows.iter().map(|r| r.numerator));
    let denominator_decimals = column_decimals(rows.iter().map(|r| r.denominator));
    let count = |v: f64, decimals: usize| {
        if v.is_finite() {
            format_fixed(v, decimals, lang)
        } else {
            masked.clone()
        }
    };
    let hidden_reason = masked_reason_words(p.disclosure_threshold);
    for row in &rows {
        // Primary and secondary suppression say the same, or the reason would tell which
        // hidden count is the small one.
        let reason = if row.suppressed {
            hidden_reason.text(lang)
        } else {
            row.reason.text(lang)
        };
        // A period the data cover in part says so before anything else (issue 10).
        let reason = match row.partial.as_ref().map(|p| p.text(lang)) {
            Some(p) if reason.is_empty() => p.to_owned(),
            Some(p) => format!("{p}. {reason}"),
            None => reason.to_owned(),
        };
        let mut fields = Vec::new();
        for col in &cols {
            fields.push(match *col {
                Column::Unit => (unit_label(&row.keys), None),
                Column::Period => (row.period.clone().unwrap_or_default(), None),
                Column::Numerator => (count(row.numerator, numerator_decimals), None),
                Column::Denominator => (count(row.denominator, denominator_decimals), None),
                Column::Value => (format_maybe(row.value, value_decimals, lang), None),
                Column::Interval => (
                    match (row.lower, row.upper) {
                        (Some(l), Some(u)) => format!(
                            "{}–{}",
                            format_fixed(l, value_decimals, lang),
                            format_fixed(u, value_decimals, lang)
                        ),
                        _ => "–".into(),
                    },
                    None,
                ),
                Column::Light => (row.light.word(lang).to_owned(), Some(row.light)),
                Column::Reason => (reason.clone(), None),
                Column::Change => (format_maybe(row.change, change_decimals, lang), None),
            });
        }
        out_rows.push(TableRow {
            fields,
            highlight: is_highlight(&row.keys, &c.highlight),
        });
        csv.record(unit_row_fields(row, &reason));
    }
    Ok(TableOutput {
        title: if c.title.is_empty() {
            ind.name.clone()
        } else {
            c.title.clone()
        },
        indicator: c.indicator.clone(),
        file_name: format!("{}.csv", c.id),
        header,
        rows: out_rows,
        csv: csv.finish(),
        legend: light_legend(&ind.light, ind.polarity, lang),
    })
}

fn cmp_value(a: &UnitRow, b: &UnitRow) -> std::cmp::Ordering {
    a.value
        .unwrap_or(f64::NEG_INFINITY)
        .total_cmp(&b.value.unwrap_or(f64::NEG_INFINITY))
}

/// A level's dimension as a column heading in `lang`.
fn dim_word(d: &str, lang: Language) -> String {
    let (sv, en) = match d {
        "lan" => ("Län", "County"),
        "subregion" => ("Delregion", "Sub-region"),
        "kommun" => ("Kommun", "Kommun"),
        "deso" => ("DeSO", "DeSO"),
        "provider" => ("Vårdcentral", "Health centre"),
        "team" => ("Team", "Team"),
        "sex" => ("Kön", "Sex"),
        "age_group" => ("Åldersgrupp", "Age group"),
        other => (other, other),
    };
    lang.pick(sv, en).to_owned()
}

/// What the county's own line and bar are called.
fn county_word(lang: Language) -> &'static str {
    lang.pick("Länet", "County")
}

/// A chart cell.
pub fn chart(c: &ChartCell, p: &Prepared, r: &Results) -> Result<CellOutput, Message> {
    let lang = p.language;
    let first = || {
        c.indicators.first().ok_or_else(|| {
            Message::both(
                "the chart names no indicator",
                "diagrammet anger ingen indikator",
            )
        })
    };
    let svg = match c.chart {
        ChartKind::Framework => {
            let cells = framework_cells(&p.spec.indicators);
            let gaps = cells
                .iter()
                .filter(|(_, _, names)| names.is_empty())
                .map(|(s, d, _)| format!("{} – {}", s.word(lang), d.word(lang).to_lowercase()))
                .collect();
            let title = title_or(
                c,
                lang.pick("Förflyttningar × dimensioner", "Shifts × dimensions"),
            );
            return Ok(CellOutput::Chart {
                svg: framework_matrix(&title, &cells, lang),
                title,
                gaps,
                legend: Vec::new(),
            });
        }
        ChartKind::LightMatrix => {
            let level = level_of(&c.level)?;
            let ids: Vec<&Indicator> = if c.indicators.is_empty() {
                p.spec.indicators.iter().collect()
            } else {
                c.indicators
                    .iter()
                    .map(|i| indicator(p, i))
                    .collect::<Result<_, _>>()?
            };
            // One pass over each indicator's rows: the units in a set, each unit's first row
            // in a map, so 50 000 units take as long as their rows (not units × rows).
            let mut seen: HashSet<&[String]> = HashSet::new();
            let mut units: Vec<&[String]> = Vec::new();
            let mut per_ind: Vec<HashMap<&[String], &UnitRow>> = Vec::new();
            for ind in &ids {
                let t = level_table(r, &ind.id, level)?;
                let mut first: HashMap<&[String], &UnitRow> = HashMap::new();
                for row in rows(t, &c.filter) {
                    let keys = row.keys.as_slice();
                    if seen.insert(keys) {
                        units.push(keys);
                    }
                    first.entry(keys).or_insert(row);
                }
                per_ind.push(first);
            }
            units.sort();
            // Each indicator's column has one precision.
            let decimals: Vec<usize> = per_ind
                .iter()
                .map(|rows| column_decimals(rows.values().filter_map(|r| r.value)))
                .collect();
            let cells: Vec<Vec<Option<MatrixCell>>> = units
                .iter()
                .map(|u| {
                    per_ind
                        .iter()
                        .zip(&decimals)
                        .map(|(rows, &d)| {
                            rows.get(u).map(|r| MatrixCell {
                                light: r.light,
                                text: format_maybe(r.value, d, lang),
                            })
                        })
                        .collect()
                })
                .collect();
            light_matrix(
                &title_or(
                    c,
                    lang.pick(
                        "Trafikljus per enhet och indikator",
                        "Traffic lights by unit and indicator",
                    ),
                ),
                &units.iter().map(|u| unit_label(u)).collect::<Vec<_>>(),
                &ids.iter().map(|i| i.name.clone()).collect::<Vec<_>>(),
                &cells,
                lang,
            )
        }
        ChartKind::Bar => {
            let ind = indicator(p, first()?)?;
            let level = level_of(&c.level)?;
            let t = level_table(r, &ind.id, level)?;
            let mut f = c.filter.clone();
            if f.period.is_empty() {
                f.period = Field::of(PeriodFilter::Latest);
            }
            let rows = rows(t, &f);
            let bars: Vec<Bar> = rows
                .iter()
                .map(|row| Bar {
                    label: unit_label(&row.keys),
                    value: row.value,
                    lower: row.lower,
                    upper: row.upper,
                    light: Some(row.light),
                })
                .collect();
            let period = rows.first().and_then(|r| r.period.clone());
            let county = level_table(r, &ind.id, &county_of(level))
                .ok()
                .and_then(|t| t.rows.iter().find(|x| x.period == period))
                .and_then(|x| x.value);
            let title = format!(
                "{}{}",
                title_or(c, &ind.name),
                period.map(|p| format!(", {p}")).unwrap_or_default()
            );
            bar_chart(
                &title,
                &number_format::unit_text(&ind.unit),
                &bars,
                county.map(|v| (county_word(lang), v)),
                lang,
            )
        }
        ChartKind::Trend => {
            let ind = indicator(p, first()?)?;
            let level = level_of(&c.level)?;
            let t = level_table(r, &ind.id, level)?;
            // A trend is over periods: a range or one period narrows it; `latest`, which would
            // leave one point, keeps them all.
            let mut f = c.filter.clone();
            if matches!(f.period.value(), Some(PeriodFilter::Latest)) {
                f.period = Field::default();
            }
            let period = f.period.clone();
            let rows = rows(t, &f);
            let mut series: Vec<Series> = Vec::new();
            // Each label's place in `series`, so that every row is placed in one look-up.
            let mut index: HashMap<String, usize> = HashMap::new();
            for row in rows {
                let label = unit_label(&row.keys);
                let point = SeriesPoint {
                    period: row.period.clone().unwrap_or_default(),
                    value: row.value,
                    lower: row.lower,
                    upper: row.upper,
                };
                match index.get(&label).and_then(|&i| series.get_mut(i)) {
                    Some(s) => s.points.push(point),
                    None => {
                        index.insert(label.clone(), series.len());
                        series.push(Series {
                            label,
                            points: vec![point],
                            role: if is_highlight(&row.keys, &c.highlight) {
                                SeriesRole::Highlight
                            } else {
                                SeriesRole::Context
                            },
                        });
                    }
                }
            }
            if let Ok(ct) = level_table(r, &ind.id, &county_of(level)) {
                series.push(Series {
                    label: county_word(lang).into(),
                    points: ct
                        .rows
                        .iter()
                        .filter(|row| {
                            period
                                .value()
                                .is_none_or(|p| p.keeps(row.period.as_deref()))
                        })
                        .map(|row| SeriesPoint {
                            period: row.period.clone().unwrap_or_default(),
                            value: row.value,
                            lower: row.lower,
                            upper: row.upper,
                        })
                        .collect(),
                    role: SeriesRole::Benchmark,
                });
            }
            trend_chart(
                &title_or(c, &ind.name),
                &number_format::unit_text(&ind.unit),
                &series,
                lang,
            )
        }
        ChartKind::Funnel => {
            let ind = indicator(p, first()?)?;
            if ind.measure != MeasureType::Share {
                return Err(Message::both(
                    format!(
                        "a funnel plot is drawn for shares; '{}' is a {:?}",
                        ind.id, ind.measure
                    ),
                    format!(
                        "ett trattdiagram ritas för andelar; '{}' är en {:?}",
                        ind.id, ind.measure
                    ),
                ));
            }
            let level = level_of(&c.level)?;
            let t = level_table(r, &ind.id, level)?;
            let mut f = c.filter.clone();
            if f.period.is_empty() {
                f.period = Field::of(PeriodFilter::Latest);
            }
            let rows: Vec<&UnitRow> = rows(t, &f)
                .into_iter()
                .filter(|r| r.denominator > 0.0 && r.value.is_some())
                .collect();
            let (x, n) = rows
                .iter()
                .fold((0.0, 0.0), |(x, n), r| (x + r.numerator, n + r.denominator));
            if n <= 0.0 {
                return Err(Message::both(
                    "no unit has a denominator for the funnel plot",
                    "ingen enhet har en nämnare för trattdiagrammet",
                ));
            }
            let p0 = x / n;
            let mult = ind.multiplier();
            let max_n = rows.iter().map(|r| r.denominator).fold(1.0, f64::max);
            let min_n = rows
                .iter()
                .map(|r| r.denominator)
                .fold(max_n, f64::min)
                .max(1.0);
            let limits: Vec<FunnelLimit> = (0..=FUNNEL_STEPS)
                .map(|i| {
                    // Geometric steps: the limits bend most at small denominators.
                    let d = min_n * (max_n / min_n).powf(i as f64 / FUNNEL_STEPS as f64);
                    let l = proportion_limits(p0, d).phe_clipped(mult);
                    FunnelLimit {
                        denominator: d,
                        lower_95: l.lower_95,
                        upper_95: l.upper_95,
                        lower_998: l.lower_998,
                        upper_998: l.upper_998,
                    }
                })
                .collect();
            let points: Vec<FunnelPoint> = rows
                .iter()
                .map(|row| FunnelPoint {
                    label: unit_label(&row.keys),
                    denominator: row.denominator,
                    value: row.value.unwrap_or_default(),
                    light: Some(row.light),
                    highlight: is_highlight(&row.keys, &c.highlight),
                })
                .collect();
            let period = rows.first().and_then(|r| r.period.clone());
            let title = format!(
                "{}{}",
                title_or(c, &ind.name),
                period.map(|p| format!(", {p}")).unwrap_or_default()
            );
            funnel_chart(
                &title,
                &number_format::unit_text(&ind.unit),
                &points,
                &limits,
                p0 * mult,
                lang,
            )
        }
    };
    // The lights of a bar chart or funnel plot are its indicator's: say what they mean.
    let legend = match c.chart {
        ChartKind::Bar | ChartKind::Funnel => first()
            .ok()
            .and_then(|i| indicator(p, i).ok())
            .map(|ind| light_legend(&ind.light, ind.polarity, lang))
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Ok(CellOutput::Chart {
        title: title_or(c, ""),
        svg,
        gaps: Vec::new(),
        legend,
    })
}

fn title_or(c: &ChartCell, default: &str) -> String {
    if c.title.is_empty() {
        default.to_owned()
    } else {
        c.title.clone()
    }
}

/// Every shift × dimension with the names of the indicators in it; an empty list is a gap.
pub fn framework_cells(indicators: &[Indicator]) -> Vec<(Shift, Dimension, Vec<String>)> {
    let mut out = Vec::new();
    for s in Shift::ALL {
        for d in Dimension::ALL {
            let names = indicators
                .iter()
                .filter(|i| i.shift == Some(s) && i.dimension == Some(d))
                .map(|i| i.name.clone())
                .collect();
            out.push((s, d, names));
        }
    }
    out
}

/// A roll-up cell.
pub fn rollup(c: &RollupCell, p: &Prepared, r: &Results) -> Result<CellOutput, Message> {
    let lang = p.language;
    let level = level_of(&c.level)?.file_name();
    let mut lines = Vec::new();
    let last = r
        .rollup
        .iter()
        .filter(|x| x.level == level)
        .filter_map(|x| x.period.clone())
        .max();
    for x in &r.rollup {
        if x.level != level || (!c.indicators.is_empty() && !c.indicators.contains(&x.indicator)) {
            continue;
        }
        match c.filter.period.value() {
            None => {}
            Some(PeriodFilter::Latest) if x.period != last => continue,
            Some(PeriodFilter::Latest) => {}
            Some(p) if !p.keeps(x.period.as_deref()) => continue,
            _ => {}
        }
        if !c.filter.unit.is_empty()
            && x.scope_unit != c.filter.unit
            && matches!(x.scope, crate::rollup::Scope::Kommun)
        {
            continue;
        }
        lines.push(RollupLine {
            indicator: indicator(p, &x.indicator)
                .map(|i| i.name.clone())
                .unwrap_or_else(|_| x.indicator.clone()),
            red_units: x
                .red_units
                .iter()
                .map(|u| unit_label(std::slice::from_ref(u)))
                .collect(),
            scope_unit: if x.scope_unit.is_empty() || x.scope_unit == "län" {
                county_word(lang).into()
            } else {
                unit_label(std::slice::from_ref(&x.scope_unit))
            },
            period: x.period.clone().unwrap_or_default(),
            counts: [x.green, x.yellow, x.red, x.not_classified],
            verdict: x.verdict.word(lang).to_owned(),
            verdict_light: x.verdict.light(),
            question: x.verdict.question_in(x.scope, lang).to_owned(),
            text: x.text_in(lang),
        });
    }
    Ok(CellOutput::Rollup {
        title: if c.title.is_empty() {
            lang.pick("Länets avläsning", "The county read-out").into()
        } else {
            c.title.clone()
        },
        lines,
    })
}

/// Whether a row passes a filter (period handled by the caller).
fn unit_matches(keys: &[String], f: &RowFilter) -> bool {
    (f.unit.is_empty() || keys.contains(&f.unit))
        && (f.unit_prefix.is_empty() || keys.iter().any(|k| k.starts_with(&f.unit_prefix)))
}

/// A unit as shown: its keys, with kommun names after kommun codes.
fn unit_label(keys: &[String]) -> String {
    keys.iter()
        .map(|k| match crate::areas::kommun_name(k) {
            Some(n) if k.len() == 4 => format!("{k} {n}"),
            _ => k.clone(),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
