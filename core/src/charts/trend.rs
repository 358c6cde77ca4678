//! Trend lines: one line per unit over periods, highlighted units on top, thicker and in the
//! accent colour with their interval as a band; the benchmark (the county) in a colour and dash
//! of its own; the other units thin, each in its own colour — or, when there are more than
//! [`MAX_CONTEXT_LINES`] of them, as one grey band of their range per period instead of dozens of
//! lines nobody can tell apart (the description still gives every value).
//!
//! The x axis is the union of the series' periods in order of first appearance (periods are
//! labels such as "2024" or "2024-03": the caller orders them). A missing or non-finite value
//! breaks the line rather than bridging the gap.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::indicators::finish::UnitRow;

use super::axis::{extent, nice_ticks, y_axis, Scale};
use super::svg::{
    chars_fitting, escape, finite, frame, label, num, text_width, truncate, units,
    value_with_interval, PALETTE,
};
use crate::number_format::Language;

/// A unit's value in one period, with its interval.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    pub period: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// One unit's line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<SeriesPoint>,
    pub role: SeriesRole,
}

/// What a line is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesRole {
    /// One of the other units: thin, in its own colour, or within the range band.
    Context,
    /// The user's own unit: on top, thicker, in the accent colour, with its interval band.
    Highlight,
    /// What the units are compared with (the county): dark and dashed, always drawn.
    Benchmark,
}

/// Context lines drawn one by one; more are drawn as the band of their range.
pub const MAX_CONTEXT_LINES: usize = PALETTE.context.len();

impl SeriesPoint {
    /// A unit's row of an indicator table as a point of its line (an empty period when the
    /// table has none).
    pub fn from_row(row: &UnitRow) -> SeriesPoint {
        SeriesPoint {
            period: row.period.clone().unwrap_or_default(),
            value: row.value,
            lower: row.lower,
            upper: row.upper,
        }
    }
}

const WIDTH: f64 = 720.0;
const PLOT_X0: f64 = 72.0;
const PLOT_X1: f64 = 696.0;
const PLOT_Y0: f64 = 60.0;
const PLOT_Y1: f64 = 300.0;
const LEGEND_ITEM: f64 = 208.0;
const LEGEND_ROW: f64 = 20.0;
/// Dash patterns telling highlighted series apart (the first is solid).
const DASHES: [&str; 4] = ["", "8 4", "2 3", "10 3 2 3"];

