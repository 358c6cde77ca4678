//! The pieces every chart shares: the palette, XML escaping, number text in the reader's
//! language, label truncation and the accessible `<svg>` frame.
//!
//! Why hand-written: plotters measures text through the DOM on wasm32, so the same chart would
//! lay out differently in `samsyn run` and in the web app (crates.md, "Charts"). Here text width
//! is estimated from the character count, which is the same everywhere, so output is identical
//! byte for byte on every platform.

use std::fmt::Write;

use crate::classify::Light;
use crate::number_format::{self, Language};

/// The chart colours, in one place. The light colours are Samsyn's traffic lights; `accent`
/// marks benchmarks, highlighted units and anything that is not a light.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub green: &'static str,
    pub yellow: &'static str,
    pub red: &'static str,
    pub grey: &'static str,
    pub accent: &'static str,
    /// Body text, axes and whiskers.
    pub text: &'static str,
    /// Secondary text: ticks, notes.
    pub muted: &'static str,
    /// Grid lines and empty cells' borders.
    pub grid: &'static str,
    /// Text on a dark fill.
    pub on_dark: &'static str,
    /// Lines of units that are neither highlighted nor the benchmark, in turn: dark enough on
    /// white for a thin line (non-text contrast ≥ 3:1, WCAG 1.4.11), none of them the accent's
    /// blue or a light's colour; a legend and tooltips name them too, for colour-blind readers.
    pub context: [&'static str; 6],
}

/// Samsyn's palette. White text on green and red passes WCAG AA (contrast ≥ 6:1); yellow and
/// grey are too light for white text and take `text` instead.
pub const PALETTE: Palette = Palette {
    green: "#1e6b35",
    yellow: "#c9a227",
    red: "#b3261e",
    grey: "#8a94a0",
    accent: "#0b5cad",
    text: "#1f2328",
    muted: "#5b6470",
    grid: "#d9dde3",
    on_dark: "#ffffff",
    context: [
        "#b35806", "#542788", "#1b7837", "#c51b7d", "#8c510a", "#4d4d4d",
    ],
};

impl Palette {
    /// The fill of a light.
    pub fn light(&self, light: Light) -> &'static str {
        match light {
            Light::Green => self.green,
            Light::Yellow => self.yellow,
            Light::Red => self.red,
            Light::Grey => self.grey,
        }
    }

    /// Text colour that reads on a light's fill.
    pub fn text_on(&self, light: Light) -> &'static str {
        match light {
            Light::Green | Light::Red => self.on_dark,
            Light::Yellow | Light::Grey => self.text,
        }
    }
}

/// Fonts the reader already has; nothing is loaded.
pub(crate) const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif";

/// Average advance of a character as a share of the font size for the sans-serif fonts above
/// (measured roughly on Arial: lower-case text ≈ 0.5 em, digits 0.556 em); a little generous so
/// estimated labels do not overrun.
const CHAR_WIDTH_EM: f64 = 0.58;

/// Placeholder for the chart's id inside a body; `<` never survives escaping, so user text can
/// not contain it.
pub(crate) const ID: &str = "<ID>";

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' && c != '\r' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Estimated width in user units of `text` at `font_size`.
pub(crate) fn text_width(text: &str, font_size: f64) -> f64 {
    count_chars(text) * CHAR_WIDTH_EM * font_size
}

fn count_chars(text: &str) -> f64 {
    text.chars().fold(0.0, |n, _| n + 1.0)
}

/// How many characters fit in `width` at `font_size`.
pub(crate) fn chars_fitting(width: f64, font_size: f64) -> usize {
    let n = (width / (CHAR_WIDTH_EM * font_size)).floor();
    if n.is_finite() && n >= 1.0 {
        // Saturating conversion of a bounded, positive layout number.
        n.min(10_000.0) as usize
    } else {
        1
    }
}

/// `text` cut to at most `max_chars` characters, ending in "…" when cut; `None` when it fits.
pub(crate) fn truncate(text: &str, max_chars: usize) -> Option<String> {
    if text.chars().count() <= max_chars {
        return None;
    }
    let keep = max_chars.saturating_sub(1);
    let mut cut: String = text.chars().take(keep).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    Some(cut)
}

/// A `<text>` element holding `text` escaped, cut to `max_chars`; a cut label keeps its full text
/// in a `<title>` child, which browsers show as a tooltip and screen readers read.
pub(crate) fn label(out: &mut String, attrs: &str, text: &str, max_chars: usize) {
    match truncate(text, max_chars) {
        Some(short) => {
            let _ = write!(
                out,
                "<text {attrs}><title>{}</title>{}</text>",
                escape(text),
                escape(&short)
            );
        }
        None => {
            let _ = write!(out, "<text {attrs}>{}</text>", escape(text));
        }
    }
}

