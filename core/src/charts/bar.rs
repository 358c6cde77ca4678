//! Horizontal bar chart: one bar per unit, coloured by its traffic light, with the confidence
//! interval as a whisker and an optional benchmark line (the county value).
//!
//! Bars start at zero (a bar's length is its value; Few, "Show Me the Numbers", 2012); the
//! axis covers zero, every value and every interval limit.

use std::fmt::Write;

use super::axis::{extent, nice_ticks, x_axis, Scale};
use super::svg::{
    chars_fitting, escape, finite, format_value, frame, label, missing, num, units,
    value_with_interval, PALETTE,
};
use crate::classify::Light;
use crate::indicators::finish::UnitRow;
use crate::number_format::Language;

/// One bar: a unit's value with its interval and light. A `None` or non-finite value draws no
/// bar and says "uppgift saknas" ("no value").
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub light: Option<Light>,
}

impl Bar {
    /// A unit's row of an indicator table as a bar, labelled by its keys ("Norra, 2024-03" for a
    /// level with two keys), with its value, 95 % interval and light.
    pub fn from_row(row: &UnitRow) -> Bar {
        Bar {
            label: row.keys.join(", "),
            value: row.value,
            lower: row.lower,
            upper: row.upper,
            light: Some(row.light),
        }
    }
}

const WIDTH: f64 = 720.0;
const LABEL_X: f64 = 16.0;
const PLOT_X0: f64 = 232.0;
const PLOT_X1: f64 = 636.0;
const VALUE_X: f64 = 704.0;
const TOP: f64 = 64.0;
const ROW: f64 = 26.0;
const BAR: f64 = 16.0;
const LABEL_FONT: f64 = 12.0;

/// Horizontal bars with confidence-interval whiskers, coloured by light, an optional benchmark
/// line (e.g. the county value, labelled); every word and number in `lang`.
///
/// ```
/// use samsyn_core::charts::{bar_chart, Bar};
/// use samsyn_core::classify::Light;
/// use samsyn_core::number_format::Language;
///
/// let bars = [Bar {
///     label: "Vårdcentralen Norra".into(),
///     value: Some(62.4),
///     lower: Some(55.1),
///     upper: Some(69.2),
///     light: Some(Light::Green),
/// }];
/// let bench = Some(("Länet", 47.2));
/// let svg = bar_chart("Andel med fast läkarkontakt", "procent", &bars, bench, Language::Swedish);
/// assert!(svg.starts_with("<svg") && svg.contains(">Länet: 47,2</text>"));
/// assert_eq!(svg.matches("<rect class=\"bar\"").count(), 1);
/// let svg = bar_chart("Share", "percent", &bars, Some(("County", 47.2)), Language::English);
/// assert!(svg.contains(">County: 47.2</text>") && svg.contains("62.4 (CI 55.1–69.2), green"));
/// ```
pub fn bar_chart(
    title: &str,
    unit: &str,
    bars: &[Bar],
    benchmark: Option<(&str, f64)>,
    lang: Language,
) -> String {
    let benchmark = benchmark.filter(|(_, v)| v.is_finite());
    let shown = bars.iter().filter(|b| finite(b.value).is_some()).count();
    let mut desc = format!(
        "{}, {}",
        lang.pick("Stapeldiagram", "Bar chart"),
        units(bars.len(), lang)
    );
    if shown < bars.len() {
        let _ = write!(
            desc,
            " ({} {})",
            bars.len() - shown,
            lang.pick("utan värde", "without a value")
        );
    }
    if !unit.is_empty() {
        let _ = write!(desc, ", {unit}");
    }
    desc.push('.');
    if let Some((name, v)) = benchmark {
        let _ = write!(
            desc,
            " {}: {name} {}.",
            lang.pick("Jämförelse", "Compared with"),
            format_value(v, lang)
        );
    }
    let items: Vec<String> = bars
        .iter()
        .map(|b| match finite(b.value) {
            Some(v) => {
                let interval = value_with_interval(v, b.lower, b.upper, lang);
                let mut s = format!("{}: {interval}", b.label);
                if let Some(l) = b.light {
                    let _ = write!(s, ", {}", l.word(lang));
                }
                s
            }
            None => format!("{}: {}", b.label, missing(lang)),
        })
        .collect();
    if !items.is_empty() {
        let _ = write!(desc, " {}.", items.join("; "));
    }

    let mut body = String::new();
    if bars.is_empty() || (shown == 0 && benchmark.is_none()) {
        let height = TOP + ROW * 2.0;
        super::svg::empty_note(&mut body, WIDTH / 2.0, TOP + ROW, lang);
        if !bars.is_empty() {
            rows(&mut body, bars, None, lang);
        }
        let height = height.max(TOP + ROW * f64_len(bars.len()) + 16.0);
        return frame("bar-chart", WIDTH, height, title, &desc, &body);
    }

    let data = bars
        .iter()
        .flat_map(|b| [b.value, b.lower, b.upper])
        .filter_map(finite)
        .chain(benchmark.map(|(_, v)| v))
        .chain([0.0]);
    let (lo, hi) = extent(data).unwrap_or((0.0, 1.0));
    let ticks = nice_ticks(lo, hi, 5);
    let x = Scale::new(ticks.lo, ticks.hi, PLOT_X0, PLOT_X1);
    let plot_bottom = TOP + ROW * f64_len(bars.len());
    x_axis(&mut body, &ticks, &x, (TOP - 4.0, plot_bottom), unit, lang);
    // The zero line, darker than the grid: where bars start.
    let zero = num(x.map(0.0));
    let _ = writeln!(
        body,
        "<line class=\"baseline\" x1=\"{zero}\" x2=\"{zero}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
        num(TOP - 4.0),
        num(plot_bottom),
        PALETTE.muted
    );
    rows(&mut body, bars, Some(&x), lang);
    if let Some((name, v)) = benchmark {
        let px = x.map(v);
        let text = format!("{name}: {}", format_value(v, lang));
        let anchor = if px < PLOT_X0 + 80.0 {
            "start"
        } else if px > PLOT_X1 - 80.0 {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            body,
            "<g class=\"benchmark\"><line x1=\"{p}\" x2=\"{p}\" y1=\"{}\" y2=\"{}\" stroke=\"{a}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
            num(TOP - 14.0),
            num(plot_bottom),
            p = num(px),
            a = PALETTE.accent,
        );
        label(
            &mut body,
            &format!(
                "class=\"benchmark-label\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" font-size=\"11\" font-weight=\"600\" fill=\"{}\"",
                num(px),
                num(TOP - 18.0),
                PALETTE.accent
            ),
            &text,
            40,
        );
        body.push_str("</g>\n");
    }
    legend(&mut body, bars, plot_bottom + 50.0, lang);
    let has_legend = bars.iter().any(|b| b.light.is_some());
    let height = plot_bottom + if has_legend { 72.0 } else { 48.0 };
    frame("bar-chart", WIDTH, height, title, &desc, &body)
}