/// Trend lines per unit over periods (x = the union of periods in order of first appearance),
/// highlighted series drawn on top and thicker, with an interval band for highlighted series; a
/// legend; every word and number in `lang`.
pub fn trend_chart(title: &str, unit: &str, series: &[Series], lang: Language) -> String {
    let mut periods: Vec<&str> = Vec::new();
    for p in series.iter().flat_map(|s| &s.points) {
        if !periods.contains(&p.period.as_str()) {
            periods.push(&p.period);
        }
    }
    let slot = |period: &str| periods.iter().position(|p| *p == period);

    let mut desc = format!(
        "{}, {} {} {}",
        lang.pick("Linjediagram", "Line chart"),
        units(series.len(), lang),
        lang.pick("över", "over"),
        super::svg::periods(periods.len(), lang)
    );
    if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
        let _ = write!(desc, " ({first}–{last})");
    }
    if !unit.is_empty() {
        let _ = write!(desc, ", {unit}");
    }
    desc.push('.');
    for s in series {
        let values: Vec<String> = s
            .points
            .iter()
            .map(|p| match finite(p.value) {
                Some(v) => {
                    let interval = value_with_interval(v, p.lower, p.upper, lang);
                    format!("{} {interval}", p.period)
                }
                None => format!("{} {}", p.period, lang.pick("saknas", "missing")),
            })
            .collect();
        let _ = write!(
            desc,
            " {}{}: {}.",
            s.label,
            match s.role {
                SeriesRole::Highlight => lang.pick(" (markerad)", " (highlighted)"),
                SeriesRole::Benchmark => lang.pick(" (jämförelse)", " (benchmark)"),
                SeriesRole::Context => "",
            },
            values.join(", ")
        );
    }

    let data = series.iter().flat_map(|s| {
        s.points.iter().flat_map(move |p| {
            let band = if s.role == SeriesRole::Highlight {
                [p.lower, p.upper]
            } else {
                [None, None]
            };
            [p.value, band[0], band[1]]
        })
    });
    let data: Vec<f64> = data.filter_map(finite).collect();
    let mut body = String::new();
    let context = series
        .iter()
        .filter(|s| s.role == SeriesRole::Context)
        .count();
    let entries = if context > MAX_CONTEXT_LINES {
        series.len() - context + 1
    } else {
        series.len()
    };
    if context > MAX_CONTEXT_LINES {
        let _ = write!(
            desc,
            " {}",
            match lang {
                Language::Swedish => format!(
                    "De övriga {context} enheterna ritas som ett band från lägsta till högsta värde."
                ),
                Language::English => format!(
                    "The other {context} units are drawn as a band from the lowest to the highest value."
                ),
            }
        );
    }
    let legend_rows = legend_rows(entries);
    let height = PLOT_Y1 + 56.0 + LEGEND_ROW * legend_rows;
    let Some((lo, hi)) = extent(data.iter().copied()) else {
        super::svg::empty_note(&mut body, WIDTH / 2.0, (PLOT_Y0 + PLOT_Y1) / 2.0, lang);
        legend(&mut body, series, lang);
        return frame("trend-chart", WIDTH, height, title, &desc, &body);
    };
    let ticks = nice_ticks(lo, hi, 5);
    let y = Scale::new(ticks.lo, ticks.hi, PLOT_Y1, PLOT_Y0);
    y_axis(&mut body, &ticks, &y, (PLOT_X0, PLOT_X1), unit, lang);

    // Periods sit in the middle of equal slots, so one period is centred.
    let n = f64::from(u32::try_from(periods.len().max(1)).unwrap_or(u32::MAX));
    let slot_width = (PLOT_X1 - PLOT_X0) / n;
    let px = |i: usize| PLOT_X0 + slot_width * (f64::from(u32::try_from(i).unwrap_or(0)) + 0.5);
    let longest = periods
        .iter()
        .map(|p| text_width(p, 11.0))
        .fold(0.0, f64::max);
    let every = ((longest + 10.0) / slot_width).ceil().clamp(1.0, 1000.0) as usize;
    body.push_str("<g class=\"axis x-axis\">");
    for (i, p) in periods.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = num(px(i));
        let _ = write!(
            body,
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/><text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"{}\">{}</text>",
            num(PLOT_Y1),
            num(PLOT_Y1 + 4.0),
            PALETTE.muted,
            num(PLOT_Y1 + 18.0),
            PALETTE.muted,
            escape(&truncate(p, 16).unwrap_or_else(|| (*p).to_owned()))
        );
    }
    body.push_str("</g>\n");

    // Context first (lines, or the band of their range), then the benchmark, highlighted on top.
    let context: Vec<&Series> = series
        .iter()
        .filter(|s| s.role == SeriesRole::Context)
        .collect();
    let spread = context.len() > MAX_CONTEXT_LINES;
    if spread {
        range_band(&mut body, &context, &slot, &y, &px);
    }
    let order = context
        .iter()
        .copied()
        .filter(|_| !spread)
        .chain(series.iter().filter(|s| s.role == SeriesRole::Benchmark))
        .chain(series.iter().filter(|s| s.role == SeriesRole::Highlight));
    let (mut highlight_index, mut context_index) = (0, 0);
    for s in order {
        let points: Vec<(usize, &SeriesPoint)> = s
            .points
            .iter()
            .filter_map(|p| slot(&p.period).map(|i| (i, p)))
            .collect();
        let Look {
            colour,
            width,
            radius,
            dash,
        } = look(s.role, &mut highlight_index, &mut context_index);
        let _ = write!(
            body,
            "<g class=\"series{}\"><title>{}</title>",
            match s.role {
                SeriesRole::Highlight => " highlight",
                SeriesRole::Benchmark => " benchmark",
                SeriesRole::Context => "",
            },
            escape(&s.label)
        );
        if s.role == SeriesRole::Highlight {
            band(&mut body, &points, &y, &px);
        }
        let mut d = String::new();
        let mut pen_down = false;
        for (i, p) in &points {
            match finite(p.value) {
                Some(v) => {
                    let _ = write!(
                        d,
                        "{}{} {}",
                        if pen_down { "L" } else { "M" },
                        num(px(*i)),
                        num(y.map(v))
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !d.is_empty() {
            let _ = write!(
                body,
                "<path class=\"line\" d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"{}/>",
                num(width),
                if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") }
            );
        }
        for (k, (i, p)) in points.iter().enumerate() {
            if let Some(v) = finite(p.value) {
                // A point with no neighbour on its line would be a speck: draw it larger.
                let joined = |j: Option<usize>| {
                    j.and_then(|j| points.get(j))
                        .is_some_and(|(_, q)| finite(q.value).is_some())
                };
                let alone = !joined(k.checked_sub(1)) && !joined(k.checked_add(1));
                let radius = if alone { radius + 1.5 } else { radius };
                let _ = write!(
                    body,
                    "<circle class=\"point\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"1\"><title>{}</title></circle>",
                    num(px(*i)),
                    num(y.map(v)),
                    num(radius),
                    escape(&format!("{}, {}: {}", s.label, p.period, value_with_interval(v, p.lower, p.upper, lang)))
                );
            }
        }
        body.push_str("</g>\n");
    }
    legend(&mut body, series, lang);
    frame("trend-chart", WIDTH, height, title, &desc, &body)
}

/// How a line is drawn.
struct Look {
    colour: &'static str,
    width: f64,
    radius: f64,
    dash: &'static str,
}

/// The look of the next line of `role`; highlighted lines take turns at dash patterns, context
/// lines at colours.
fn look(role: SeriesRole, highlight_index: &mut usize, context_index: &mut usize) -> Look {
    match role {
        SeriesRole::Highlight => {
            let dash = DASHES[*highlight_index % DASHES.len()];
            *highlight_index += 1;
            Look {
                colour: PALETTE.accent,
                width: 3.0,
                radius: 3.5,
                dash,
            }
        }
        SeriesRole::Benchmark => Look {
            colour: PALETTE.text,
            width: 2.5,
            radius: 2.5,
            dash: "7 4",
        },
        SeriesRole::Context => {
            let colour = PALETTE.context[*context_index % PALETTE.context.len()];
            *context_index += 1;
            Look {
                colour,
                width: 1.5,
                radius: 2.0,
                dash: "",
            }
        }
    }
}

/// The band from the lowest to the highest value of the context lines in each period, one
/// polygon per run of periods where at least one of them has a value.
fn range_band(
    body: &mut String,
    context: &[&Series],
    slot: &dyn Fn(&str) -> Option<usize>,
    y: &Scale,
    px: &dyn Fn(usize) -> f64,
) {
    let mut range: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for p in context.iter().flat_map(|s| &s.points) {
        if let (Some(i), Some(v)) = (slot(&p.period), finite(p.value)) {
            let r = range.entry(i).or_insert((v, v));
            *r = (r.0.min(v), r.1.max(v));
        }
    }
    let mut runs: Vec<Vec<(usize, f64, f64)>> = Vec::new();
    for (&i, &(lo, hi)) in &range {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|&(j, _, _)| j + 1 == i) => run.push((i, lo, hi)),
            _ => runs.push(vec![(i, lo, hi)]),
        }
    }
    body.push_str("<g class=\"spread\">");
    for run in &runs {
        let half = if run.len() == 1 { 6.0 } else { 0.0 };
        let mut d = String::new();
        for (k, (i, _, hi)) in run.iter().enumerate() {
            let x = px(*i);
            let _ = write!(
                d,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                num(x - half),
                num(y.map(*hi))
            );
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(y.map(*hi)));
            }
        }
        for (i, lo, _) in run.iter().rev() {
            let x = px(*i);
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(y.map(*lo)));
            }
            let _ = write!(d, "L{} {}", num(x - half), num(y.map(*lo)));
        }
        d.push('Z');
        let _ = write!(
            body,
            "<path d=\"{d}\" fill=\"{}\" fill-opacity=\"0.7\" stroke=\"{}\" stroke-width=\"1\"/>",
            PALETTE.grid, PALETTE.grey
        );
    }
    body.push_str("</g>\n");
}

