//! Indicators on small hand-checkable data (issue 6): every number, light and roll-up verdict is
//! worked out in the comments. The spec is `tests/data/indicators/hand_spec.json`.
//!
//! Data: county 24, kommuner 2480 (DeSO 2480C1010, 2480C1020) and 2481 (2481A0010, and
//! 2481A0020 which has events but is missing from the population table). Population per DeSO,
//! sex and band 60-64 … 90+: 100 (2480C1010), 50 (2480C1020), 25 (2481A0010), in 2022 and 2023;
//! so 65+ (6 bands × 2 sexes): 1200, 600, 300; county 2100.

use std::path::PathBuf;

use samsyn_core::classify::Light;
use samsyn_core::indicators::{compile, run_in_memory, IndicatorSpec, Level, Results};
use samsyn_core::rollup::{Scope, Verdict};
use samsyn_core::standard_pop::StandardPopulation;
use samsyn_core::stats::{crude_rate, dsr_aligned, mean, Confidence, DsrConfig};

fn spec() -> IndicatorSpec {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/indicators/hand_spec.json");
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

const BANDS: [&str; 7] = ["60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"];

fn population(desos: &[(&str, u32)]) -> String {
    let mut s = String::from("year,deso,sex,age_band,population\n");
    for year in [2022, 2023] {
        for (deso, pop) in desos {
            for sex in ["K", "M"] {
                for band in BANDS {
                    s.push_str(&format!("{year},{deso},{sex},{band},{pop}\n"));
                }
            }
        }
    }
    s
}

/// (date, deso, health centre, age, type, value) × n
fn events(rename: Option<&str>) -> String {
    // Each event has an id: rows that repeat an earlier row field for field are refused.
    let mut s = String::from("id,date,deso,vardcentral,sex,age,event_type,value\n");
    let mut id = 0;
    let mut add = |n: usize, date: &str, deso: &str, vc: &str, age: u32, t: &str, v: &str| {
        let deso = rename.unwrap_or(deso);
        for _ in 0..n {
            id += 1;
            s.push_str(&format!("{id},{date},{deso},{vc},K,{age},{t},{v}\n"));
        }
    };
    // Falls 2023 at age 70: 48, 6, 0, and 3 in the DeSO without population.
    add(
        48,
        "2023-03-15",
        "2480C1010",
        "VC A",
        70,
        "fall_injury",
        "1",
    );
    add(6, "2023-03-15", "2480C1020", "VC B", 70, "fall_injury", "1");
    add(3, "2023-03-15", "2481A0020", "VC D", 70, "fall_injury", "1");
    // A fall at 62 is outside the indicator's ages.
    add(1, "2023-03-15", "2480C1010", "VC A", 62, "fall_injury", "1");
    // Falls 2022: 24, 12, 3.
    add(
        24,
        "2022-05-01",
        "2480C1010",
        "VC A",
        70,
        "fall_injury",
        "1",
    );
    add(
        12,
        "2022-05-01",
        "2480C1020",
        "VC B",
        70,
        "fall_injury",
        "1",
    );
    add(3, "2022-05-01", "2481A0010", "VC D", 70, "fall_injury", "1");
    // Care requests 2023 by listing: A 18 of 20, B 0 of 10, C 3 of 3, D 7 of 10.
    add(18, "2023-02-01", "2480C1010", "VC A", 70, "assessed", "1");
    add(2, "2023-02-01", "2480C1010", "VC A", 70, "assessed", "0");
    add(10, "2023-02-01", "2480C1020", "VC B", 70, "assessed", "0");
    add(3, "2023-02-01", "2481A0010", "VC C", 70, "assessed", "1");
    add(7, "2023-02-01", "2481A0010", "VC D", 70, "assessed", "1");
    add(3, "2023-02-01", "2481A0010", "VC D", 70, "assessed", "0");
    // Home visits 2023: 4 in 2480, 1 in 2481.
    add(4, "2023-06-01", "2480C1010", "VC A", 70, "home_visit", "1");
    add(1, "2023-06-01", "2481A0010", "VC D", 70, "home_visit", "1");
    // Admissions 2023, length of stay 2, 4, 6 in 2480C1010; 10 in 2481A0010.
    for v in ["2", "4", "6"] {
        add(1, "2023-09-01", "2480C1010", "VC A", 70, "admission", v);
    }
    add(1, "2023-09-01", "2481A0010", "VC D", 70, "admission", "10");
    s
}

const AREAS: &str = "deso,vardcentral\n2480C1010,VC A\n2480C1020,VC B\n2481A0010,VC D\n";

fn run(events: &str, population: &str, levels: &[&str]) -> Results {
    let levels: Vec<Level> = levels.iter().map(|l| Level::parse(l).unwrap()).collect();
    run_in_memory(
        &spec(),
        &[
            ("events", "events.csv", events.as_bytes()),
            ("population", "population.csv", population.as_bytes()),
            ("areas", "areas.csv", AREAS.as_bytes()),
        ],
        &levels,
    )
    .unwrap()
}

fn pop4() -> String {
    population(&[("2480C1010", 100), ("2480C1020", 50), ("2481A0010", 25)])
}

fn table<'a>(r: &'a Results, id: &str, level: &str) -> &'a samsyn_core::indicators::LevelTable {
    r.tables
        .iter()
        .find(|t| t.indicator == id && t.level.file_name() == level)
        .unwrap_or_else(|| panic!("no table {id} {level}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn rates_with_low_is_good_benchmark_lights_zero_and_too_few_cases() {
    let r = run(
        &events(None),
        &pop4(),
        &["deso,year", "kommun,year", "lan,year"],
    );
    let t = table(&r, "falls65", "deso_year");
    let get = |d: &str| t.row(&[d], Some("2023")).unwrap();
    // 48 / 1200 × 1000 = 40; county 57 / 2100 × 1000 = 27.14; Byar's lower limit 29.5 > 27.14:
    // worse than the county, and low is good → red.
    let a = get("2480C1010");
    assert_eq!((a.numerator, a.denominator), (48.0, 1200.0));
    assert!(close(a.value.unwrap(), 40.0));
    let ci = crude_rate(48.0, 1200.0, 1000.0, Confidence::p95()).unwrap();
    assert!(close(a.lower.unwrap(), ci.lower) && close(a.upper.unwrap(), ci.upper));
    assert_eq!(a.light, Light::Red);
    assert_eq!(
        a.reason.swedish(),
        format!(
            "Sämre än länet: 40 (95 % KI {}–{}) mot 27,1",
            samsyn_core::classify::format_number(ci.lower),
            samsyn_core::classify::format_number(ci.upper)
        )
    );
    // Change from 2022: 24/1200 × 1000 = 20 → +20.
    assert!(close(a.change.unwrap(), 20.0));
    // 6 / 600 × 1000 = 10; exact upper limit 21.8 < 27.14 → better → green.
    let b = get("2480C1020");
    assert!(close(b.value.unwrap(), 10.0));
    assert_eq!(b.light, Light::Green);
    // Zero cases in 300: a value of 0, but 0 < 5 cases → not classified.
    let c = get("2481A0010");
    assert_eq!(
        (c.numerator, c.denominator, c.value),
        (0.0, 300.0, Some(0.0))
    );
    assert_eq!(c.light, Light::Grey);
    assert_eq!(c.reason.swedish(), "För få fall: 0 (minst 5)");
    // The DeSO missing from the population: 3 falls, no denominator, no value.
    let d = get("2481A0020");
    assert_eq!((d.numerator, d.denominator, d.value), (3.0, 0.0, None));
    assert_eq!(d.light, Light::Grey);
    assert!(
        d.reason.swedish().starts_with("Nämnaren är 0"),
        "{}",
        d.reason.swedish()
    );
    assert!(r.hierarchy.iter().any(|h| h.indicator == "falls65"
        && h.message.starts_with(
            "2481A0020 2023: 3 in the numerator ('events') but no denominator in 'population'"
        )));
    // Kommun: 2480 54/1800 = 30, CI 22.5–39.1 holds 27.14 → yellow; 2481: 3 cases → grey.
    let k = table(&r, "falls65", "kommun_year");
    let k2480 = k.row(&["2480"], Some("2023")).unwrap();
    assert!(close(k2480.value.unwrap(), 30.0));
    assert_eq!(k2480.light, Light::Yellow);
    assert_eq!(k.row(&["2481"], Some("2023")).unwrap().light, Light::Grey);
    // County: pooled 57 / 2100.
    let l = table(&r, "falls65", "lan_year")
        .row(&["24"], Some("2023"))
        .unwrap();
    assert_eq!((l.numerator, l.denominator), (57.0, 2100.0));
    // Kommun numerators and denominators add up to the county's.
    assert!(
        !r.hierarchy.iter().any(|h| h.level == "kommun_year"),
        "{:?}",
        r.hierarchy
    );

    // Roll-up: kommuner 2023: 1 yellow of 1 coloured → predominantly yellow.
    let ru = r
        .rollup
        .iter()
        .find(|x| {
            x.indicator == "falls65"
                && x.level == "kommun_year"
                && x.period.as_deref() == Some("2023")
        })
        .unwrap();
    assert_eq!(
        (ru.green, ru.yellow, ru.red, ru.not_classified),
        (0, 1, 0, 1)
    );
    assert_eq!(ru.verdict, Verdict::MostlyYellow);
    assert_eq!(
        ru.text,
        "Övervägande gul: Länsövergripande insatser. 1 enheter kunde inte klassas (för få fall eller inget värde)."
    );
    // DeSO 2023 over the county: 1 green, 1 red → mixed; the red DeSO is named.
    let rd = r
        .rollup
        .iter()
        .find(|x| {
            x.indicator == "falls65"
                && x.level == "deso_year"
                && x.scope == Scope::County
                && x.period.as_deref() == Some("2023")
        })
        .unwrap();
    assert_eq!(
        (rd.green, rd.yellow, rd.red, rd.not_classified),
        (1, 0, 1, 2)
    );
    assert_eq!(rd.verdict, Verdict::Mixed);
    assert_eq!(rd.red_units, vec!["2480C1010"]);
    // Within kommun 2480 the same two DeSO are read out for the kommun.
    assert!(r.rollup.iter().any(|x| x.indicator == "falls65"
        && x.scope == Scope::Kommun
        && x.scope_unit == "2480"
        && x.period.as_deref() == Some("2023")
        && x.verdict == Verdict::Mixed));
}

#[test]
fn shares_with_targets_zero_numerator_and_red_units_listed() {
    let r = run(&events(None), &pop4(), &["provider,year"]);
    let t = table(&r, "assessed", "provider_year");
    let get = |p: &str| t.row(&[p], Some("2023")).unwrap();
    // 18/20 = 90 % ≥ 80 → green; 0/10 = 0 % < 70 → red (zero cases, enough requests);
    // 3/3 too few (3 < 5) → grey; 7/10 = 70 %, between the cut-offs → yellow.
    assert!(close(get("VC A").value.unwrap(), 90.0));
    assert_eq!(get("VC A").light, Light::Green);
    assert_eq!(
        get("VC A").reason.swedish(),
        "Når målet: 90 (gräns för grönt 80)"
    );
    assert_eq!(
        (get("VC B").numerator, get("VC B").denominator),
        (0.0, 10.0)
    );
    assert_eq!(get("VC B").light, Light::Red);
    assert_eq!(get("VC C").light, Light::Grey);
    assert_eq!(get("VC C").reason.swedish(), "För få fall: 3 (minst 5)");
    assert_eq!(get("VC D").light, Light::Yellow);
    let ru = r
        .rollup
        .iter()
        .find(|x| x.indicator == "assessed" && x.period.as_deref() == Some("2023"))
        .unwrap();
    assert_eq!(
        (ru.green, ru.yellow, ru.red, ru.not_classified),
        (1, 1, 1, 1)
    );
    assert_eq!(ru.verdict, Verdict::Mixed);
    assert_eq!(ru.red_units, vec!["VC B"]);
    // Per unit: VC B has its share red.
    let vb = r
        .units
        .iter()
        .find(|u| u.unit == "VC B" && u.period.as_deref() == Some("2023"))
        .unwrap();
    assert_eq!(vb.red, vec!["assessed"]);
}

#[test]
fn dsr_isr_count_and_mean_are_the_stats_functions_on_pooled_cells() {
    let r = run(&events(None), &pop4(), &["kommun,year", "deso,year"]);
    // DSR 2480 2023: all 54 falls in 70-74; population 300 in each 65+ band.
    let esp65 = StandardPopulation::esp2013().from_age(65).unwrap();
    let mut counts = [0.0; 6];
    counts[1] = 54.0;
    let want = dsr_aligned(&esp65, &counts, &[300.0; 6], &DsrConfig::default()).unwrap();
    let d = table(&r, "falls_dsr", "kommun_year")
        .row(&["2480"], Some("2023"))
        .unwrap();
    assert!(close(d.value.unwrap(), want.value.unwrap()));
    assert!(close(d.lower.unwrap(), want.lower.unwrap()));
    // 54 × 5000/300 / 19500 × 1e5 = 4615.4 > 2000, lower limit above 2000 → red against the nation.
    assert_eq!(d.light, Light::Red);
    assert!(
        d.reason
            .swedish()
            .starts_with("Sämre än riket: 4615 (95 % KI "),
        "{}",
        d.reason.swedish()
    );
    // 2481: 3 falls < 10 → PHE gives no DSR.
    let d = table(&r, "falls_dsr", "kommun_year")
        .row(&["2481"], Some("2023"))
        .unwrap();
    assert_eq!(d.value, None);
    assert!(
        d.reason
            .swedish()
            .starts_with("Ingen DSR: färre än 10 fall"),
        "{}",
        d.reason.swedish()
    );
    // ISR against the pooled county: reference 57/350 in 70-74; 2480: E = 300 × 57/350.
    let i = table(&r, "falls_isr", "kommun_year")
        .row(&["2480"], Some("2023"))
        .unwrap();
    let e = 300.0 * 57.0 / 350.0;
    assert!(close(i.denominator, e));
    assert!(close(i.value.unwrap(), 54.0 / e * 100.0));
    // Count, no judgement: 4 home visits in 2480, grey.
    let c = table(&r, "home_visits", "kommun_year")
        .row(&["2480"], Some("2023"))
        .unwrap();
    assert_eq!((c.value, c.light), (Some(4.0), Light::Grey));
    // Mean length of stay in 2480C1010: 2, 4, 6 → 4 with t limits; one stay in 2481A0010 → none.
    let m = table(&r, "los", "deso_year")
        .row(&["2480C1010"], Some("2023"))
        .unwrap();
    let want = mean(&[2.0, 4.0, 6.0], Confidence::p95()).unwrap();
    assert!(close(m.value.unwrap(), 4.0));
    assert!(close(m.lower.unwrap(), want.lower) && close(m.upper.unwrap(), want.upper));
    let m = table(&r, "los", "deso_year")
        .row(&["2481A0010"], Some("2023"))
        .unwrap();
    assert_eq!(m.value, None);
}

/// The county value is the value of the pooled lower-level data, for every measure type: the
/// same data with every DeSO code replaced by one gives the same county results.
#[test]
fn county_equals_pooled_lower_level_data_for_every_measure_type() {
    let levels = ["lan,year", "kommun,year", "deso,year"];
    let split = run(&events(None), &pop4(), &levels);
    let pooled_pop = population(&[("2480C1010", 100), ("2480C1010", 50), ("2480C1010", 25)]);
    let pooled = run(&events(Some("2480C1010")), &pooled_pop, &levels);
    let ids = [
        "falls65",
        "assessed",
        "falls_dsr",
        "falls_isr",
        "home_visits",
        "los",
    ];
    for id in ids {
        for year in ["2022", "2023"] {
            let a = table(&split, id, "lan_year").row(&["24"], Some(year));
            let b = table(&pooled, id, "lan_year").row(&["24"], Some(year));
            let (Some(a), Some(b)) = (a, b) else {
                assert_eq!(a.is_none(), b.is_none(), "{id} {year}");
                continue;
            };
            assert_eq!(a.numerator, b.numerator, "{id} {year}");
            assert!(close(a.denominator, b.denominator), "{id} {year}");
            match (a.value, b.value) {
                (Some(x), Some(y)) => assert!(close(x, y), "{id} {year}: {x} vs {y}"),
                (x, y) => assert_eq!(x, y, "{id} {year}"),
            }
        }
        // And the kommuner add up to the county (no add-up issue at any level).
        let sum: f64 = table(&split, id, "kommun_year")
            .rows
            .iter()
            .filter(|r| r.period.as_deref() == Some("2023"))
            .map(|r| r.numerator)
            .sum();
        let county = table(&split, id, "lan_year")
            .row(&["24"], Some("2023"))
            .unwrap();
        assert!(close(sum, county.numerator), "{id}");
    }
    assert!(
        !split.hierarchy.iter().any(|h| !h.level.is_empty()),
        "{:?}",
        split.hierarchy
    );
}

#[test]
fn bad_specs_name_the_indicator_and_field() {
    let mut s = spec();
    s.indicators[0].denominator.as_mut().unwrap().source = "befolkning".into();
    assert_eq!(
        compile(&s).unwrap_err().to_string(),
        "indicator 'falls65': denominator.source names the data source 'befolkning', which is not among the sources (events, population)"
    );
    let mut s = spec();
    s.sources.get_mut("population").unwrap().age_band = None;
    assert_eq!(
        compile(&s).unwrap_err().to_string(),
        "indicator 'falls65': a restriction by ages needs ages, but the source 'population' (denominator.source) has neither an `age` nor an `age_band` column"
    );
    let mut s = spec();
    s.indicators[0].ages.min = Some(66);
    assert!(compile(&s)
        .unwrap_err()
        .to_string()
        .contains("ages.min 66 is not the start of a 5-year band"));
    // An unknown column is named with the indicator when the file is read.
    let mut s = spec();
    s.indicators[1].numerator.conditions[0].column = "typ".into();
    let e = run_in_memory(
        &s,
        &[
            ("events", "events.csv", events(None).as_bytes()),
            ("population", "population.csv", pop4().as_bytes()),
            ("areas", "areas.csv", AREAS.as_bytes()),
        ],
        &[Level::parse("lan").unwrap()],
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with(
            "events.csv: no column for the column 'typ' of indicator 'assessed' (numerator.where)"
        ),
        "{e}"
    );
    // A level the data cannot give is named.
    let e = run_in_memory(
        &spec(),
        &[
            ("events", "events.csv", events(None).as_bytes()),
            ("population", "population.csv", pop4().as_bytes()),
            ("areas", "areas.csv", AREAS.as_bytes()),
        ],
        &[Level::parse("team").unwrap()],
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "indicator 'falls65': the level team needs a mapping provider → team, which the source 'events' does not have"
    );
}

#[test]
fn bad_rows_are_problems_with_locations_not_panics() {
    let mut ev = events(None);
    ev.push_str("b1,2023-13-01,2480C1010,VC A,K,70,fall_injury,1\n");
    ev.push_str("b2,2023-03-01,2480X1010,VC A,K,70,fall_injury,1\n");
    ev.push_str("b3,2023-03-01,2480C1010,VC A,K,70,admission,lång\n");
    let r = run(&ev, &pop4(), &["lan,year"]);
    let (_, p) = r.problems.iter().find(|(n, _)| n == "events").unwrap();
    let msgs: Vec<String> = p.kept.iter().map(|p| p.to_string()).collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert!(
        msgs[0].starts_with("events.csv, row 151, column 'date': '2023-13-01' is not a date"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].starts_with("events.csv, row 152, column 'deso':"),
        "{msgs:?}"
    );
    assert!(
        msgs[2].starts_with("events.csv, row 153, column 'value': 'lång' is not a number"),
        "{msgs:?}"
    );
}

/// Months: a year-only population is spread as person-time (1/12 a month), and shares and rates
/// by month get p- and u-charts.
#[test]
fn months_spread_the_population_and_get_control_charts() {
    let r = run(&events(None), &pop4(), &["lan,month"]);
    let t = table(&r, "falls65", "lan_month");
    let march = t.row(&["24"], Some("2023-03")).unwrap();
    // 57 falls in March 2023; 65+ population 2100 a year → 175 person-years a month.
    assert_eq!(march.numerator, 57.0);
    assert!(close(march.denominator, 175.0));
    assert!(close(march.value.unwrap(), 57.0 / 175.0 * 1000.0));
    // Months without falls still have their population.
    assert_eq!(t.row(&["24"], Some("2023-04")).unwrap().numerator, 0.0);
    let falls = r.spc.iter().find(|s| s.indicator == "falls65").unwrap();
    assert_eq!(falls.kind, samsyn_core::spc::ChartKind::U);
    assert_eq!(falls.points.len(), 24);
    let assessed = r.spc.iter().find(|s| s.indicator == "assessed").unwrap();
    assert_eq!(assessed.kind, samsyn_core::spc::ChartKind::P);
    assert_eq!(assessed.points[0].0, "2023-02");
    // One month only: its value is the centre line.
    assert!(close(assessed.points[0].1.centre, 28.0 / 43.0 * 100.0));
}

/// Hierarchies from mapping files (kommun → sub-region, health centre → team), age groups, sex,
/// and the previous period as benchmark.
#[test]
fn mapped_levels_age_groups_sex_and_previous_period() {
    use samsyn_core::indicators::{Against, AgeGroup, LightRule, MapFrom, MapTo, MappingSpec};
    let mut s = spec();
    s.mappings.push(MappingSpec {
        source: "regions".into(),
        from: MapFrom::Kommun,
        to: MapTo::Subregion,
        from_column: "kommun".into(),
        to_column: "nsv".into(),
    });
    s.mappings.push(MappingSpec {
        source: "teams".into(),
        from: MapFrom::Provider,
        to: MapTo::Team,
        from_column: "vc".into(),
        to_column: "team".into(),
    });
    s.age_groups = vec![
        AgeGroup {
            name: "65-79".into(),
            min: 65,
            max: Some(79),
        },
        AgeGroup {
            name: "80+".into(),
            min: 80,
            max: None,
        },
    ];
    s.indicators[0].light = LightRule::Benchmark {
        against: Against::Previous,
        levels: Default::default(),
        name: None,
    };
    let levels: Vec<Level> = [
        "subregion,year",
        "team,year",
        "age_group,year",
        "sex,year",
        "deso,year",
    ]
    .iter()
    .map(|l| Level::parse(l).unwrap())
    .collect();
    let (ev, pop) = (events(None), pop4());
    let r = run_in_memory(
        &s,
        &[
            ("events", "events.csv", ev.as_bytes()),
            ("population", "population.csv", pop.as_bytes()),
            ("areas", "areas.csv", AREAS.as_bytes()),
            (
                "regions",
                "regions.csv",
                "kommun,nsv\n2480,Södra\n2481,Norra\n".as_bytes(),
            ),
            (
                "teams",
                "teams.csv",
                b"vc,team\nVC A,Team 1\nVC B,Team 1\nVC D,Team 2\n",
            ),
        ],
        &levels,
    )
    .unwrap();
    let nd = |level: &str, key: &str| {
        let row = table(&r, "falls65", level)
            .row(&[key], Some("2023"))
            .unwrap();
        (row.numerator, row.denominator)
    };
    assert_eq!(nd("subregion_year", "Södra"), (54.0, 1800.0));
    assert_eq!(nd("subregion_year", "Norra"), (3.0, 300.0));
    // Falls by listing (A 48, B 6, D 3), population by catchment (A 1200, B 600, D 300).
    assert_eq!(nd("team_year", "Team 1"), (54.0, 1800.0));
    assert_eq!(nd("team_year", "Team 2"), (3.0, 300.0));
    // All falls at 70; 65-79 has three bands × 2 sexes × (100 + 50 + 25) = 1050.
    assert_eq!(nd("age_group_year", "65-79"), (57.0, 1050.0));
    assert_eq!(nd("age_group_year", "80+"), (0.0, 1050.0));
    assert_eq!(nd("sex_year", "K"), (57.0, 1050.0));
    assert_eq!(nd("sex_year", "M"), (0.0, 1050.0));
    // Against the previous period: 40 in 2023 vs 20 in 2022, the interval excludes 20 → worse.
    let d = table(&r, "falls65", "deso_year");
    let a = d.row(&["2480C1010"], Some("2023")).unwrap();
    assert_eq!(a.light, Light::Red);
    assert!(
        a.reason
            .swedish()
            .starts_with("Sämre än föregående period: 40 (95 % KI "),
        "{}",
        a.reason.swedish()
    );
    assert!(
        a.reason.swedish().ends_with(" mot 20"),
        "{}",
        a.reason.swedish()
    );
    let first = d.row(&["2480C1010"], Some("2022")).unwrap();
    assert_eq!(
        first.reason.swedish(),
        "Inget värde för föregående period att jämföra med"
    );
    // Care requests of VC C, which no team mapping covers, are shown as unmapped and reported.
    let t = table(&r, "assessed", "team_year");
    assert!(t.row(&["(saknas)"], Some("2023")).is_some());
    assert!(r.hierarchy.iter().any(|h| h.indicator == "assessed"
        && h.level == "team_year"
        && h.message.contains("belong to no unit of this level")));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    const DESOS: [&str; 5] = [
        "2480C1010",
        "2480C1020",
        "2481A0010",
        "2481A0020",
        "2422A0010",
    ];
    const TYPES: [&str; 4] = ["fall_injury", "assessed", "home_visit", "admission"];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Municipalities and DeSO areas roll up to the county figure: numerators and
        /// denominators add up for every measure type, and the county's rate and share are its
        /// pooled numerator over its pooled denominator.
        #[test]
        fn lower_levels_add_up_to_the_county(
            pops in proptest::collection::vec(1u32..200, 5),
            rows in proptest::collection::vec((0usize..5, 2022u32..2024, 0usize..4, 0u32..3, 60u32..100), 1..150),
        ) {
            let mut ev = String::from("id,date,deso,vardcentral,sex,age,event_type,value\n");
            for (id, (d, y, t, v, age)) in rows.iter().enumerate() {
                ev.push_str(&format!("{id},{y}-04-01,{},VC {d},K,{age},{},{v}\n", DESOS[*d], TYPES[*t]));
            }
            let pop = population(&DESOS.iter().copied().zip(pops.iter().copied()).collect::<Vec<_>>());
            let r = run(&ev, &pop, &["lan,year", "kommun,year", "deso,year", "provider,year"]);
            for t in r.tables.iter().filter(|t| t.level.file_name() == "lan_year") {
                for c in &t.rows {
                    for level in ["kommun_year", "deso_year", "provider_year"] {
                        let (n, d) = table(&r, &t.indicator, level)
                            .rows
                            .iter()
                            .filter(|x| x.period == c.period)
                            .fold((0.0, 0.0), |(a, b), x| (a + x.numerator, b + x.denominator));
                        prop_assert!(close(n, c.numerator), "{} {level}", t.indicator);
                        prop_assert!(close(d, c.denominator), "{} {level}", t.indicator);
                    }
                    if t.indicator == "falls65" || t.indicator == "assessed" {
                        let m = if t.indicator == "falls65" { 1000.0 } else { 100.0 };
                        if let Some(v) = c.value {
                            prop_assert!(close(v, c.numerator / c.denominator * m));
                        }
                    }
                    if t.indicator == "falls_isr" && c.value.is_some() {
                        // The county against its own pooled rates: observed = expected.
                        prop_assert!(close(c.value.unwrap(), 100.0));
                    }
                }
            }
        }
    }
}