fn f64_len(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Labels, bars, whiskers and value texts; bars only with a scale.
fn rows(body: &mut String, bars: &[Bar], x: Option<&Scale>, lang: Language) {
    let max_label = chars_fitting(PLOT_X0 - LABEL_X - 8.0, LABEL_FONT);
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW * f64_len(i);
        let mid = y + ROW / 2.0;
        body.push_str("<g class=\"row\">");
        label(
            body,
            &format!(
                "class=\"label\" x=\"{}\" y=\"{}\" dy=\"0.32em\"",
                num(LABEL_X),
                num(mid)
            ),
            &b.label,
            max_label,
        );
        let value = finite(b.value);
        if let (Some(v), Some(x)) = (value, x) {
            let x0 = x.map(0.0);
            let x1 = x.map(v);
            let fill = b.light.map_or(PALETTE.accent, |l| PALETTE.light(l));
            let interval = value_with_interval(v, b.lower, b.upper, lang);
            let mut tip = format!("{}: {interval}", b.label);
            if let Some(l) = b.light {
                let _ = write!(tip, ", {}", l.word(lang));
            }
            let _ = write!(
                body,
                "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{}</title></rect>",
                num(x0.min(x1)),
                num(mid - BAR / 2.0),
                num((x1 - x0).abs()),
                num(BAR),
                escape(&tip)
            );
            whisker(body, x, v, finite(b.lower), finite(b.upper), mid);
        }
        let (text, colour) = match value {
            Some(v) => (format_value(v, lang), PALETTE.text),
            None => (missing(lang).to_owned(), PALETTE.muted),
        };
        let _ = write!(
            body,
            "<text class=\"value\" x=\"{}\" y=\"{}\" dy=\"0.32em\" text-anchor=\"end\" fill=\"{colour}\"{}>{}</text>",
            num(VALUE_X),
            num(mid),
            if value.is_some() { " font-weight=\"600\"" } else { " font-size=\"11\" font-style=\"italic\"" },
            escape(&text)
        );
        body.push_str("</g>\n");
    }
}

/// The interval as a line with end caps; one-sided when only one limit is known.
fn whisker(body: &mut String, x: &Scale, v: f64, lower: Option<f64>, upper: Option<f64>, mid: f64) {
    if lower.is_none() && upper.is_none() {
        return;
    }
    let a = x.map(lower.unwrap_or(v));
    let b = x.map(upper.unwrap_or(v));
    let cap = 5.0;
    let mut d = format!("M{} {}H{}", num(a), num(mid), num(b));
    for (limit, px) in [(lower, a), (upper, b)] {
        if limit.is_some() {
            let _ = write!(d, "M{} {}V{}", num(px), num(mid - cap), num(mid + cap));
        }
    }
    let _ = write!(
        body,
        "<path class=\"whisker\" d=\"{d}\" stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"/>",
        PALETTE.text
    );
}

