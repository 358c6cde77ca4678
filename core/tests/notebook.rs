//! Notebooks: the example notebooks run on a small seeded dataset with the sample data's
//! columns; one notebook's numbers are kept by a golden file; files survive save → open → save,
//! old versions open, newer ones are refused; parameters give each kommun its own report; the
//! report is self-contained and escapes hostile Markdown; unchanged cells are not recomputed;
//! snapshots are suppressed.
//!
//! Set `UPDATE_GOLDEN=1` to rewrite `tests/data/notebooks/falls_small.golden.csv` after a
//! deliberate change, and review the diff.

use samsyn_core::classify::Light;
use samsyn_core::notebook::exec::{
    prepare, read_input, CellOutput, Input, NotebookResults, Prepared, Session,
};
use samsyn_core::notebook::snapshot::{self, SNAPSHOT_KIND};
use samsyn_core::notebook::{report, run_in_memory, FormatError, Notebook};
use samsyn_core::number_format::Language;

const FALLS: &str = include_str!("../../notebooks/falls.samsyn.json");
const COUNTY: &str = include_str!("../../notebooks/county_lights.samsyn.json");
const DIALOGUE: &str = include_str!("../../notebooks/dialogue_health_centre.samsyn.json");
const FRAMEWORK: &str = include_str!("../../notebooks/framework.samsyn.json");
const EXAMPLES: [(&str, &str); 4] = [
    ("falls", FALLS),
    ("county_lights", COUNTY),
    ("dialogue_health_centre", DIALOGUE),
    ("framework", FRAMEWORK),
];
const V1_FROZEN: &str = include_str!("../../tests/data/notebooks/v1_frozen.samsyn.json");
const GOLDEN: &str = "../tests/data/notebooks/falls_small.golden.csv";

/// A tiny linear congruential generator: the same numbers on every machine.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const DESOS: [(&str, &str, &str); 4] = [
    ("2480C1010", "2480", "Tomtebo vårdcentral"),
    ("2480A0010", "2480", "Sävar hälsocentral"),
    ("2482C1010", "2482", "Anderstorps hälsocentral"),
    ("2482A0010", "2482", "Byske hälsocentral"),
];
const YEARS: [u32; 3] = [2023, 2024, 2025];

/// Files with the sample data's columns: events, population, areas, vardcentraler, survey.
struct SmallData {
    events: String,
    population: String,
    areas: String,
    vardcentraler: String,
    survey: String,
    /// (kommun, year) → (fall admissions 80+, population 80+)
    adm80: Vec<(String, u32, u64, u64)>,
}

fn small_data() -> SmallData {
    let mut rng = Lcg(7);
    let mut population = String::from("year,deso,kommun,sex,age_band,population\n");
    let mut events = String::from(
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value\n",
    );
    let mut adm80 = Vec::new();
    let mut id = 0;
    for year in YEARS {
        for (deso, kommun, vc) in DESOS {
            let (mut adm, mut pop80) = (0, 0);
            for sex in ["K", "M"] {
                for band in 0..19u32 {
                    let label = if band == 18 {
                        "90+".to_owned()
                    } else {
                        format!("{}-{}", band * 5, band * 5 + 4)
                    };
                    let pop = 40 + rng.next(160);
                    population.push_str(&format!("{year},{deso},{kommun},{sex},{label},{pop}\n"));
                    let age = band * 5 + 2;
                    if age >= 80 {
                        pop80 += pop;
                    }
                    if age < 65 {
                        continue;
                    }
                    let mut event = |t: &str, cause: &str, value: u64, rng: &mut Lcg| {
                        id += 1;
                        let month = 1 + rng.next(12);
                        events.push_str(&format!(
                            "{id},{},{year},{year}-{month:02}-15,{deso},{kommun},{vc},{sex},{age},{t},{cause},{value}\n",
                            1000 + rng.next(5000)
                        ));
                    };
                    for _ in 0..rng.next(pop / 8 + 1) {
                        event("fall_injury", "home", 1, &mut rng);
                    }
                    for _ in 0..rng.next(pop / 15 + 1) {
                        if age >= 80 {
                            adm += 1;
                        }
                        event("admission", "fall", 3, &mut rng);
                    }
                    for _ in 0..rng.next(12) {
                        event("avoidable_admission", "copd", 4, &mut rng);
                        event("home_visit", "doctor", 1, &mut rng);
                    }
                    for _ in 0..rng.next(20) {
                        let ok = u64::from(rng.next(10) < 8);
                        event("assessed_within_3_days", "phone", ok, &mut rng);
                    }
                }
            }
            adm80.push((kommun.to_owned(), year, adm, pop80));
        }
    }
    let mut areas = String::from("deso,kommun,kommun_name,deso_type,vardcentral\n");
    let mut vardcentraler = String::from("vardcentral,kommun,owner\n");
    let mut survey = String::from("year,vardcentral,question,respondents,positive\n");
    for (deso, kommun, vc) in DESOS {
        areas.push_str(&format!("{deso},{kommun},x,C,{vc}\n"));
        vardcentraler.push_str(&format!("{vc},{kommun},region\n"));
        for year in YEARS {
            for q in [
                "continuity_coordination",
                "respect_treatment",
                "participation_involvement",
                "easy_to_get_care_evenings",
                "trust",
            ] {
                let n = 30 + rng.next(100);
                let p = n * (50 + rng.next(45)) / 100;
                survey.push_str(&format!("{year},{vc},{q},{n},{p}\n"));
            }
        }
    }
    SmallData {
        events,
        population,
        areas,
        vardcentraler,
        survey,
        adm80,
    }
}

fn files(d: &SmallData) -> Vec<(&'static str, &'static str, &[u8])> {
    vec![
        ("events", "events.csv", d.events.as_bytes()),
        ("requests", "events.csv", d.events.as_bytes()),
        ("population", "population.csv", d.population.as_bytes()),
        ("areas", "areas.csv", d.areas.as_bytes()),
        (
            "vardcentraler",
            "vardcentraler.csv",
            d.vardcentraler.as_bytes(),
        ),
        ("survey", "survey.csv", d.survey.as_bytes()),
    ]
}