/// A trend light over three years: falls 12 → 24 → 48 in a population of 1200 aged 65+ is a
/// significant worsening (low is good); the first two years have too few periods.
#[test]
fn trend_over_three_periods() {
    use samsyn_core::indicators::LightRule;
    let mut s = spec();
    s.indicators[0].light = LightRule::Trend { periods: 3 };
    let mut ev = String::from("id,date,deso,vardcentral,sex,age,event_type,value\n");
    let mut pop = String::from("year,deso,sex,age_band,population\n");
    for (year, falls) in [(2021, 12), (2022, 24), (2023, 48)] {
        for i in 0..falls {
            ev.push_str(&format!(
                "{year}-{i},{year}-01-10,2480C1010,VC A,K,70,fall_injury,1\n"
            ));
        }
        for band in &BANDS[1..] {
            pop.push_str(&format!("{year},2480C1010,K,{band},200\n"));
        }
    }
    let r = run_in_memory(
        &s,
        &[
            ("events", "events.csv", ev.as_bytes()),
            ("population", "population.csv", pop.as_bytes()),
            ("areas", "areas.csv", AREAS.as_bytes()),
        ],
        &[Level::parse("deso,year").unwrap()],
    )
    .unwrap();
    let t = table(&r, "falls65", "deso_year");
    let last = t.row(&["2480C1010"], Some("2023")).unwrap();
    assert_eq!(last.light, Light::Red);
    assert!(
        last.reason
            .swedish()
            .starts_with("Signifikant försämring över 3 perioder: "),
        "{}",
        last.reason.swedish()
    );
    let second = t.row(&["2480C1010"], Some("2022")).unwrap();
    assert_eq!(second.light, Light::Grey);
    assert_eq!(
        second.reason.swedish(),
        "För få perioder med värde för trend (2 av 3)"
    );
}