/// Words of `text` in lines of at most `max_chars` (a word longer than a line is cut).
pub(crate) fn wrap(text: &str, max_chars: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let word = truncate(word, max_chars).unwrap_or_else(|| word.to_owned());
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > max_chars {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A coordinate: one decimal, no trailing ".0", never "-0" or "NaN".
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let r = (v * 10.0).round() / 10.0;
    if r == 0.0 {
        return "0".to_owned();
    }
    let s = format!("{r:.1}");
    match s.strip_suffix(".0") {
        Some(int) => int.to_owned(),
        None => s,
    }
}

/// `v` with `decimals` decimals in `lang` ([`crate::number_format`]; Swedish: decimal comma, a
/// no-break space between thousands and a real minus sign, "−1 234,5").
pub fn format_fixed(v: f64, decimals: usize, lang: Language) -> String {
    number_format::format_fixed(v, decimals, lang)
}

/// A value alone, with the decimals of its size ([`number_format::format_value`]: 412; 36,7;
/// 2,16), thousands separated.
pub fn format_value(v: f64, lang: Language) -> String {
    number_format::format_value(v, lang)
}

/// "412 (KI 380–446)" ("412 (CI 380–446)" in English) or "412".
pub(crate) fn value_with_interval(
    value: f64,
    lower: Option<f64>,
    upper: Option<f64>,
    lang: Language,
) -> String {
    match (finite(lower), finite(upper)) {
        (Some(l), Some(u)) => format!(
            "{} ({} {}–{})",
            format_value(value, lang),
            lang.pick("KI", "CI"),
            format_value(l, lang),
            format_value(u, lang)
        ),
        _ => format_value(value, lang),
    }
}

/// "1 enhet", "2 enheter" ("1 unit", "2 units"): a count with its noun in `lang`, the nouns
/// given as (Swedish singular, Swedish plural, English singular, English plural).
pub(crate) fn counted(n: usize, words: [&str; 4], lang: Language) -> String {
    let [sv1, sv, en1, en] = words;
    let noun = match (lang, n == 1) {
        (Language::Swedish, true) => sv1,
        (Language::Swedish, false) => sv,
        (Language::English, true) => en1,
        (Language::English, false) => en,
    };
    format!("{n} {noun}")
}

/// The units of a chart: "1 enhet", "3 enheter".
pub(crate) fn units(n: usize, lang: Language) -> String {
    counted(n, ["enhet", "enheter", "unit", "units"], lang)
}

/// The periods of a chart: "1 period", "3 perioder".
pub(crate) fn periods(n: usize, lang: Language) -> String {
    counted(n, ["period", "perioder", "period", "periods"], lang)
}

/// What a point or bar without a value says.
pub(crate) fn missing(lang: Language) -> &'static str {
    lang.pick("uppgift saknas", "no value")
}

/// The note drawn instead of a chart when there is nothing to draw, centred on (`x`, `y`).
pub(crate) fn empty_note(out: &mut String, x: f64, y: f64, lang: Language) {
    let _ = writeln!(
        out,
        "<text class=\"empty\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{}\">{}</text>",
        num(x),
        num(y),
        PALETTE.muted,
        lang.pick("Inga värden att visa", "No values to show")
    );
}

/// `Some` only for a finite number.
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// FNV-1a, 64 bits: a stable hash (std's `DefaultHasher` may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Wraps a chart body in the accessible frame. The id, needed by `aria-labelledby` and any
/// pattern or clip path, is a hash of the content: stable for the same input, and two different
/// charts on one page do not share ids.
pub(crate) fn frame(
    kind: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
    body: &str,
) -> String {
    let mut h = String::with_capacity(kind.len() + title.len() + desc.len() + 2);
    h.push_str(kind);
    h.push('\0');
    h.push_str(title);
    h.push('\0');
    h.push_str(desc);
    let seed = fnv1a(h.as_bytes()) ^ fnv1a(body.as_bytes()).rotate_left(17);
    let id = format!("samsyn-{kind}-{seed:016x}");
    let mut out = String::with_capacity(body.len() + 600);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"samsyn-chart {kind}\" \
         viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"{FONT_FAMILY}\" font-size=\"12\" fill=\"{text}\">\n\
         <title id=\"{id}-title\">{t}</title>\n<desc id=\"{id}-desc\">{d}</desc>\n\
         <rect class=\"background\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n\
         <text class=\"chart-title\" x=\"16\" y=\"26\" font-size=\"16\" font-weight=\"600\" aria-hidden=\"true\">{ts}</text>\n",
        w = num(width),
        h = num(height),
        text = PALETTE.text,
        t = escape(title),
        d = escape(desc),
        ts = escape(&truncate(title, chars_fitting(width - 32.0, 16.0)).unwrap_or_else(|| title.to_owned())),
    );
    out.push_str(&body.replace(ID, &id));
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_in_the_readers_language() {
        let sv = Language::Swedish;
        assert_eq!(format_fixed(1234567.891, 1, sv), "1\u{a0}234\u{a0}567,9");
        assert_eq!(format_fixed(-1234.0, 0, sv), "−1\u{a0}234");
        assert_eq!(format_fixed(-0.001, 1, sv), "0,0");
        assert_eq!(format_fixed(999.0, 0, sv), "999");
        assert_eq!(format_fixed(f64::NAN, 1, sv), "–");
        assert_eq!(format_value(36.66, sv), "36,7");
        assert_eq!(format_value(2.163, sv), "2,16");
        assert_eq!(format_value(12345.6, sv), "12\u{a0}346");
        let en = Language::English;
        assert_eq!(format_fixed(-1234.5, 1, en), "−1,234.5");
        assert_eq!(
            value_with_interval(36.66, Some(30.0), Some(41.25), en),
            "36.7 (CI 30–41.3)"
        );
        assert_eq!(
            value_with_interval(36.66, Some(30.0), Some(41.25), sv),
            "36,7 (KI 30–41,3)"
        );
        assert_eq!(units(1, sv), "1 enhet");
        assert_eq!(units(2, en), "2 units");
        assert_eq!(periods(3, sv), "3 perioder");
    }

    #[test]
    fn text_is_escaped_and_cut() {
        assert_eq!(
            escape("a<b & \"c\">'"),
            "a&lt;b &amp; &quot;c&quot;&gt;&#39;"
        );
        assert_eq!(truncate("Vårdcentralen", 6).as_deref(), Some("Vårdc…"));
        assert_eq!(truncate("kort", 6), None);
        assert_eq!(
            wrap("Mer hälsofrämjande och förebyggande", 20),
            ["Mer hälsofrämjande", "och förebyggande"]
        );
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
    }
}