fn run(text: &str, params: &[(&str, &str)], d: &SmallData) -> NotebookResults {
    let nb = Notebook::open(text).expect("opens");
    let params: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    run_in_memory(&nb, &params, &files(d)).expect("runs")
}

fn errors(r: &NotebookResults) -> Vec<String> {
    r.cells
        .iter()
        .filter_map(|(id, c)| match &**c {
            CellOutput::Error { message, .. } => Some(format!("{id}: {message}")),
            _ => None,
        })
        .collect()
}

#[test]
fn every_example_notebook_runs_without_cell_errors() {
    let d = small_data();
    for (name, text) in EXAMPLES {
        let r = run(text, &[], &d);
        assert_eq!(errors(&r), Vec::<String>::new(), "{name}");
        let html = report::render(&r, "test");
        assert!(html.contains("</html>"), "{name}");
    }
}

fn golden_text(r: &NotebookResults) -> String {
    let mut out = String::new();
    for (id, c) in &r.cells {
        if let CellOutput::Table(t) = &**c {
            out.push_str(&format!("# {id}\n{}", t.csv));
        }
    }
    out
}

#[test]
fn golden_falls_numbers_are_unchanged() {
    let r = run(FALLS, &[("kommun", "2482")], &small_data());
    let got = golden_text(&r);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(GOLDEN, &got).expect("write golden");
    }
    let want = std::fs::read_to_string(GOLDEN).expect("golden file; run with UPDATE_GOLDEN=1");
    assert_eq!(got, want);
}

#[test]
fn falls_admission_rate_equals_a_count_by_hand() {
    let d = small_data();
    let r = run(FALLS, &[("kommun", "2482")], &d);
    let (adm, pop): (u64, u64) = d
        .adm80
        .iter()
        .filter(|(k, y, _, _)| k == "2482" && *y == 2025)
        .fold((0, 0), |(a, p), (_, _, x, n)| (a + x, p + n));
    let want = adm as f64 / pop as f64 * 1000.0;
    let t = r
        .cells
        .iter()
        .find_map(|(id, c)| match &**c {
            CellOutput::Table(t) if id == "t-adm-kommun" => Some(t.clone()),
            _ => None,
        })
        .expect("table");
    let line = t
        .csv
        .lines()
        .find(|l| l.starts_with("2482,2025,"))
        .expect("row");
    let value: f64 = line.split(',').nth(4).unwrap().parse().unwrap();
    assert!((value - want).abs() < 1e-9, "{value} vs {want}");
}

#[test]
fn save_open_save_is_identical() {
    for (name, text) in EXAMPLES.iter().chain([("v1", V1_FROZEN)].iter()) {
        let once = Notebook::open(text).expect("opens").save();
        let twice = Notebook::open(&once).expect("reopens").save();
        assert_eq!(once, twice, "{name}");
    }
    // The frozen file is stored as Samsyn saves it: it comes back byte for byte.
    assert_eq!(Notebook::open(V1_FROZEN).unwrap().save(), V1_FROZEN);
}

#[test]
fn frozen_v1_file_still_opens_and_runs() {
    let nb = Notebook::open(V1_FROZEN).expect("a version-1 file opens");
    assert_eq!(nb.version, 1);
    let r = run(V1_FROZEN, &[], &small_data());
    assert_eq!(errors(&r), Vec::<String>::new());
}

#[test]
fn unknown_fields_are_kept_on_save() {
    let mut v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    v["made_with"] = "Samsyn 9".into();
    v["cells"][0]["colour"] = "blue".into();
    v["cells"][4]["indicators"][0]["target_2030"] = 1500.into();
    v["cells"][2]["keys"]["municipality_name"] = "kommunnamn".into();
    let saved = Notebook::open(&v.to_string()).unwrap().save();
    let back: serde_json::Value = serde_json::from_str(&saved).unwrap();
    assert_eq!(back["made_with"], "Samsyn 9");
    assert_eq!(back["cells"][0]["colour"], "blue");
    assert_eq!(back["cells"][4]["indicators"][0]["target_2030"], 1500);
    assert_eq!(back["cells"][2]["keys"]["municipality_name"], "kommunnamn");
}

#[test]
fn newer_version_is_refused_with_a_clear_message() {
    let text = FALLS.replacen("\"version\": 1", "\"version\": 7", 1);
    let err = Notebook::open(&text).unwrap_err();
    assert_eq!(err, FormatError::TooNew(7));
    assert_eq!(
        err.to_string(),
        "This notebook was saved by a newer Samsyn (format version 7); this version reads up to 1. Update Samsyn to open it."
    );
    let other = FALLS.replacen("samsyn-notebook", "jupyter", 1);
    assert!(matches!(
        Notebook::open(&other),
        Err(FormatError::NotANotebook(_))
    ));
}

#[test]
fn each_kommun_gets_its_own_report_from_the_same_file() {
    let d = small_data();
    let umea = report::render(&run(FALLS, &[("kommun", "2480")], &d), "test");
    let skelleftea = report::render(&run(FALLS, &[("kommun", "2482")], &d), "test");
    assert!(umea.contains("<h1>Fall bland äldre – 2480 Umeå</h1>"));
    assert!(skelleftea.contains("<h1>Fall bland äldre – 2482 Skellefteå</h1>"));
    assert!(umea.contains("<tr class=\"hl\"><td>2480 Umeå</td>"));
    assert!(skelleftea.contains("<tr class=\"hl\"><td>2482 Skellefteå</td>"));
    assert!(!umea.contains("<tr class=\"hl\"><td>2482"));
    // DeSO tables hold only the kommun's own areas.
    assert!(umea.contains("2480C1010") && !umea.contains("<td>2482C1010"));
    assert!(skelleftea.contains("<td>2482C1010") && !skelleftea.contains("<td>2480C1010"));
}