/// The interval band of a highlighted series, one polygon per run of periods with both limits.
fn band(body: &mut String, points: &[(usize, &SeriesPoint)], y: &Scale, px: &dyn Fn(usize) -> f64) {
    let mut runs: Vec<Vec<(f64, f64, f64)>> = vec![Vec::new()];
    for (i, p) in points {
        match (finite(p.lower), finite(p.upper)) {
            (Some(l), Some(u)) => {
                if let Some(run) = runs.last_mut() {
                    run.push((px(*i), y.map(l), y.map(u)));
                }
            }
            _ => runs.push(Vec::new()),
        }
    }
    for run in runs.iter().filter(|r| !r.is_empty()) {
        let mut d = String::new();
        // A lone period gets a narrow band so its interval still shows.
        let half = if run.len() == 1 { 4.0 } else { 0.0 };
        for (k, (x, _, u)) in run.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if k == 0 { "M" } else { "L" },
                num(x - half),
                num(*u)
            );
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(*u));
            }
        }
        for (x, l, _) in run.iter().rev() {
            if half > 0.0 {
                let _ = write!(d, "L{} {}", num(x + half), num(*l));
            }
            let _ = write!(d, "L{} {}", num(x - half), num(*l));
        }
        d.push('Z');
        let _ = write!(
            body,
            "<path class=\"band\" d=\"{d}\" fill=\"{}\" fill-opacity=\"0.15\" stroke=\"none\"/>",
            PALETTE.accent
        );
    }
}

