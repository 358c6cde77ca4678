//! Tests across all charts: snapshots of one small chart per kind, determinism, escaping, and
//! a helper that writes the example charts to `/tmp/charts/*.svg` for a look in a browser or
//! image viewer (`SAMSYN_WRITE_CHARTS=1 cargo test -p samsyn-core --lib charts`).

use super::*;
use crate::classify::Light;
use crate::number_format::Language::{self, English, Swedish};

fn all_examples() -> Vec<(&'static str, String)> {
    examples_in(Swedish)
}

/// One example chart of each kind, worded in `lang`.
fn examples_in(lang: Language) -> Vec<(&'static str, String)> {
    let (points, limits, baseline) = funnel::tests::example();
    let (units, indicators, cells) = matrix::tests::light_example();
    vec![
        (
            "bar",
            bar_chart(
                "Andel med fast läkarkontakt, 2024",
                "procent",
                &bar::tests::example(),
                Some(("Länet", 47.2)),
                lang,
            ),
        ),
        (
            "trend",
            trend_chart(
                "Andel med fast läkarkontakt",
                "procent",
                &trend::tests::example(),
                lang,
            ),
        ),
        (
            "funnel",
            funnel_chart(
                "Andel med fast läkarkontakt mot antal listade",
                "procent",
                &points,
                &limits,
                baseline,
                lang,
            ),
        ),
        (
            "light_matrix",
            light_matrix(
                "Trafikljus per vårdcentral",
                &units,
                &indicators,
                &cells,
                lang,
            ),
        ),
        (
            "framework_matrix",
            framework_matrix(
                "Indikatorer i God och nära vård",
                &matrix::tests::framework_example(),
                lang,
            ),
        ),
        (
            "spc",
            spc_chart(
                "Kontinuitet per månad, Vårdcentralen Norra",
                &spc::tests::example(),
                lang,
            ),
        ),
    ]
}

/// Awkward inputs, to look at: many periods and series, negative values, long names.
fn edge_examples() -> Vec<(&'static str, String)> {
    let months: Vec<String> = (0..24)
        .map(|m| format!("{}-{:02}", 2023 + m / 12, m % 12 + 1))
        .collect();
    let series: Vec<Series> = (0..8)
        .map(|k| Series {
            label: format!("Vårdcentral nummer {k} med ett ganska långt namn i länet"),
            points: months
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let v = 30.0
                        + f64::from(k) * 4.0
                        + (f64::from(i as u32) * 0.7 + f64::from(k)).sin() * 3.0;
                    SeriesPoint {
                        period: p.clone(),
                        value: Some(v),
                        lower: Some(v - 2.5),
                        upper: Some(v + 2.5),
                    }
                })
                .collect(),
            role: if k == 2 || k == 5 {
                SeriesRole::Highlight
            } else {
                SeriesRole::Context
            },
        })
        .collect();
    let bars = [
        Bar {
            label: "Förändring, Norra".into(),
            value: Some(-3.2),
            lower: Some(-5.0),
            upper: Some(-1.1),
            light: Some(Light::Red),
        },
        Bar {
            label: "Förändring, Söder".into(),
            value: Some(1.4),
            lower: Some(-0.3),
            upper: Some(3.0),
            light: None,
        },
        Bar {
            label: "Förändring, Väster".into(),
            value: Some(12345.0),
            lower: None,
            upper: Some(13000.0),
            light: Some(Light::Green),
        },
    ];
    let units: Vec<String> = (1..=6)
        .map(|i| format!("Hälsocentralen i en mycket lång ortsnamnskombination {i}"))
        .collect();
    let indicators: Vec<String> = (1..=9)
        .map(|i| format!("Indikator {i} med ett långt namn som inte får plats"))
        .collect();
    let lights = [Light::Green, Light::Yellow, Light::Red, Light::Grey];
    let cells: Vec<Vec<Option<MatrixCell>>> = (0..6)
        .map(|r| {
            (0..9)
                .map(|c| {
                    if (r + c) % 5 == 0 {
                        None
                    } else {
                        Some(MatrixCell {
                            light: lights[(r * 3 + c) % 4],
                            text: "Skäl".into(),
                        })
                    }
                })
                .collect()
        })
        .collect();
    let one = [FunnelPoint {
        label: "Ensam".into(),
        denominator: 40.0,
        value: 12.0,
        light: Some(Light::Yellow),
        highlight: true,
    }];
    vec![
        ("edge_trend", trend_chart("Många månader och enheter", "per 1 000 invånare", &series, Swedish)),
        ("edge_bar", bar_chart("Förändring mot föregående år, en mycket lång rubrik som inte får plats på en rad i diagrammet", "procentenheter", &bars, Some(("Riket", 0.5)), Swedish)),
        ("edge_matrix", light_matrix("Många", &units, &indicators, &cells, Swedish)),
        ("edge_funnel", funnel_chart("En punkt", "procent", &one, &[], 12.0, Swedish)),
    ]
}