/// The charts draw what a run gives: a control chart per series and bars from a table's rows.
#[test]
fn charts_draw_a_runs_results() {
    use samsyn_core::charts::{
        bar_chart, spc_chart, trend_chart, Bar, Series, SeriesPoint, SeriesRole,
    };
    use samsyn_core::number_format::Language::Swedish;
    let r = run(&events(None), &pop4(), &["lan,month"]);
    assert!(!r.spc.is_empty());
    for s in &r.spc {
        let svg = spc_chart(&s.indicator, s, Swedish);
        assert_eq!(
            svg.matches("<circle class=\"point").count(),
            s.points.iter().filter(|(_, p)| p.value.is_some()).count()
        );
    }
    let t = table(&r, "falls65", "lan_month");
    let bars: Vec<Bar> = t.rows.iter().map(Bar::from_row).collect();
    let svg = bar_chart("Fall 65+", "per 1 000", &bars, None, Swedish);
    assert_eq!(
        svg.matches("<rect class=\"bar\"").count(),
        t.rows.iter().filter(|r| r.value.is_some()).count()
    );
    let line = Series {
        label: "Länet".into(),
        points: t.rows.iter().map(SeriesPoint::from_row).collect(),
        role: SeriesRole::Highlight,
    };
    let svg = trend_chart("Fall 65+", "per 1 000", &[line], Swedish);
    assert!(svg.contains(">2023-03</text>") || svg.contains("2023-03 "));
    // To look at: `SAMSYN_WRITE_CHARTS=1 cargo test -p samsyn-core --test indicators charts`.
    if std::env::var_os("SAMSYN_WRITE_CHARTS").is_some() {
        std::fs::create_dir_all("/tmp/charts").unwrap();
        std::fs::write("/tmp/charts/run_trend.svg", &svg).unwrap();
        for s in &r.spc {
            let path = format!("/tmp/charts/run_spc_{}.svg", s.indicator);
            std::fs::write(path, spc_chart(&s.indicator, s, Swedish)).unwrap();
        }
    }
}