/// The falls notebook's year range narrows its trends, the county's line included; `latest`
/// as the end means up to the last year with data.
#[test]
fn the_year_range_parameters_narrow_every_trend_and_its_county_line() {
    let d = small_data();
    let svg_of = |r: &NotebookResults, id: &str| match r
        .cells
        .iter()
        .find(|(c, _)| c == id)
        .map(|(_, o)| &**o)
    {
        Some(CellOutput::Chart { svg, .. }) => svg.clone(),
        other => panic!("{id}: {other:?}"),
    };
    let all = run(FALLS, &[], &d);
    assert!(svg_of(&all, "trend-dsr").contains("över 3 perioder (2023–2025)"));
    let from = run(FALLS, &[("from", "2024")], &d);
    for id in ["trend-dsr", "trend-adm", "trend-adm-deso", "trend-assessed"] {
        let svg = svg_of(&from, id);
        assert!(svg.contains("över 2 perioder (2024–2025)"), "{id}: {svg}");
        assert!(
            !svg.contains("2023"),
            "{id}: no point of 2023, the county's neither"
        );
    }
    let one = run(FALLS, &[("from", "2024"), ("to", "2024")], &d);
    let svg = svg_of(&one, "trend-dsr");
    assert!(
        svg.contains("Länet") && !svg.contains("2025") && !svg.contains("2023"),
        "{svg}"
    );
}

#[test]
fn unknown_parameter_is_refused() {
    let nb = Notebook::open(FALLS).unwrap();
    let err = prepare(&nb, &[("kommune".into(), "2480".into())]).unwrap_err();
    assert!(err.to_string().contains("no parameter 'kommune'"), "{err}");
}

#[test]
fn report_is_self_contained_and_escapes_hostile_markdown() {
    let mut v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    v["cells"][0]["markdown"] = "<script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](&#106;avascript:alert(3)) ![d](data:text/html;base64,PHNjcmlwdD4=) [e](vbscript:x) [f](file:///etc/passwd)".into();
    let r = run(&v.to_string(), &[], &small_data());
    let html = report::render(&r, "test");
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "script tag");
    assert!(!lower.contains("<img src=x"), "raw img");
    assert!(lower.contains("&lt;script&gt;"));
    for bad in ["javascript:", "vbscript:", "data:text", "file:"] {
        assert!(!lower.contains(&format!("href=\"{bad}")), "{bad}");
        assert!(!lower.contains(&format!("src=\"{bad}")), "{bad}");
    }
    // No external resources: no http(s) addresses except the SVG namespace, no src= at all
    // (charts are inline SVG, styles inline).
    let without_ns = html
        .replace("http://www.w3.org/2000/svg", "")
        .replace("http-equiv", "");
    assert!(!without_ns.contains("http"), "an external address");
    for (i, _) in lower.match_indices(" src=\"") {
        let rest = &lower[i + 6..];
        assert!(
            rest.starts_with('"') || rest.starts_with("data:image/"),
            "{rest:.40}"
        );
    }
    assert!(!lower.contains("<link") && !lower.contains("@import"));
    assert!(html.contains("data har aldrig lämnat datorn"));
    assert!(html.contains("events = events.csv"));
}

#[test]
fn unchanged_cells_are_not_recomputed() {
    let d = small_data();
    let nb = Notebook::open(FALLS).unwrap();
    let prepared = prepare(&nb, &[]).unwrap();
    let inputs = read_inputs(&prepared, &d);
    let mut session = Session::default();
    let first = session.run(&prepared, &inputs).unwrap();
    assert_eq!(first.computed, nb.cells.len());
    let again = session.run(&prepared, &inputs).unwrap();
    assert_eq!(again.computed, 0);
    // Editing one text cell recomputes that cell only.
    let mut edited = nb.clone();
    if let samsyn_core::notebook::Cell::Text(t) = &mut edited.cells[0] {
        t.markdown.push_str("\n\nEn rad till.");
    }
    let prepared2 = prepare(&edited, &[]).unwrap();
    let third = session.run(&prepared2, &inputs).unwrap();
    assert_eq!(third.computed, 1);
    // A new parameter value recomputes the cells that use numbers.
    let prepared3 = prepare(&nb, &[("kommun".into(), "2482".into())]).unwrap();
    let fourth = session.run(&prepared3, &inputs).unwrap();
    assert!(fourth.computed > 1);
}

#[test]
fn snapshot_is_aggregated_suppressed_and_marked() {
    let d = small_data();
    let nb = Notebook::open(FALLS).unwrap();
    let r = run(FALLS, &[], &d);
    let snap = snapshot::take(&nb, &r, 5.0);
    assert_eq!(snap.kind, SNAPSHOT_KIND);
    assert!(!snap.tables.is_empty());
    let rows: Vec<_> = snap.tables.iter().flat_map(|t| &t.rows).collect();
    for row in &rows {
        if let Some(n) = row.numerator {
            assert!(n == 0.0 || n >= 5.0, "{row:?}");
        }
        if row.suppressed {
            assert_eq!((row.value, row.lower, row.upper), (None, None, None));
        }
    }
    let strict = snapshot::take(&nb, &r, 100.0);
    let suppressed = strict
        .tables
        .iter()
        .flat_map(|t| &t.rows)
        .filter(|r| r.suppressed);
    assert!(suppressed.count() > 0, "counts below 100 are suppressed");
    // Saved in the notebook and opened again.
    let mut with = nb.clone();
    with.snapshot = Some(snap.clone());
    let back = Notebook::open(&with.save()).unwrap();
    assert_eq!(back.snapshot, Some(snap));
    assert!(with.save().contains("\"kind\": \"aggregated-suppressed\""));
}

#[test]
fn framework_names_its_gaps() {
    let r = run(FRAMEWORK, &[], &small_data());
    let gaps = r
        .cells
        .iter()
        .find_map(|(id, c)| match &**c {
            CellOutput::Chart { gaps, .. } if id == "framework" => Some(gaps.clone()),
            _ => None,
        })
        .expect("framework cell");
    // Six shifts × three dimensions; the examples have no cost indicator at all.
    assert!(
        gaps.contains(&"Mer tillgänglig vård – kostnad".to_owned()),
        "{gaps:?}"
    );
    assert!(
        !gaps.contains(&"Mer tillgänglig vård – kvalitet".to_owned()),
        "{gaps:?}"
    );
    assert_eq!(gaps.iter().filter(|g| g.ends_with("kostnad")).count(), 6);
}