#[test]
fn write_examples_for_a_look() {
    // Only on request: tests write no files by default.
    if std::env::var_os("SAMSYN_WRITE_CHARTS").is_none() {
        return;
    }
    let dir = std::path::Path::new("/tmp/charts");
    std::fs::create_dir_all(dir).unwrap();
    for (name, svg) in all_examples().into_iter().chain(edge_examples()) {
        std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
    }
}

#[test]
fn every_chart_is_deterministic_and_accessible() {
    let first = all_examples();
    let second = all_examples();
    assert_eq!(first, second);
    for (name, svg) in &first {
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
            "{name}"
        );
        assert!(
            svg.contains("role=\"img\"") && svg.contains("width=\"100%\""),
            "{name}"
        );
        let id_start = svg.find("aria-labelledby=\"").unwrap() + 17;
        let ids = &svg[id_start..id_start + svg[id_start..].find('"').unwrap()];
        let (t, d) = ids.split_once(' ').unwrap();
        assert!(svg.contains(&format!("<title id=\"{t}\">")), "{name}");
        assert!(svg.contains(&format!("<desc id=\"{d}\">")), "{name}");
        assert!(!svg.contains("NaN") && !svg.contains("<ID>"), "{name}");
        assert!(
            !svg.contains("http://") || svg.matches("http://").count() == 1,
            "{name}"
        );
        assert!(
            !svg.contains("<image") && !svg.contains("@import"),
            "{name}"
        );
        // Every colour comes from the palette.
        for part in svg
            .split("fill=\"#")
            .skip(1)
            .chain(svg.split("stroke=\"#").skip(1))
        {
            let colour = format!("#{}", &part[..6]);
            let known = [
                PALETTE.green,
                PALETTE.yellow,
                PALETTE.red,
                PALETTE.grey,
                PALETTE.accent,
                PALETTE.text,
                PALETTE.muted,
                PALETTE.grid,
                PALETTE.on_dark,
                "#f4f5f7",
                "#eef4fb",
            ];
            assert!(
                known.contains(&colour.as_str()) || PALETTE.context.contains(&colour.as_str()),
                "{name}: {colour}"
            );
        }
    }
    // Two different charts never share an id.
    assert_ne!(
        bar_chart("a", "", &[], None, Swedish)
            .split("aria-labelledby")
            .nth(1),
        bar_chart("b", "", &[], None, Swedish)
            .split("aria-labelledby")
            .nth(1)
    );
}

#[test]
fn user_text_is_escaped_everywhere() {
    let evil = "<script>&\"x\"</script>";
    let bars = [Bar {
        label: evil.into(),
        value: Some(1.0),
        lower: None,
        upper: None,
        light: None,
    }];
    let series = [Series {
        label: evil.into(),
        points: vec![SeriesPoint {
            period: evil.into(),
            value: Some(1.0),
            lower: None,
            upper: None,
        }],
        role: SeriesRole::Highlight,
    }];
    let points = [FunnelPoint {
        label: evil.into(),
        denominator: 10.0,
        value: 1.0,
        light: None,
        highlight: true,
    }];
    let cells = vec![vec![Some(MatrixCell {
        light: Light::Red,
        text: evil.into(),
    })]];
    let mut spc_series = spc::tests::example();
    spc_series.indicator = evil.into();
    spc_series.points[0].0 = evil.into();
    let svgs = [
        bar_chart(evil, evil, &bars, Some((evil, 1.0)), Swedish),
        trend_chart(evil, evil, &series, Swedish),
        funnel_chart(evil, evil, &points, &[], 1.0, Swedish),
        light_matrix(evil, &[evil.into()], &[evil.into()], &cells, Swedish),
        framework_matrix(
            evil,
            &[(
                crate::indicators::definition::Shift::PersonCentred,
                crate::indicators::definition::Dimension::Cost,
                vec![evil.into()],
            )],
            Swedish,
        ),
        spc_chart(evil, &spc_series, Swedish),
    ];
    for svg in svgs {
        assert!(!svg.contains("<script") && !svg.contains("\"x\""), "{svg}");
        assert!(svg.contains("&lt;script&gt;&amp;&quot;x&quot;&lt;/script&gt;"));
    }
}