/// Issue 11's hostile mean through the whole engine: 1e9 + 0.1·i (i = 0..1000) spread over
/// DeSOs of two kommuns and twelve months, so the plan keeps them in many cells whose moments the
/// finish merges per unit. The county's mean, sd-based limits and each kommun's equal the
/// two-pass `stats::mean` of the same values to 1e-12; Σx and Σx² would be 3 % off in the sd.
#[test]
fn a_mean_of_large_values_from_many_cells_equals_the_two_pass_mean() {
    let spec: IndicatorSpec = serde_json::from_str(
        r#"{"version": 1,
            "sources": {"stays": {"deso": "deso", "date": "date"}},
            "indicators": [{"id": "big", "name": "Stora värden", "polarity": "no_judgement",
                            "measure": "mean", "numerator": {"source": "stays", "sum": "value"}}]}"#,
    )
    .unwrap();
    let desos = [
        "2480C1010",
        "2480C1020",
        "2481A0010",
        "2481A0020",
        "2481A0030",
    ];
    let mut csv = String::from("date,deso,value\n");
    let (mut all, mut k2481) = (Vec::new(), Vec::new());
    for i in 0..1000u32 {
        let v = 1e9 + 0.1 * f64::from(i);
        let deso = desos[(i % 5) as usize];
        csv.push_str(&format!("2023-{:02}-01,{deso},{v}\n", i % 12 + 1));
        all.push(v);
        if deso.starts_with("2481") {
            k2481.push(v);
        }
    }
    let levels = [
        Level::parse("lan,year").unwrap(),
        Level::parse("kommun,year").unwrap(),
    ];
    let r = run_in_memory(&spec, &[("stays", "stays.csv", csv.as_bytes())], &levels).unwrap();
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    for (level, keys, values) in [
        ("lan_year", ["24"], &all),
        ("kommun_year", ["2481"], &k2481),
    ] {
        let t = r
            .tables
            .iter()
            .find(|t| t.indicator == "big" && t.level.file_name() == level)
            .unwrap();
        let row = t.row(&keys, Some("2023")).unwrap();
        let want = mean(values, Confidence::p95()).unwrap();
        assert_eq!(row.denominator, values.len() as f64);
        for (got, want) in [
            (row.value.unwrap(), want.value),
            (row.lower.unwrap(), want.lower),
            (row.upper.unwrap(), want.upper),
        ] {
            assert!(rel(got, want) <= 1e-12, "{level}: {got} vs {want}");
        }
        // The half-width t·sd/√k, where the cancellation would show (sd 28.88, not 28.06).
        let half = (row.upper.unwrap() - row.lower.unwrap()) / 2.0;
        assert!(
            rel(half, (want.upper - want.lower) / 2.0) <= 1e-6,
            "{level}: {half}"
        );
    }
}