fn legend_rows(n: usize) -> f64 {
    let per_row = ((PLOT_X1 - PLOT_X0) / LEGEND_ITEM).floor().max(1.0);
    (f64::from(u32::try_from(n).unwrap_or(u32::MAX)) / per_row).ceil()
}

/// One swatch per line drawn — highlighted ones first, then the benchmark, then the other
/// units — or, for many other units, one swatch for the band of their range; in rows under the
/// axis.
fn legend(body: &mut String, series: &[Series], lang: Language) {
    if series.is_empty() {
        return;
    }
    let context = series
        .iter()
        .filter(|s| s.role == SeriesRole::Context)
        .count();
    let spread = context > MAX_CONTEXT_LINES;
    body.push_str("<g class=\"legend\">");
    let per_row = ((PLOT_X1 - PLOT_X0) / LEGEND_ITEM).floor().max(1.0) as usize;
    let max_chars = chars_fitting(LEGEND_ITEM - 36.0, 11.0);
    let ordered = [
        SeriesRole::Highlight,
        SeriesRole::Benchmark,
        SeriesRole::Context,
    ]
    .into_iter()
    .flat_map(|role| series.iter().filter(move |s| s.role == role))
    .filter(|s| !(spread && s.role == SeriesRole::Context));
    let (mut highlight_index, mut context_index) = (0, 0);
    let mut k = 0usize;
    let place = |k: usize| {
        let col = f64::from(u32::try_from(k % per_row).unwrap_or(0));
        let row = f64::from(u32::try_from(k / per_row).unwrap_or(0));
        (
            PLOT_X0 + col * LEGEND_ITEM,
            PLOT_Y1 + 44.0 + row * LEGEND_ROW,
        )
    };
    for s in ordered {
        let (x, y) = place(k);
        k += 1;
        let Look {
            colour,
            width,
            dash,
            ..
        } = look(s.role, &mut highlight_index, &mut context_index);
        let _ = write!(
            body,
            "<line x1=\"{}\" x2=\"{}\" y1=\"{y}\" y2=\"{y}\" stroke=\"{colour}\" stroke-width=\"{}\"{}/>",
            num(x),
            num(x + 26.0),
            num(width),
            if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") },
            y = num(y),
        );
        label(
            body,
            &format!(
                "x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\"{}",
                num(x + 32.0),
                num(y),
                if s.role == SeriesRole::Highlight {
                    " font-weight=\"600\""
                } else {
                    ""
                }
            ),
            &s.label,
            max_chars,
        );
    }
    if spread {
        let (x, y) = place(k);
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"26\" height=\"10\" fill=\"{}\" stroke=\"{}\"/>",
            num(x),
            num(y - 5.0),
            PALETTE.grid,
            PALETTE.grey
        );
        label(
            body,
            &format!(
                "x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\"",
                num(x + 32.0),
                num(y)
            ),
            &spread_words(context, lang),
            max_chars,
        );
    }
    body.push_str("</g>\n");
}