#[test]
fn data_cell_reports_missing_columns_and_too_few_rows() {
    let mut v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    v["cells"][3]["required_columns"] = serde_json::json!(["population", "befolkning"]);
    v["cells"][3]["min_rows"] = 10_000_000.into();
    let r = run(&v.to_string(), &[], &small_data());
    let (messages, messages_sv) = r
        .cells
        .iter()
        .find_map(|(id, c)| match &**c {
            CellOutput::Data {
                messages,
                messages_sv,
                ..
            } if id == "population" => Some((messages.clone(), messages_sv.clone())),
            _ => None,
        })
        .unwrap();
    // In English for the CLI, in Swedish for the page and the report, one for one.
    assert_eq!(messages.len(), messages_sv.len());
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("The column 'befolkning' is missing from")),
        "{messages:?}"
    );
    assert!(
        messages_sv
            .iter()
            .any(|m| m.contains("'befolkning' saknas")),
        "{messages_sv:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("at least 10000000 were expected")),
        "{messages:?}"
    );
    assert!(
        messages_sv.iter().any(|m| m.contains("minst 10000000")),
        "{messages_sv:?}"
    );
    assert!(!messages_sv
        .iter()
        .any(|m| m.contains("'population' saknas")));
}

/// Splits one line of the tables' CSV (quoted fields may hold commas).
fn csv_fields(line: &str) -> Vec<String> {
    let (mut out, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

const MASKED_REASON: &str = "Visas inte (röjandeskydd, tröskel 5)";

#[test]
fn exported_tables_mask_counts_below_the_disclosure_threshold() {
    let d = small_data();
    let mut masked = 0;
    for (name, text) in EXAMPLES {
        for threshold in ["5", "0"] {
            let nb = Notebook::open(text).expect("opens");
            let declares = nb
                .parameters()
                .iter()
                .any(|p| p.name == "disclosure_threshold");
            if threshold == "0" && !declares {
                continue;
            }
            let params: Vec<(&str, &str)> = if declares {
                vec![("disclosure_threshold", threshold)]
            } else {
                vec![]
            };
            let r = run(text, &params, &d);
            for (id, c) in &r.cells {
                let CellOutput::Table(t) = &**c else { continue };
                // The table as the report shows it: counts are "<5" or at least 5.
                for (i, h) in t.header.iter().enumerate() {
                    if h != "Täljare" && h != "Nämnare" {
                        continue;
                    }
                    for row in &t.rows {
                        let text = &row.fields[i].0;
                        let digits: String = text
                            .chars()
                            .filter(|c| c.is_ascii_digit() || *c == ',')
                            .collect();
                        let n: f64 = digits.replace(',', ".").parse().unwrap_or(f64::NAN);
                        assert!(
                            text == "<5" || n == 0.0 || n >= 5.0,
                            "{name}/{id}: the report shows the count {text:?}"
                        );
                    }
                }
                let mut lines = t.csv.lines();
                let header = csv_fields(lines.next().unwrap_or_default());
                let col = |n: &str| header.iter().position(|h| h == n).expect("column");
                let (num, value, reason) = (col("numerator"), col("value"), col("reason"));
                for line in lines {
                    let f = csv_fields(line);
                    if f[num].is_empty() {
                        assert!(
                            f[value].is_empty(),
                            "{name}/{id}: a masked row shows its value: {line}"
                        );
                        assert_eq!(f[reason], MASKED_REASON, "{name}/{id}");
                        masked += 1;
                    } else {
                        let n: f64 = f[num].parse().expect("a number");
                        // A notebook's threshold of 0 cannot lower the user's floor of 5.
                        assert!(
                            n == 0.0 || n >= 5.0,
                            "{name}/{id}: a count of {n} is exported: {line}"
                        );
                    }
                }
            }
        }
    }
    assert!(
        masked > 0,
        "the small data set has small counts, so some rows must be masked"
    );
}

/// A count indicator per DeSO area drawn as bars, trends and a light matrix: its values are
/// counts, so no chart may show one from 1 to 4, in its bars' titles or its text description.
#[test]
fn charts_show_no_small_count() {
    let d = small_data();
    let mut nb: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    let cells = nb["cells"].as_array_mut().unwrap();
    cells.push(serde_json::json!({"type": "indicators", "id": "counts", "indicators": [{
        "id": "falls_count", "name": "Fallskador", "measure": "count", "unit": "antal", "ages": {"min": 90},
        "numerator": {"source": "events", "where": [{"column": "event_type", "op": "=", "value": "fall_injury"}]}
    }]}));
    for (i, chart) in ["bar", "trend", "light_matrix"].iter().enumerate() {
        cells.push(
            serde_json::json!({"type": "chart", "id": format!("c{i}"), "chart": chart,
            "indicators": ["falls_count"], "level": "deso,year"}),
        );
    }
    let r = run(&nb.to_string(), &[], &d);
    let mut bars = 0;
    for (id, c) in &r.cells {
        let CellOutput::Chart { svg, .. } = &**c else {
            continue;
        };
        if !id.starts_with('c') || id.len() != 2 {
            continue;
        }
        // Bars: `<title>label: value (KI …), light</title>` inside the bar.
        for part in svg.split("<rect class=\"bar\"").skip(1) {
            let title = part
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next());
            let value: String = title
                .and_then(|t| t.rsplit(": ").next())
                .unwrap_or_default()
                .chars()
                .take_while(|c| {
                    c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | ',')
                })
                .filter(|c| c.is_ascii_digit() || *c == ',')
                .collect();
            let n: f64 = value
                .trim_end_matches(',')
                .replace(',', ".")
                .parse()
                .unwrap_or(-1.0);
            assert!(n == 0.0 || n >= 5.0, "{id}: a bar shows {title:?}");
            bars += 1;
        }
        let desc = svg
            .split("<desc")
            .nth(1)
            .and_then(|t| t.split("</desc>").next())
            .unwrap_or_default();
        // Each value is written "… 16 (KI 9,14–26,0)": the number before " (KI" is the count.
        let mut pieces = desc.split(" (KI");
        let mut before = pieces.next().unwrap_or_default();
        for rest in pieces {
            let count = before.rsplit(' ').next().unwrap_or_default();
            let n: f64 = count.replace(',', ".").parse().unwrap_or(-1.0);
            assert!(
                n == 0.0 || n >= 5.0,
                "{id}: the description shows the count {count}: {desc}"
            );
            before = rest;
        }
        assert!(desc.contains(" (KI") || id == "c2", "{id}: {desc}");
    }
    assert!(bars > 0, "no bars were drawn");
    // The small data set has small DeSO counts: some were hidden, and the rest are drawn.
    let shown = results_count(&r);
    assert!(
        shown.1 > 0,
        "no DeSO row was suppressed: the test proves nothing"
    );
}