#[test]
fn snapshots_of_small_charts() {
    let bars = bar::tests::example();
    insta::assert_snapshot!(
        "bar",
        bar_chart(
            "Andel",
            "procent",
            &bars[..2],
            Some(("Länet", 47.2)),
            Swedish
        )
    );
    let mut series = trend::tests::example();
    series.truncate(2);
    insta::assert_snapshot!("trend", trend_chart("Andel", "procent", &series, Swedish));
    let (points, limits, baseline) = funnel::tests::example();
    let limits: Vec<FunnelLimit> = limits.into_iter().step_by(12).collect();
    insta::assert_snapshot!(
        "funnel",
        funnel_chart("Andel", "procent", &points[..2], &limits, baseline, Swedish)
    );
    let (units, indicators, cells) = matrix::tests::light_example();
    insta::assert_snapshot!(
        "light_matrix",
        light_matrix("Översikt", &units[..2], &indicators[..2], &cells, Swedish)
    );
    insta::assert_snapshot!(
        "framework_matrix",
        framework_matrix("Ramverk", &matrix::tests::framework_example()[..2], Swedish)
    );
    let mut s = spc::tests::example();
    s.points.truncate(4);
    insta::assert_snapshot!("spc", spc_chart("Kontinuitet", &s, Swedish));
}

/// Checks that `svg` is well formed: every tag closed in order, attributes quoted, no stray
/// `<`, `>` or `&` in text.
fn assert_well_formed(svg: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        assert!(!text.contains('>'), "stray > in {text:?}");
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                    .iter()
                    .any(|e| entity.starts_with(e)),
                "bare & in {text:?}"
            );
        }
        let close = rest[open..].find('>').expect("unclosed tag") + open;
        let tag = &rest[open + 1..close];
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
        assert!(!tag.contains('<'), "< inside <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            let name = tag.split_whitespace().next().unwrap_or("");
            stack.push(name);
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert!(
        !svg.contains("NaN") && !svg.contains("inf\""),
        "non-finite number"
    );
}

/// The words a chart itself writes (not its labels) in Swedish, none of which may be left in a
/// chart drawn in English.
const SWEDISH_CHROME: &[&str] = &[
    "enhet",
    "perioder",
    "Stapeldiagram",
    "Linjediagram",
    "Trattdiagram",
    "Styrdiagram",
    "Matris",
    "Ramverk",
    "Jämförelse",
    "Baslinje",
    "gränser",
    "Nämnare",
    "nämnare",
    "KI ",
    "grön",
    "gul",
    "röd",
    "klassad",
    "uppgift",
    "Ingen indikator",
    "Medellinje",
    "Särskild",
];

#[test]
fn every_chart_speaks_english_when_asked() {
    for (name, svg) in examples_in(English) {
        let left: Vec<&str> = SWEDISH_CHROME
            .iter()
            .filter(|w| svg.contains(**w))
            .copied()
            .collect();
        assert!(left.is_empty(), "{name} in English still says {left:?}");
        assert_well_formed(&svg);
    }
    let bar = examples_in(English).remove(0).1;
    assert!(bar.contains("Bar chart, 5 units"), "{bar}");
    assert!(bar.contains("Compared with: Länet 47.2."), "{bar}");
    assert!(bar.contains("(CI "), "{bar}");
    let funnel = &examples_in(English)[2].1;
    assert!(funnel.contains(">99.8% limits</text>") && funnel.contains(">Denominator</text>"));
    assert!(funnel.contains("denominator 1,200"), "{funnel}");
    let framework = &examples_in(English)[4].1;
    assert!(framework.contains(">No indicator</text>") && framework.contains(">Quality</text>"));
    assert!(framework.contains("More accessible care"));
    // The Swedish words of the same charts are still there in Swedish.
    let sv = examples_in(Swedish);
    assert!(sv[0].1.contains("Stapeldiagram, 5 enheter") && sv[0].1.contains("(KI "));
    assert!(sv[4].1.contains(">Ingen indikator</text>") && sv[4].1.contains(">Kvalitet</text>"));
}

