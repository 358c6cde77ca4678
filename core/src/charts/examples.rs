//! Tests across all charts: snapshots of one small chart per kind, determinism, escaping, and
//! a helper that writes the example charts to `/tmp/charts/*.svg` for a look in a browser or
//! image viewer (`SAMSYN_WRITE_CHARTS=1 cargo test -p samsyn-core --lib charts`).

use super::*;
use crate::classify::Light;

fn all_examples() -> Vec<(&'static str, String)> {
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
            ),
        ),
        (
            "trend",
            trend_chart(
                "Andel med fast läkarkontakt",
                "procent",
                &trend::tests::example(),
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
            ),
        ),
        (
            "light_matrix",
            light_matrix("Trafikljus per vårdcentral", &units, &indicators, &cells),
        ),
        (
            "framework_matrix",
            framework_matrix(
                "Indikatorer i God och nära vård",
                &matrix::tests::framework_example(),
            ),
        ),
        (
            "spc",
            spc_chart(
                "Kontinuitet per månad, Vårdcentralen Norra",
                &spc::tests::example(),
            ),
        ),
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
    for (name, svg) in all_examples() {
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
            assert!(known.contains(&colour.as_str()), "{name}: {colour}");
        }
    }
    // Two different charts never share an id.
    assert_ne!(
        bar_chart("a", "", &[], None)
            .split("aria-labelledby")
            .nth(1),
        bar_chart("b", "", &[], None)
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
        highlight: true,
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
        bar_chart(evil, evil, &bars, Some((evil, 1.0))),
        trend_chart(evil, evil, &series),
        funnel_chart(evil, evil, &points, &[], 1.0),
        light_matrix(evil, &[evil.into()], &[evil.into()], &cells),
        framework_matrix(
            evil,
            &[(
                crate::indicators::definition::Shift::PersonCentred,
                crate::indicators::definition::Dimension::Cost,
                vec![evil.into()],
            )],
        ),
        spc_chart(evil, &spc_series),
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
        bar_chart("Andel", "procent", &bars[..2], Some(("Länet", 47.2)))
    );
    let mut series = trend::tests::example();
    series.truncate(2);
    insta::assert_snapshot!("trend", trend_chart("Andel", "procent", &series));
    let (points, limits, baseline) = funnel::tests::example();
    let limits: Vec<FunnelLimit> = limits.into_iter().step_by(12).collect();
    insta::assert_snapshot!(
        "funnel",
        funnel_chart("Andel", "procent", &points[..2], &limits, baseline)
    );
    let (units, indicators, cells) = matrix::tests::light_example();
    insta::assert_snapshot!(
        "light_matrix",
        light_matrix("Översikt", &units[..2], &indicators[..2], &cells)
    );
    insta::assert_snapshot!(
        "framework_matrix",
        framework_matrix("Ramverk", &matrix::tests::framework_example()[..2])
    );
    let mut s = spc::tests::example();
    s.points.truncate(4);
    insta::assert_snapshot!("spc", spc_chart("Kontinuitet", &s));
}