/// Swatches for the lights that occur, in the order green, yellow, red, grey.
fn legend(body: &mut String, bars: &[Bar], y: f64, lang: Language) {
    let mut lights: Vec<Light> = bars.iter().filter_map(|b| b.light).collect();
    lights.sort();
    lights.dedup();
    if lights.is_empty() {
        return;
    }
    body.push_str("<g class=\"legend\">");
    let mut x = PLOT_X0;
    for l in &lights {
        let _ = write!(
            body,
            "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" dy=\"0.32em\" font-size=\"11\">{}</text>",
            num(x),
            num(y - 6.0),
            PALETTE.light(*l),
            num(x + 16.0),
            num(y),
            l.word(lang)
        );
        x += 28.0 + super::svg::text_width(l.word(lang), 11.0);
    }
    body.push_str("</g>\n");
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::number_format::Language::Swedish;

    fn bar(label: &str, value: Option<f64>, ci: Option<(f64, f64)>, light: Option<Light>) -> Bar {
        Bar {
            label: label.to_owned(),
            value,
            lower: ci.map(|c| c.0),
            upper: ci.map(|c| c.1),
            light,
        }
    }

    pub(crate) fn example() -> Vec<Bar> {
        vec![
            bar(
                "Vårdcentralen Norra",
                Some(62.4),
                Some((55.1, 69.2)),
                Some(Light::Green),
            ),
            bar(
                "Vårdcentralen Söder",
                Some(48.0),
                Some((41.3, 54.8)),
                Some(Light::Yellow),
            ),
            bar(
                "Hälsocentralen Väster & Öster",
                Some(31.5),
                Some((25.0, 38.7)),
                Some(Light::Red),
            ),
            bar(
                "Liten vårdcentral",
                Some(44.0),
                Some((20.1, 70.3)),
                Some(Light::Grey),
            ),
            bar("Ny vårdcentral", None, None, Some(Light::Grey)),
        ]
    }

    #[test]
    fn one_bar_per_value_in_its_light_with_whiskers() {
        let svg = bar_chart(
            "Andel",
            "procent",
            &example(),
            Some(("Länet", 47.2)),
            Swedish,
        );
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 4);
        assert_eq!(svg.matches("class=\"whisker\"").count(), 4);
        for colour in [PALETTE.green, PALETTE.yellow, PALETTE.red, PALETTE.grey] {
            assert!(
                svg.contains(&format!("fill=\"{colour}\"><title>")),
                "{colour}"
            );
        }
        assert!(svg.contains("class=\"benchmark-label\""));
        assert!(svg.contains(">Länet: 47,2</text>"));
        assert!(svg.contains("uppgift saknas"));
        assert!(svg.contains("Hälsocentralen Väster &amp; Öster"));
        assert!(svg.contains("role=\"img\""));
    }

    #[test]
    fn no_light_is_accent_and_no_interval_no_whisker() {
        let svg = bar_chart("t", "", &[bar("a", Some(3.0), None, None)], None, Swedish);
        assert!(svg.contains(&format!("fill=\"{}\"><title>a: 3</title>", PALETTE.accent)));
        assert!(!svg.contains("whisker"));
        assert!(!svg.contains("benchmark"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = bar_chart("Tomt", "procent", &[], None, Swedish);
        assert!(empty.contains("Inga värden att visa"));
        let none = bar_chart("t", "", &[bar("a", None, None, None)], None, Swedish);
        assert!(none.contains("Inga värden att visa") && !none.contains("class=\"bar\""));
        let wild = [
            bar("nan", Some(f64::NAN), Some((f64::NAN, 1.0)), None),
            bar("oändlig", Some(f64::INFINITY), None, None),
            bar("neg", Some(-5.0), Some((-7.0, f64::NEG_INFINITY)), None),
        ];
        let svg = bar_chart("t", "", &wild, Some(("x", f64::NAN)), Swedish);
        assert_eq!(svg.matches("<rect class=\"bar\"").count(), 1);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let same = bar_chart("t", "", &[bar("a", Some(0.0), None, None)], None, Swedish);
        assert_eq!(same.matches("<rect class=\"bar\"").count(), 1);
    }

    #[test]
    fn long_labels_are_cut_with_the_full_text_kept() {
        let long = "Vårdcentralen med det mycket långa namnet i den norra delen av länet";
        let svg = bar_chart("t", "", &[bar(long, Some(1.0), None, None)], None, Swedish);
        assert!(svg.contains(&format!("<title>{long}</title>")));
        assert!(svg.contains("…</text>"));
    }
}