/// "Övriga 48 enheter (lägst–högst)": the band's legend and note.
fn spread_words(n: usize, lang: Language) -> String {
    match lang {
        Language::Swedish => format!("Övriga {n} enheter (lägst–högst)"),
        Language::English => format!("The other {n} units (lowest–highest)"),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;

    fn point(period: &str, value: Option<f64>, ci: Option<(f64, f64)>) -> SeriesPoint {
        SeriesPoint {
            period: period.to_owned(),
            value,
            lower: ci.map(|c| c.0),
            upper: ci.map(|c| c.1),
        }
    }

    pub(crate) fn example() -> Vec<Series> {
        let years = ["2021", "2022", "2023", "2024"];
        let make = |label: &str, values: [Option<f64>; 4], role: SeriesRole| Series {
            label: label.to_owned(),
            points: years
                .iter()
                .zip(values)
                .map(|(p, v)| point(p, v, v.map(|v| (v - 6.0, v + 6.0))))
                .collect(),
            role,
        };
        vec![
            make(
                "Vårdcentralen Norra",
                [Some(52.0), Some(55.5), Some(58.1), Some(62.4)],
                SeriesRole::Highlight,
            ),
            make(
                "Vårdcentralen Söder",
                [Some(47.0), Some(45.2), None, Some(48.0)],
                SeriesRole::Context,
            ),
            make(
                "Hälsocentralen Väster",
                [Some(35.0), Some(33.1), Some(30.2), Some(31.5)],
                SeriesRole::Context,
            ),
            make(
                "Länet",
                [Some(45.0), Some(46.1), Some(46.5), Some(47.2)],
                SeriesRole::Benchmark,
            ),
        ]
    }

    #[test]
    fn highlighted_series_is_on_top_with_a_band() {
        let svg = trend_chart("Andel", "procent", &example(), Swedish);
        assert_eq!(svg.matches("<g class=\"series").count(), 4);
        assert_eq!(svg.matches("class=\"band\"").count(), 1);
        let last_series = svg.rfind("<g class=\"series").unwrap_or(0);
        assert!(svg[last_series..]
            .starts_with("<g class=\"series highlight\"><title>Vårdcentralen Norra"));
        // The gap in 2023 splits Söder's line in two pieces.
        let soder = &svg[svg.find("<title>Vårdcentralen Söder").unwrap_or(0)..];
        let path = &soder[soder.find(" d=\"").unwrap_or(0)..];
        let path = &path[..path.find("\" fill").unwrap_or(0)];
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(svg.matches("<circle class=\"point\"").count(), 15);
        for year in ["2021", "2022", "2023", "2024"] {
            assert!(svg.contains(&format!(">{year}</text>")));
        }
    }

    #[test]
    fn the_benchmark_has_its_own_look_and_every_context_line_its_own_colour() {
        let svg = trend_chart("Andel", "procent", &example(), Swedish);
        let benchmark = &svg[svg
            .find("<g class=\"series benchmark\"><title>Länet")
            .unwrap_or(0)..];
        assert!(
            benchmark.contains(&format!("stroke=\"{}\"", PALETTE.text)),
            "{svg}"
        );
        assert!(
            benchmark[..benchmark.find("</g>").unwrap_or(0)].contains("stroke-dasharray=\"7 4\"")
        );
        assert!(svg.contains("Länet (jämförelse): 2021 45"));
        // Söder and Väster: two colours, neither grey.
        let colour_of = |name: &str| {
            let g = &svg[svg
                .find(&format!("<title>{name}</title><path"))
                .unwrap_or(0)..];
            let at = g.find("stroke=\"").unwrap_or(0) + 8;
            g[at..at + 7].to_owned()
        };
        let (a, b) = (
            colour_of("Vårdcentralen Söder"),
            colour_of("Hälsocentralen Väster"),
        );
        assert_ne!(a, b);
        assert!(PALETTE.context.contains(&a.as_str()) && PALETTE.context.contains(&b.as_str()));
    }

    #[test]
    fn many_other_units_are_one_band_of_their_range_not_dozens_of_lines() {
        let years = ["2022", "2023", "2024"];
        let mut series: Vec<Series> = (0..48u32)
            .map(|k| Series {
                label: format!("DeSO {k}"),
                points: years
                    .iter()
                    .enumerate()
                    .map(|(i, y)| point(y, Some(f64::from(10 + k + 2 * i as u32)), None))
                    .collect(),
                role: SeriesRole::Context,
            })
            .collect();
        series[7].role = SeriesRole::Highlight;
        for lang in [Swedish, crate::number_format::Language::English] {
            let svg = trend_chart("Andel", "procent", &series, lang);
            // One line, the highlighted; the other 47 as one band, from 10 to 61 in 2024 …
            assert_eq!(svg.matches("<path class=\"line\"").count(), 1);
            assert_eq!(svg.matches("<g class=\"spread\">").count(), 1);
            assert_eq!(svg.matches("<g class=\"series").count(), 1);
            // … every value still in the description, and the band in the legend.
            assert!(svg.contains("DeSO 47: 2022 57, 2023 59, 2024 61."), "{svg}");
            let legend = &svg[svg.find("<g class=\"legend\">").unwrap_or(0)..];
            assert!(legend.contains(lang.pick(
                "Övriga 47 enheter (lägst–högst)",
                "The other 47 units (lowest–highest)"
            )));
            assert!(svg.contains(lang.pick(
                "De övriga 47 enheterna ritas som ett band",
                "The other 47 units are drawn as a band"
            )));
        }
        // Six other units are still lines, each its own colour.
        let few: Vec<Series> = series[1..8].to_vec();
        let svg = trend_chart("Andel", "procent", &few, Swedish);
        assert_eq!(svg.matches("<path class=\"line\"").count(), 7);
        assert!(!svg.contains("spread"));
        for colour in PALETTE.context {
            assert!(svg.contains(&format!("stroke=\"{colour}\"")), "{colour}");
        }
    }

    #[test]
    fn periods_are_united_in_order_of_first_appearance() {
        let a = Series {
            label: "a".into(),
            points: vec![
                point("2023", Some(1.0), None),
                point("2024", Some(2.0), None),
            ],
            role: SeriesRole::Context,
        };
        let b = Series {
            label: "b".into(),
            points: vec![
                point("2022", Some(1.0), None),
                point("2023", Some(2.0), None),
            ],
            role: SeriesRole::Context,
        };
        let svg = trend_chart("t", "", &[a, b], Swedish);
        let pos = |p: &str| svg.find(&format!(">{p}</text>")).unwrap_or(usize::MAX);
        assert!(pos("2023") < pos("2024") && pos("2024") < pos("2022"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        assert!(trend_chart("t", "", &[], Swedish).contains("Inga värden att visa"));
        let single = Series {
            label: "<&>".into(),
            points: vec![point("2024", Some(5.0), Some((4.0, 6.0)))],
            role: SeriesRole::Highlight,
        };
        let svg = trend_chart("t", "", &[single], Swedish);
        assert!(svg.contains("&lt;&amp;&gt;") && !svg.contains("<&>"));
        assert_eq!(svg.matches("class=\"band\"").count(), 1);
        let wild = Series {
            label: "x".into(),
            points: vec![
                point("a", Some(f64::NAN), None),
                point("b", Some(f64::INFINITY), None),
            ],
            role: SeriesRole::Context,
        };
        let svg = trend_chart("t", "", &[wild], Swedish);
        assert!(svg.contains("Inga värden att visa") && !svg.contains("NaN"));
    }
}