/// (shown, suppressed) rows of the count indicator at DeSO level.
fn results_count(r: &NotebookResults) -> (usize, usize) {
    let Some(res) = &r.results else { return (0, 0) };
    let shown = res.suppressed(5.0);
    let t = shown
        .tables
        .iter()
        .find(|t| t.indicator == "falls_count" && t.level.file_name() == "deso_year")
        .expect("the count table");
    let s = t.rows.iter().filter(|r| r.suppressed).count();
    (t.rows.len() - s, s)
}

// ---- Typed fields (issue 11) ----

/// The falls notebook with one JSON pointer set to a value.
fn falls_with(pointer: &str, value: serde_json::Value) -> String {
    let mut v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match v.pointer_mut(parent).expect(pointer) {
        serde_json::Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
        serde_json::Value::Object(o) => {
            o.insert(key.to_owned(), value);
        }
        _ => panic!("{pointer}"),
    }
    v.to_string()
}

fn open_error(text: &str) -> String {
    Notebook::open(text).expect_err("refused").to_string()
}

#[test]
fn a_wrong_typed_field_is_refused_when_opened_naming_cell_and_field() {
    use serde_json::json;
    // Cells of falls.samsyn.json: 1 parameters, 4 indicators, 6 chart trend-dsr, 7 chart
    // bar-dsr, 8 table t-dsr-lan, 10 table t-dsr-kommun.
    let cases = [
        (
            "/cells/6/level",
            json!("kommun,yaer"),
            "cell 'trend-dsr': field 'level': 'kommun,yaer' is not a level: unknown level 'yaer'; use lan,",
        ),
        (
            "/cells/10/sort",
            json!("valeu"),
            "cell 't-dsr-kommun': field 'sort': 'valeu' is not a sort order: use unit, value, value_desc",
        ),
        (
            "/cells/8/columns/1",
            json!("numerater"),
            "cell 't-dsr-lan': field 'columns': 'numerater' is not a column: use unit, period, numerator, denominator, value, interval, light, reason, change",
        ),
        (
            "/cells/10/filter/period",
            json!("senaste"),
            "cell 't-dsr-kommun': field 'filter.period': 'senaste' is not a period: 'senaste' is not a period (2024, 2024H1, 2024Q2, 2024-03), a range (2019..2023) or latest",
        ),
        (
            "/cells/10/filter/period",
            json!("2024..2021"),
            "cell 't-dsr-kommun': field 'filter.period': '2024..2021' is not a period: the range ends (2021) before it starts (2024)",
        ),
        (
            "/cells/7/chart",
            json!("pie"),
            "cell 'bar-dsr': field 'chart': 'pie' is not a chart kind: use bar, trend, funnel, light_matrix, framework",
        ),
        (
            "/cells/1/parameters/0/kind",
            json!("kommune"),
            "cell 'params': field 'kind': 'kommune' is not a parameter kind: use text, number, kommun, provider, year",
        ),
        (
            "/cells/4/indicators/0/measure",
            json!("ratio"),
            "cell 'indicators': field 'measure': 'ratio' is not a measure: use count, rate, share, mean, dsr, isr",
        ),
        // Parameters in typed fields: whole references only, declared, of a kind that fits.
        (
            "/cells/6/level",
            json!("kommun,$kommun"),
            "cell 'trend-dsr': field 'level': 'kommun,$kommun' is not a level: a parameter must be the whole field ('$name'), not a part of it",
        ),
        (
            "/cells/6/level",
            json!("$niva"),
            "cell 'trend-dsr': field 'level': '$niva' names no parameter of this notebook (it has: kommun, disclosure_threshold, from, to)",
        ),
        (
            "/cells/6/level",
            json!("$kommun"),
            "cell 'trend-dsr': field 'level': the parameter 'kommun' is of kind 'kommun', which cannot fill a level",
        ),
        (
            "/cells/4/indicators/0/confidence",
            json!("$kommun"),
            "cell 'indicators': indicator 'fall_injuries_65_dsr': field 'confidence': the parameter 'kommun' is of kind 'kommun', which cannot fill a number",
        ),
        (
            "/cells/1/parameters/1/default",
            json!("fem"),
            "The parameter \"disclosure_threshold\" (cell 'params'): its default 'fem' is not a number.",
        ),
    ];
    let v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    assert_eq!(
        v["cells"][4]["id"], "indicators",
        "the cell layout the cases assume"
    );
    for (pointer, value, want) in cases {
        let got = open_error(&falls_with(pointer, value.clone()));
        assert!(
            got.starts_with(want),
            "{pointer} = {value}:\n got {got}\nwant {want}"
        );
    }
}

/// A notebook whose table's level, period and the DSR's confidence come from parameters.
fn parameterised() -> String {
    let mut v: serde_json::Value = serde_json::from_str(FALLS).unwrap();
    let params = v.pointer_mut("/cells/1/parameters").unwrap();
    params.as_array_mut().unwrap().extend([
        serde_json::json!({"name": "niva", "kind": "text", "default": "kommun,year"}),
        serde_json::json!({"name": "fran", "kind": "year", "default": "2024"}),
        serde_json::json!({"name": "conf", "kind": "number", "default": "0,9"}),
    ]);
    v["cells"][10]["level"] = "$niva".into();
    v["cells"][10]["filter"]["period"] = "$fran..2025".into();
    v["cells"][4]["indicators"][0]["confidence"] = "$conf".into();
    v.to_string()
}