#[test]
fn examples_are_well_formed() {
    for (name, svg) in all_examples().into_iter().chain(edge_examples()) {
        assert_well_formed(&svg);
        let _ = name;
    }
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    fn number() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => -1e6..1e6f64,
            1 => proptest::num::f64::ANY,
            1 => Just(0.0),
            1 => Just(f64::NAN),
        ]
    }

    fn opt_number() -> impl Strategy<Value = Option<f64>> {
        proptest::option::of(number())
    }

    fn light() -> impl Strategy<Value = Light> {
        prop_oneof![
            Just(Light::Green),
            Just(Light::Yellow),
            Just(Light::Red),
            Just(Light::Grey)
        ]
    }

    proptest! {
        #[test]
        fn bars(bars in proptest::collection::vec(
            (".{0,60}", opt_number(), opt_number(), opt_number(), proptest::option::of(light())), 0..8),
            bench in proptest::option::of(number()), title in ".{0,80}", unit in ".{0,20}") {
            let bars: Vec<Bar> = bars.into_iter().map(|(label, value, lower, upper, light)| Bar { label, value, lower, upper, light }).collect();
            let svg = bar_chart(&title, &unit, &bars, bench.map(|b| ("Länet", b)), Swedish);
            assert_well_formed(&svg);
            let shown = bars.iter().filter(|b| b.value.is_some_and(f64::is_finite)).count();
            prop_assert_eq!(svg.matches("<rect class=\"bar\"").count(), shown);
        }

        #[test]
        fn trends(series in proptest::collection::vec(
            (".{0,30}", proptest::collection::vec(("[0-9]{1,2}", opt_number(), opt_number(), opt_number()), 0..6), 0..3u8), 0..10)) {
            // Up to 9 lines: more context lines than are drawn one by one, too (the range band).
            let series: Vec<Series> = series.into_iter().map(|(label, points, role)| Series {
                role: [SeriesRole::Context, SeriesRole::Highlight, SeriesRole::Benchmark][usize::from(role)],
                label,
                points: points.into_iter().map(|(period, value, lower, upper)| SeriesPoint { period, value, lower, upper }).collect(),
            }).collect();
            assert_well_formed(&trend_chart("t", "u", &series, Swedish));
        }

        #[test]
        fn funnels(points in proptest::collection::vec((".{0,30}", number(), number(), any::<bool>()), 0..6),
                   limits in proptest::collection::vec((number(), number(), number(), number(), number()), 0..6),
                   baseline in number()) {
            let points: Vec<FunnelPoint> = points.into_iter().map(|(label, denominator, value, highlight)| FunnelPoint { label, denominator, value, light: None, highlight }).collect();
            let limits: Vec<FunnelLimit> = limits.into_iter().map(|(denominator, lower_95, upper_95, lower_998, upper_998)| FunnelLimit { denominator, lower_95, upper_95, lower_998, upper_998 }).collect();
            assert_well_formed(&funnel_chart("t", "u", &points, &limits, baseline, Swedish));
        }

        #[test]
        fn matrices(units in proptest::collection::vec(".{0,40}", 0..4), indicators in proptest::collection::vec(".{0,40}", 0..4),
                    cells in proptest::collection::vec(proptest::collection::vec(proptest::option::of((light(), ".{0,20}")), 0..5), 0..5)) {
            let cells: Vec<Vec<Option<MatrixCell>>> = cells.into_iter().map(|row| row.into_iter().map(|c| c.map(|(light, text)| MatrixCell { light, text })).collect()).collect();
            assert_well_formed(&light_matrix("t", &units, &indicators, &cells, Swedish));
        }
    }
}