fn table_periods(r: &NotebookResults, id: &str) -> Vec<String> {
    let Some(CellOutput::Table(t)) = r.cells.iter().find(|(i, _)| i == id).map(|(_, c)| &**c)
    else {
        panic!("no table {id}")
    };
    let mut p: Vec<String> = t
        .csv
        .lines()
        .skip(1)
        .map(|l| csv_fields(l)[1].clone())
        .collect();
    p.sort();
    p.dedup();
    p
}

#[test]
fn parameters_fill_typed_fields_and_numbers_and_are_checked_again() {
    use samsyn_core::indicators::definition::Number;
    let text = parameterised();
    let nb = Notebook::open(&text).expect("opens");
    // Saved as it was read.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&nb.save()).unwrap(),
        serde_json::from_str::<serde_json::Value>(&Notebook::open(&nb.save()).unwrap().save())
            .unwrap()
    );
    assert!(nb.save().contains("\"confidence\": \"$conf\""));
    let p = prepare(&nb, &[]).expect("prepares");
    assert_eq!(p.spec.indicators[0].confidence, Some(Number::Value(0.9)));
    let d = small_data();
    let r = run(&text, &[], &d);
    assert_eq!(errors(&r), Vec::<String>::new());
    assert_eq!(table_periods(&r, "t-dsr-kommun"), ["2024", "2025"]);
    let r = run(&text, &[("fran", "2025")], &d);
    assert_eq!(table_periods(&r, "t-dsr-kommun"), ["2025"]);
    // A 90 % interval lies inside the 95 % one of the same row.
    let ci = |r: &NotebookResults| -> (f64, f64) {
        let res = r.results.as_ref().unwrap();
        let t = res
            .tables
            .iter()
            .find(|t| t.indicator == "fall_injuries_65_dsr" && t.level.file_name() == "lan_year")
            .unwrap();
        let row = t
            .rows
            .iter()
            .find(|x| x.period.as_deref() == Some("2025"))
            .unwrap();
        (row.lower.unwrap(), row.upper.unwrap())
    };
    let (l90, u90) = ci(&run(&text, &[], &d));
    let (l95, u95) = ci(&run(FALLS, &[], &d));
    assert!(
        l95 < l90 && u90 < u95,
        "90 % [{l90}, {u90}] inside 95 % [{l95}, {u95}]"
    );
    // Values are checked against the kinds and again in the fields they fill.
    let over = |k: &str, v: &str| {
        prepare(&nb, &[(k.to_owned(), v.to_owned())])
            .expect_err("refused")
            .to_string()
    };
    assert_eq!(
        over("conf", "hög"),
        "the parameter 'conf': 'hög' is not a number (the parameter is of kind 'number')"
    );
    assert_eq!(
        over("fran", "2024Q1"),
        "the parameter 'fran': '2024Q1' is not a year (four digits) or latest (the parameter is of kind 'year')"
    );
    assert_eq!(
        over("niva", "kommun,yaer"),
        "the cell 't-dsr-kommun' is not valid after substituting parameters: field 'level': 'kommun,yaer' is not a level: unknown level 'yaer'; use lan, subregion, kommun, deso, provider, team, sex, age_group, year, half_year, quarter or month"
    );
    assert_eq!(
        over("niva", "$kommun"),
        "the cell 't-dsr-kommun' is not valid after substituting parameters: field 'level': a parameter's value is '$kommun', a reference; values are used as they are, never substituted again"
    );
    assert!(
        over("conf", "2").contains("confidence"),
        "{}",
        over("conf", "2")
    );
}

#[test]
fn period_filters_keep_labels_ranges_and_latest() {
    use samsyn_core::notebook::fields::{Field, PeriodFilter, Slot};
    let f = |s: &str| Field::<PeriodFilter>::parse(s).unwrap();
    let keeps = |s: &str, label: &str| f(s).value().unwrap().keeps(Some(label));
    assert!(keeps("2024", "2024") && !keeps("2024", "2025"));
    assert!(keeps("2019..2021", "2019") && keeps("2019..2021", "2021Q4"));
    assert!(!keeps("2019..2021", "2022") && !keeps("2019..2021", "2018-12"));
    assert!(keeps("2023Q2–2023Q3", "2023Q3") && !keeps("2023Q2–2023Q3", "2023Q4"));
    assert!(keeps("2020..latest", "2031") && !keeps("2020..latest", "2019"));
    assert_eq!(f("$year").slot(), &Slot::Param("year".into()));
    assert_eq!(f("").slot(), &Slot::Empty);
    assert_eq!(f("2019..$year").params(), ["year"]);
    assert_eq!(f("2019..2021").text(), "2019..2021");
    assert!(Field::<PeriodFilter>::parse("2024Q5").is_err());
    assert!(Field::<PeriodFilter>::parse("2024-13").is_err());
}

#[test]
fn choices_list_their_values_with_labels_for_an_editor() {
    use samsyn_core::indicators::definition::{Choice, MeasureType};
    use samsyn_core::notebook::fields::{ChartKind, Column, ParamKind, Sort};
    fn names<T: Choice>() -> Vec<&'static str> {
        T::all().iter().map(|v| v.name()).collect()
    }
    assert_eq!(names::<Sort>(), ["unit", "value", "value_desc"]);
    assert_eq!(names::<ChartKind>().len(), 5);
    assert_eq!(names::<Column>().len(), 9);
    assert_eq!(
        names::<ParamKind>(),
        ["text", "number", "kommun", "provider", "year"]
    );
    assert_eq!(
        names::<MeasureType>(),
        ["count", "rate", "share", "mean", "dsr", "isr"]
    );
    assert_eq!(ChartKind::Funnel.swedish(), "trattdiagram");
    assert_eq!(Sort::ValueDesc.english(), "highest value first");
    for k in ParamKind::ALL {
        assert_eq!(ParamKind::parse(k.name()), Ok(*k));
    }
}

/// The saved form of each example notebook and of the frozen file, as the release before typed
/// fields saved them (`tests/data/notebooks/saved/`): the types changed, the files did not.
#[test]
fn every_notebook_saves_the_same_json_as_before_typed_fields() {
    let dir = "../tests/data/notebooks/saved";
    for (name, text) in EXAMPLES.iter().chain([("v1_frozen", V1_FROZEN)].iter()) {
        let path = format!("{dir}/{name}.saved.json");
        let now = Notebook::open(text).unwrap().save();
        // After a deliberate change of an example notebook: `SAMSYN_BLESS=1`, then review the diff.
        if std::env::var_os("SAMSYN_BLESS").is_some() {
            std::fs::write(&path, &now).unwrap();
        }
        let before = std::fs::read_to_string(&path).unwrap();
        let (b, n): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&before).unwrap(),
            serde_json::from_str(&now).unwrap(),
        );
        assert_eq!(b, n, "{name}");
        assert_eq!(before, now, "{name}: the same bytes");
    }
}

/// The outputs of a run go through JSON (worker → page) and come back equal.
#[test]
fn notebook_results_round_trip_through_json() {
    let d = small_data();
    for (name, text) in EXAMPLES {
        let r = run(
            text,
            &[("kommun", "2482")]
                .iter()
                .filter(|_| name == "falls")
                .copied()
                .collect::<Vec<_>>(),
            &d,
        );
        let json = serde_json::to_string(&r).unwrap();
        let back: NotebookResults = serde_json::from_str(&json).unwrap();
        assert_eq!(back.cells.len(), r.cells.len(), "{name}");
        for ((a, x), (b, y)) in r.cells.iter().zip(&back.cells) {
            assert_eq!((a, &**x), (b, &**y), "{name}");
        }
        assert_eq!(back.inputs, r.inputs, "{name}");
        assert_eq!(back.suppression, r.suppression, "{name}");
        assert!(back.results.is_none(), "raw results stay where the run was");
        assert_eq!(
            report::render(&back, "t"),
            report::render(&r, "t"),
            "{name}"
        );
    }
}

/// Every input `prepared` needs, read from the small data.
fn read_inputs(prepared: &Prepared, d: &SmallData) -> Vec<Input> {
    let fs = files(d);
    prepared
        .input_names()
        .iter()
        .map(|n| {
            let (_, f, b) = fs.iter().find(|(x, _, _)| x == n).unwrap();
            read_input(prepared, n, f, b).unwrap()
        })
        .collect()
}

/// A run of `text` on the small data in `language`, in one session: Swedish first, then the
/// language asked for, so that the second run shows what a language switch recomputes.
fn run_in(text: &str, language: Language, d: &SmallData) -> (NotebookResults, NotebookResults) {
    let nb = Notebook::open(text).unwrap();
    let mut prepared = prepare(&nb, &[]).unwrap();
    let inputs = read_inputs(&prepared, d);
    let mut session = Session::default();
    let swedish = session.run(&prepared, &inputs).unwrap();
    prepared.language = language;
    (swedish, session.run(&prepared, &inputs).unwrap())
}

/// Every table's cells, with the light of each.
fn table_cells(r: &NotebookResults) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    r.cells
        .iter()
        .filter_map(|(id, c)| match &**c {
            CellOutput::Table(t) => Some((
                id.clone(),
                t.header.clone(),
                t.rows
                    .iter()
                    .map(|row| row.fields.iter().map(|(f, _)| f.clone()).collect())
                    .collect(),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn issue_12_a_run_in_english_words_its_tables_lights_reasons_and_report_in_english() {
    let d = small_data();
    for (name, text) in [("falls", FALLS), ("county_lights", COUNTY)] {
        let (sv, en) = run_in(text, Language::English, &d);
        assert_eq!(errors(&en), Vec::<String>::new(), "{name}");
        // Switching language recomputes what the cells show, not the results.
        assert_eq!(en.computed, en.cells.len(), "{name}");
        let (sv_tables, en_tables) = (table_cells(&sv), table_cells(&en));
        assert_eq!(sv_tables.len(), en_tables.len());
        assert!(!en_tables.is_empty(), "{name} has tables");
        for ((id, sv_head, sv_rows), (_, en_head, en_rows)) in sv_tables.iter().zip(&en_tables) {
            assert_eq!(sv_rows.len(), en_rows.len(), "{name}/{id}");
            for (s, e) in sv_head.iter().zip(en_head) {
                let pairs = [
                    ("Täljare", "Numerator"),
                    ("Nämnare", "Denominator"),
                    ("Ljus", "Light"),
                    ("Skäl", "Reason"),
                    ("95 % KI", "95 % CI"),
                    ("Förändring", "Change"),
                ];
                if let Some((_, want)) = pairs.iter().find(|(sv, _)| sv == s) {
                    assert_eq!(e, want, "{name}/{id}");
                }
            }
            // The same numbers, written the English way: a decimal point, a comma between
            // thousands (the minus sign and dashes are the same).
            for (s, e) in sv_rows.iter().flatten().zip(en_rows.iter().flatten()) {
                let s_digits: String = s.chars().filter(char::is_ascii_digit).collect();
                if s.chars()
                    .all(|c| c.is_ascii_digit() || " \u{a0},−–".contains(c))
                {
                    let e_digits: String = e.chars().filter(char::is_ascii_digit).collect();
                    assert_eq!(s_digits, e_digits, "{name}/{id}: {s} / {e}");
                    assert_eq!(
                        *e,
                        s.replace(',', "\u{1}")
                            .replace('\u{a0}', ",")
                            .replace('\u{1}', "."),
                        "{name}/{id}"
                    );
                }
                for (sv_word, en_word) in [
                    ("grön", "green"),
                    ("gul", "yellow"),
                    ("röd", "red"),
                    ("ej klassad", "not classified"),
                ] {
                    if s == sv_word {
                        assert_eq!(e, en_word, "{name}/{id}");
                    }
                }
            }
        }
        if name == "county_lights" {
            // A benchmark light's reason, worded in English with English numbers.
            let reasons: Vec<&String> = en_tables
                .iter()
                .flat_map(|(_, _, rows)| rows.iter().flatten())
                .filter(|f| f.contains(" CI ") && f.contains(" against "))
                .collect();
            assert!(!reasons.is_empty(), "no English benchmark reason");
            assert!(
                reasons
                    .iter()
                    .all(|r| ["Better than", "Similar to", "Worse than", "Clearly"]
                        .iter()
                        .any(|w| r.starts_with(w))),
                "{reasons:?}"
            );
        }
        let html = report::render(&en, "test");
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{name}"
        );
        assert!(
            html.contains("Computed with Samsyn test on this computer"),
            "{name}"
        );
        assert!(
            html.contains("Disclosure control: counts from 1 to 4 are not shown"),
            "{name}"
        );
        // Without the SVG charts and the notebook's own words (its Markdown, titles and
        // names are its author's), nothing Swedish of Samsyn's is left.
        let samsyn_words = [
            "Täljare",
            "Nämnare",
            "Skäl",
            "Parametrar",
            "Beräknat med",
            "Röjandeskydd",
            "rader lästa",
            "Sämre än",
            "Bättre än",
            "I nivå med",
            "För få fall",
            "Inget värde",
            "övervägande",
            "Länets avläsning",
            "Visas inte",
            "ej klassad",
            "Indata",
            "Ingen DSR",
            "Bedömning",
        ];
        for (id, c) in &en.cells {
            let shown = match &**c {
                CellOutput::Table(t) => format!("{:?}", (&t.header, &t.rows)),
                CellOutput::Rollup { title, lines } => format!("{title} {lines:?}"),
                _ => continue,
            };
            for w in samsyn_words.iter().filter(|w| !text.contains(*w)) {
                assert!(
                    !shown.contains(w),
                    "{name}/{id} says '{w}' in English: {shown}"
                );
            }
        }
        let report_text = html
            .split("<section")
            .filter(|s| !s.contains("<svg"))
            .collect::<String>();
        for w in samsyn_words {
            if !text.contains(w) {
                assert!(
                    !report_text.contains(w),
                    "{name}: the English report says '{w}'"
                );
            }
        }
        // And the Swedish run of the same session is still Swedish.
        let sv_html = report::render(&sv, "test");
        assert!(sv_html.starts_with("<!DOCTYPE html>\n<html lang=\"sv\">"));
        assert!(sv_html.contains("Beräknat med Samsyn test"));
    }
}

/// Issue 12: a legend says what each light is compared with, under every table and every bar
/// chart with lights, in the run's language, and the report shows it.
#[test]
fn issue_12_a_legend_says_what_each_light_is_compared_with() {
    let d = small_data();
    let (sv, en) = run_in(FALLS, Language::English, &d);
    let legend = |r: &NotebookResults, id: &str| -> Vec<(Light, String)> {
        match r.cells.iter().find(|(i, _)| i == id).map(|(_, c)| &**c) {
            Some(CellOutput::Table(t)) => t.legend.clone(),
            Some(CellOutput::Chart { legend, .. }) => legend.clone(),
            other => panic!("{id}: {other:?}"),
        }
    };
    // The DSR is compared with the county by its 95 % interval.
    let dsr = legend(&sv, "t-dsr-kommun");
    assert_eq!(
        dsr.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [Light::Green, Light::Yellow, Light::Red, Light::Grey]
    );
    assert_eq!(
        dsr[1].1,
        "ingen säker skillnad mot länet (länet inom 95 % KI)"
    );
    assert_eq!(
        dsr[0].1,
        "bättre än länet (hela 95 % KI på den bättre sidan)"
    );
    assert_eq!(
        legend(&en, "t-dsr-kommun")[1].1,
        "no clear difference from the county (the county within the 95% CI)"
    );
    // The bar chart of the same indicator says the same; the share assessed in time is lit by
    // quartiles within the county.
    assert_eq!(legend(&sv, "bar-dsr"), dsr);
    let assessed = legend(&sv, "bar-assessed");
    assert_eq!(assessed[0].1, "bland de 25 % bästa enheterna i länet");
    assert_eq!(assessed[2].1, "bland de 25 % sämsta enheterna i länet");
    // The report lists them with each light's word on its colour.
    let html = report::render(&sv, "test");
    assert!(
        html.contains("<li><span class=\"l-yellow\">gul</span> ingen säker skillnad mot länet (länet inom 95 % KI)</li>"),
        "no legend in the report"
    );
}

/// Issue 12: a notebook that cannot be opened is refused in Swedish on the Swedish page too
/// (`FormatError::swedish`), naming the cell, the parameter or the limit as the English does.
#[test]
fn issue_12_a_notebook_that_does_not_open_is_refused_in_swedish_too() {
    let swedish = |text: &str| Notebook::open(text).expect_err("refused").swedish();
    assert!(swedish("{")
        .starts_with("Detta är ingen anteckningsbok från Samsyn: den är inte giltig JSON ("));
    assert_eq!(
        swedish(&FALLS.replacen("\"version\": 1", "\"version\": 7", 1)),
        "Anteckningsboken sparades av en nyare Samsyn (formatversion 7); den här versionen läser upp till 1. Uppdatera Samsyn för att öppna den."
    );
    let bad_id = FALLS.replacen("\"id\": \"params\"", "\"id\": \"../x\"", 1);
    let e = Notebook::open(&bad_id).expect_err("a path as an id");
    assert!(
        e.to_string()
            .contains("it has a character that is not allowed"),
        "{e}"
    );
    assert!(
        e.swedish().starts_with("Cell 2 har id:t \"../x\": det har ett tecken som inte är tillåtet. Ett cell-id namnger cellens filer"),
        "{}",
        e.swedish()
    );
    let twice = FALLS.replacen(
        "\"name\": \"disclosure_threshold\"",
        "\"name\": \"kommun\"",
        1,
    );
    assert_eq!(
        swedish(&twice),
        "Parametern \"kommun\" (cellen 'params'): den anges två gånger."
    );
    let mut nb = Notebook::open(FALLS).unwrap();
    let text = nb
        .cells
        .iter()
        .find(|c| c.id() == "intro")
        .cloned()
        .unwrap();
    while nb.cells.len() <= 500 {
        let mut c = text.clone();
        if let samsyn_core::notebook::format::Cell::Text(t) = &mut c {
            t.id = format!("t{}", nb.cells.len());
        }
        nb.cells.push(c);
    }
    assert_eq!(
        swedish(&nb.save()),
        "Anteckningsboken är för stor: antalet celler är 501, och högst 500 är tillåtet. Dela upp analysen i flera anteckningsböcker."
    );
}
