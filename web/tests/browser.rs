//! Tests that run in headless Chromium: the core in WebAssembly, reading real browser Blobs,
//! and the app mounted into a real DOM.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use samsyn_core::counts::count_per_kommun;
use samsyn_core::ingest::DialectOverrides;
use samsyn_core::table::roles::RoleChoices;
use samsyn_core::Error;
use samsyn_web::read_file::{read_blob_in_pieces, Progress};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A Windows-1252, semicolon-separated file as Swedish Excel saves it, with a bad row.
fn excel_csv() -> Vec<u8> {
    let mut s = b"Kommun;Namn;Antal\r\n".to_vec();
    for i in 0..3000 {
        let (code, name): (&str, &[u8]) = match i % 3 {
            0 => ("2480", b"Ume\xE5"),
            1 => ("2482", b"Skellefte\xE5"),
            _ => ("180", b"Stockholm"),
        };
        s.extend_from_slice(code.as_bytes());
        s.push(b';');
        s.extend_from_slice(name);
        s.extend_from_slice(format!(";{},5\r\n", i % 10).as_bytes());
    }
    s.extend_from_slice(b"2480;Ume\xE5;-1\r\n");
    s
}

fn blob_of(bytes: &[u8]) -> gloo::file::Blob {
    gloo::file::Blob::new(bytes)
}

#[wasm_bindgen_test]
async fn chunked_blob_read_in_the_browser_equals_whole_read() {
    let bytes = excel_csv();
    let whole =
        count_per_kommun("excel.csv", &bytes, DialectOverrides::default()).expect("readable");
    let progress = RefCell::new(Vec::<Progress>::new());
    let on_progress = |p: Progress| progress.borrow_mut().push(p);
    let view = read_blob_in_pieces(
        "excel.csv",
        &blob_of(&bytes),
        777,
        &RoleChoices::default(),
        &on_progress,
        Rc::new(Cell::new(false)),
    )
    .await
    .expect("readable");
    let chunked = view.counts.expect("a kommun column");
    // The inspection of the same pass: the count column is decimal, the kommun a code.
    let types: Vec<&str> = view
        .inspection
        .columns
        .iter()
        .map(|c| c.column_type.name())
        .collect();
    assert_eq!(types, vec!["text", "text", "decimal"]);
    assert_eq!(whole.rows(), chunked.rows());
    let rows = chunked.rows();
    assert_eq!(
        rows.iter()
            .map(|r| (r.kommun.as_str(), r.rows))
            .collect::<Vec<_>>(),
        vec![("0180", 1000), ("2480", 1000), ("2482", 1000)]
    );
    // Sums of i % 10 + 0.5 over each third of 0..3000, computed independently.
    let expected_2480: f64 = (0..3000)
        .filter(|i| i % 3 == 0)
        .map(|i| (i % 10) as f64 + 0.5)
        .sum();
    assert_eq!(rows[1].sum, Some(expected_2480));
    assert_eq!(chunked.skipped_rows, 1);
    assert_eq!(
        chunked.problems.total, 1001,
        "1000 repaired codes and one negative count"
    );
    let last = progress
        .borrow()
        .last()
        .copied()
        .expect("progress reported");
    assert_eq!(
        (last.bytes_done, last.bytes_total, last.rows_done),
        (bytes.len() as u64, bytes.len() as u64, 3001)
    );
    assert_eq!(
        progress.borrow().len(),
        1,
        "a 55 kB file is read before the first 4 MB report"
    );
}

#[wasm_bindgen_test]
async fn cancelling_stops_the_read() {
    // About 12 MB, so that progress is reported (every 4 MB) while the file is still being read.
    let mut bytes = b"kommun;antal\n".to_vec();
    while bytes.len() < 12 << 20 {
        bytes.extend_from_slice(b"2480;1\n2482;2\n");
    }
    let cancel = Rc::new(Cell::new(false));
    let flag = cancel.clone();
    let reports = Rc::new(Cell::new(0));
    let seen = reports.clone();
    let on_progress = move |_: Progress| {
        seen.set(seen.get() + 1);
        flag.set(true);
    };
    let result = read_blob_in_pieces(
        "big.csv",
        &blob_of(&bytes),
        usize::MAX,
        &RoleChoices::default(),
        &on_progress,
        cancel,
    )
    .await;
    assert!(
        matches!(result, Err(Error::Cancelled)),
        "{:?}",
        result.map(|v| v.inspection.stats.rows)
    );
    assert_eq!(reports.get(), 1, "stopped right after the first report");
}

#[wasm_bindgen_test]
async fn app_mounts_with_the_example_button_and_privacy_note() {
    let host = mount_app();
    // Let the renderer run.
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
        .await
        .ok();
    gloo_sleep().await;
    let button = host
        .query_selector("#open-sample")
        .ok()
        .flatten()
        .expect("example button");
    assert_eq!(
        button.text_content().unwrap_or_default(),
        "Öppna exempeldata (syntetisk)"
    );
    let input = host
        .query_selector("#file")
        .ok()
        .flatten()
        .expect("file input");
    assert_eq!(
        input
            .dyn_into::<web_sys::HtmlInputElement>()
            .expect("input")
            .type_(),
        "file"
    );
    assert!(host
        .text_content()
        .unwrap_or_default()
        .contains("Inget skickas någonstans."));
}

/// The app mounted into a new element of the test page.
fn mount_app() -> web_sys::Element {
    let host = new_host();
    yew::Renderer::<samsyn_web::app::App>::with_root(host.clone()).render();
    host
}

/// A new element of the test page to mount into.
fn new_host() -> web_sys::Element {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    let host = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append");
    host
}

/// Yields to the browser's event loop once (a zero timeout).
async fn gloo_sleep() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 10);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
fn numbers_are_written_as_each_language_writes_them() {
    use samsyn_web::i18n::Lang;
    assert_eq!(Lang::Sv.number(1234567.0), "1\u{a0}234\u{a0}567");
    assert_eq!(Lang::En.number(1234.25), "1,234.3");
    assert_eq!(Lang::Sv.number(19.5), "19,5");
    assert_eq!(Lang::Sv.number(-5.0), "−5");
}

/// The hostile notebooks of `tests/data/hostile/notebooks/` that the loader must refuse (or,
/// for the parameter bomb, open without growing), opened here in WebAssembly: a notebook that
/// kills the tab when merely opened is data loss.
#[wasm_bindgen_test]
fn hostile_notebooks_are_refused_by_the_loader_in_the_browser() {
    use samsyn_core::notebook::{prepare, Notebook};
    use serde_json::Value;
    let base: Value =
        serde_json::from_str(include_str!("../../notebooks/falls.samsyn.json")).expect("json");
    let cases = [
        include_str!("../../tests/data/hostile/notebooks/path_traversal_id.json"),
        include_str!("../../tests/data/hostile/notebooks/absolute_id.json"),
        include_str!("../../tests/data/hostile/notebooks/backslash_id.json"),
        include_str!("../../tests/data/hostile/notebooks/long_id.json"),
        include_str!("../../tests/data/hostile/notebooks/id_from_parameter.json"),
        include_str!("../../tests/data/hostile/notebooks/duplicate_id.json"),
        include_str!("../../tests/data/hostile/notebooks/parameter_value_too_long.json"),
        include_str!("../../tests/data/hostile/notebooks/bad_level.json"),
        include_str!("../../tests/data/hostile/notebooks/parameter_bomb.json"),
    ];
    for text in cases {
        let case: Value = serde_json::from_str(text).expect("case");
        let mut nb = base.clone();
        for p in case["patch"].as_array().expect("patch") {
            let pointer = p[0].as_str().expect("pointer");
            let (parent, last) = pointer.rsplit_once('/').expect("pointer");
            match (nb.pointer_mut(parent).expect("parent"), last) {
                (Value::Array(a), "-") => a.push(p[1].clone()),
                (Value::Array(a), i) => a[i.parse::<usize>().expect("index")] = p[1].clone(),
                (Value::Object(o), k) => {
                    o.insert(k.to_owned(), p[1].clone());
                }
                _ => panic!("{pointer}"),
            }
        }
        let outcome = Notebook::open(&nb.to_string())
            .map_err(|e| e.to_string())
            .and_then(|n| {
                prepare(&n, &[])
                    .map(|p| p.notebook.title)
                    .map_err(|e| e.to_string())
            });
        if case["exit"] == 0 {
            let title = outcome.expect("opens");
            assert!(title.starts_with("$b$b$b$b$b$b$b$b"), "{title:.40}");
            assert!(title.len() < 200, "the parameters expanded");
        } else {
            let message = outcome.expect_err("refused");
            let want = case["stderr"][0].as_str().expect("message");
            assert!(message.contains(want), "{message} lacks {want}");
        }
    }
}

/// The hostile files of `tests/data/hostile/files/` read in WebAssembly: each gives exactly
/// its expected outcome (rows, problems, or the error that refuses it), and none kills the
/// page (a dense workbook or a zip bomb would abort the tab on allocation).
#[wasm_bindgen_test]
fn hostile_files_have_their_expected_outcome_in_the_browser() {
    use samsyn_core::ingest::ReadOptions;
    use samsyn_core::inspect::inspect_bytes;
    use serde_json::{json, Value};
    macro_rules! case {
        ($name:literal) => {
            (
                $name,
                &include_bytes!(concat!("../../tests/data/hostile/files/", $name))[..],
                include_str!(concat!(
                    "../../tests/data/hostile/files/",
                    $name,
                    ".expected.json"
                )),
            )
        };
    }
    let cases = [
        case!("dense_corners.ods"),
        case!("dense_corners.xls"),
        case!("dense_corners.xlsx"),
        case!("dimensions_claim_4g_rows.xls"),
        case!("fuzz_crash_xls_datemode_cut.xls"),
        case!("fuzz_crash_xls_formula.xls"),
        case!("fuzz_crash_xls_sector_past_end.xls"),
        case!("huge_cube.px"),
        case!("many_variables.px"),
        case!("non_utf8_bytes.csv"),
        case!("nul_bytes_in_text.csv"),
        case!("ragged_rows.csv"),
        case!("repeated_value.ods"),
        case!("stray_quote_swallows_rows.csv"),
        case!("styled_empty_to_sheet_end.ods"),
        case!("too_many_columns_header.csv"),
        case!("too_many_columns_row.csv"),
        case!("unclosed_quote_swallows_rows.csv"),
        case!("zip_claims_4gb.xlsx"),
        case!("zip_understates_size.xlsx"),
    ];
    for (name, bytes, expected) in cases {
        let want: Value = serde_json::from_str(expected).expect("expected json");
        let got = match inspect_bytes(name, bytes, ReadOptions::default()) {
            Err(e) => json!({ "error": e.to_string(), "exit_code": 2 }),
            Ok(i) => {
                let s = i.summary();
                json!({
                    "rows": s.rows,
                    "skipped_rows": s.skipped_rows,
                    "blank_rows": s.blank_rows,
                    "columns": s.columns.len(),
                    "problems_total": s.problems_total,
                    "problems": s.problems.iter().map(|p| json!({
                        "row": p.row, "column": p.column, "message": p.message,
                    })).collect::<Vec<_>>(),
                    "exit_code": 0,
                })
            }
        };
        // The expected file may hold more (e.g. chunked reads); every field it shares must agree.
        for (k, v) in want.as_object().expect("object") {
            if let Some(g) = got.get(k) {
                assert_eq!(g, v, "{name}: {k}");
            }
        }
    }
}

/// The editor's operations in WebAssembly: an edited notebook saved opens to the same value.
#[wasm_bindgen_test]
fn an_edited_notebook_saved_in_the_browser_opens_to_the_same_value() {
    use samsyn_core::notebook::Notebook;
    use samsyn_web::edit::Edit;
    use samsyn_web::edit::{History, NewCell};
    let nb = Notebook::open(include_str!("../../notebooks/falls.samsyn.json")).expect("opens");
    let mut h = History::new(nb.clone());
    h.apply(&Edit::Insert {
        after: Some("intro".into()),
        kind: NewCell::Text,
    })
    .expect("inserts");
    h.apply(&Edit::SetMarkdown {
        cell: "text".into(),
        markdown: "**Åtgärd:** fler hembesök".into(),
    })
    .expect("types");
    h.apply(&Edit::SetTableLevel {
        cell: "t-dsr-kommun".into(),
        level: "kommun,sex,year".into(),
    })
    .expect("a level");
    assert_eq!(
        h.apply(&Edit::SetTableLevel {
            cell: "t-dsr-kommun".into(),
            level: "kommun,yaer".into(),
        })
        .map_err(|e| e
            .text(samsyn_web::i18n::Lang::Sv)
            .starts_with("Nivån godtas inte")),
        Err(true)
    );
    h.apply(&Edit::Delete("t-dsr-lan".into())).expect("deletes");
    let text = h.save();
    let opened = Notebook::open(&text).expect("opens");
    assert_eq!(&opened, &**h.notebook());
    assert_eq!(opened.cells.len(), nb.cells.len());
    assert!(h.undo() && h.undo() && h.undo() && h.undo());
    assert_eq!(**h.notebook(), nb);
}

fn query(host: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    host.query_selector(selector).ok().flatten()
}

/// Waits (up to about two seconds) for an element the app renders.
async fn wait_for(host: &web_sys::Element, selector: &str) -> web_sys::Element {
    for _ in 0..200 {
        if let Some(e) = query(host, selector) {
            return e;
        }
        gloo_sleep().await;
    }
    panic!(
        "no {selector} in {}",
        host.inner_html().chars().take(2000).collect::<String>()
    );
}

/// Sets a field's value and sends the event Yew listens for (bubbling, as a user's would).
fn type_into(element: &web_sys::Element, value: &str, event: &str) {
    if let Some(t) = element.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.set_value(value);
    } else if let Some(i) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    }
    let e = web_sys::Event::new(event).expect("event");
    e.init_event_with_bubbles(event, true);
    element.dispatch_event(&e).expect("dispatched");
}

fn click(element: &web_sys::Element) {
    element
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// The editor on the page: a new notebook, its text cell typed into with the preview rendered
/// as safely as the report, undo, a cell added, and a bad multiplier refused where typed.
#[wasm_bindgen_test]
async fn the_editor_edits_a_new_notebook_on_the_page() {
    let host = mount_app();
    // The start screen's third way in: a new notebook, empty.
    click(&wait_for(&host, "#start-new").await);
    wait_for(&host, "#empty-notebook").await;
    click(&wait_for(&host, ".add-text[data-after=\"\"]").await);
    let md = wait_for(&host, "#md-text").await;
    type_into(&md, "# Rubrik\n\n**fet** <script>x</script>", "input");
    gloo_sleep().await;
    let preview = wait_for(&host, "#preview-text").await.inner_html();
    assert!(preview.contains("<h1>Rubrik</h1>"), "{preview}");
    assert!(preview.contains("<strong>fet</strong>"), "{preview}");
    assert!(
        preview.contains("&lt;script&gt;"),
        "raw HTML is escaped: {preview}"
    );
    assert!(query(&host, "#unsaved").is_some());
    click(&wait_for(&host, "#undo").await);
    gloo_sleep().await;
    let preview = wait_for(&host, "#preview-text").await.inner_html();
    assert!(
        !preview.contains("Rubrik"),
        "the typing is undone: {preview}"
    );

    click(&wait_for(&host, ".add-indicators[data-after=\"text\"]").await);
    gloo_sleep().await;
    click(&wait_for(&host, ".add-table[data-after=\"text\"]").await);
    gloo_sleep().await;
    let cells: Vec<String> = {
        let list = host.query_selector_all("#cells > li").expect("cells");
        (0..list.length())
            .filter_map(|i| list.get(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            .filter_map(|e| e.get_attribute("data-cell"))
            .collect()
    };
    assert_eq!(cells, ["text", "table", "indicators"]);

    let field = "#multiplier-indicators-indicator";
    type_into(&wait_for(&host, field).await, "tusen", "change");
    gloo_sleep().await;
    let error = wait_for(&host, &format!("{field}-error")).await;
    assert_eq!(
        error.text_content().unwrap_or_default(),
        "«tusen» är inte ett positivt tal. Skriv till exempel 100, 1000 eller 100 000, eller lämna tomt för standardvärdet."
    );
    let input = wait_for(&host, field).await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        input
            .dyn_ref::<web_sys::HtmlInputElement>()
            .expect("input")
            .value(),
        "tusen",
        "the refused text stays where it was typed"
    );
    host.remove();
}

/// A small table as core's `view::table` gives it: shown fields (Swedish numbers, a light) and
/// its full-precision CSV.
fn sample_table() -> samsyn_core::notebook::output::TableOutput {
    use samsyn_core::classify::Light;
    use samsyn_core::export::{CsvWriter, Field};
    use samsyn_core::notebook::output::{TableOutput, TableRow};
    let shown = |unit: &str, value: &str, light: Light, highlight: bool| TableRow {
        fields: vec![
            (unit.to_owned(), None),
            (value.to_owned(), None),
            (light.swedish().to_owned(), Some(light)),
        ],
        highlight,
    };
    let mut csv = CsvWriter::new();
    csv.header(&["kommun", "value", "light"]);
    csv.record([
        Field::Text("2480"),
        Field::Number(1234.5),
        Field::Text("green"),
    ]);
    csv.record([
        Field::Text("2482"),
        Field::Number(-0.25),
        Field::Text("red"),
    ]);
    csv.record([
        Field::Text("2403"),
        Field::Maybe(None),
        Field::Text("not classified"),
    ]);
    csv.record([
        Field::Text("2409"),
        Field::Number(98.0),
        Field::Text("yellow"),
    ]);
    TableOutput {
        title: "Andel per kommun".into(),
        indicator: "andel".into(),
        file_name: "t-andel.csv".into(),
        header: vec!["Kommun".into(), "Värde (%)".into(), "Ljus".into()],
        rows: vec![
            shown("2480 Umeå", "1\u{a0}234,5", Light::Green, true),
            shown("2482 Skellefteå", "\u{2212}0,25", Light::Red, false),
            shown("2403 Bjurholm", "<5", Light::Grey, false),
            shown("2409 Robertsfors", "98,0", Light::Yellow, false),
        ],
        csv: csv.finish(),
        legend: vec![
            (
                Light::Green,
                "bättre än länet (hela 95 % KI på den bättre sidan)".into(),
            ),
            (
                Light::Yellow,
                "ingen säker skillnad mot länet (länet inom 95 % KI)".into(),
            ),
        ],
    }
}

fn first_column(host: &web_sys::Element) -> Vec<String> {
    let rows = host.query_selector_all("tbody tr th").expect("rows");
    (0..rows.length())
        .filter_map(|i| rows.get(i))
        .map(|n| n.text_content().unwrap_or_default())
        .collect()
}

/// A table cell's output in the page: a real table with a caption and scoped headers, lights
/// as symbol and word, sorted by a header's button (numbers as numbers, masked values last).
#[wasm_bindgen_test]
async fn an_output_table_shows_lights_in_words_and_sorts_numbers_as_numbers() {
    use samsyn_web::cell_output::{OutputProps, OutputTable};
    let host = new_host();
    yew::Renderer::<OutputTable>::with_root_and_props(
        host.clone(),
        OutputProps {
            cell: "t-andel".into(),
            output: Rc::new(samsyn_core::notebook::output::CellOutput::Table(
                sample_table(),
            )),
            lang: samsyn_web::i18n::Lang::Sv,
        },
    )
    .render();
    let table = wait_for(&host, "table#table-t-andel").await;
    // What each light means, each with its badge (symbol and word, never colour alone).
    let legend = query(&host, "ul#legend-t-andel")
        .and_then(|l| l.text_content())
        .unwrap_or_default();
    assert!(
        legend.contains("grön")
            && legend.contains("ingen säker skillnad mot länet (länet inom 95 % KI)"),
        "{legend}"
    );
    assert_eq!(
        query(&table, "caption")
            .and_then(|c| c.text_content())
            .as_deref(),
        Some("Andel per kommun")
    );
    assert_eq!(
        table
            .query_selector_all("thead th[scope=col]")
            .expect("th")
            .length(),
        3
    );
    assert_eq!(
        table
            .query_selector_all("tbody th[scope=row]")
            .expect("th")
            .length(),
        4
    );
    let lights: Vec<String> = {
        let l = table.query_selector_all("tbody .light").expect("lights");
        (0..l.length())
            .filter_map(|i| l.get(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect()
    };
    assert_eq!(lights, ["● grön", "■ röd", "○ ej klassad", "▲ gul"]);
    assert!(
        query(&table, "tr.highlight .light-green").is_some(),
        "the highlighted row keeps its light"
    );
    // By value, ascending: −0,25 < 98,0 < 1 234,5 (as text "1 234,5" would sort first), "<5" last.
    click(&wait_for(&host, "button.sort[data-column=\"1\"]").await);
    gloo_sleep().await;
    assert_eq!(
        first_column(&host),
        [
            "2482 Skellefteå",
            "2409 Robertsfors",
            "2480 Umeå",
            "2403 Bjurholm"
        ]
    );
    assert_eq!(
        query(&host, "thead th:nth-child(2)")
            .and_then(|t| t.get_attribute("aria-sort"))
            .as_deref(),
        Some("ascending")
    );
    // Again: descending, the masked value still last.
    click(&wait_for(&host, "button.sort[data-column=\"1\"]").await);
    gloo_sleep().await;
    assert_eq!(
        first_column(&host),
        [
            "2480 Umeå",
            "2409 Robertsfors",
            "2482 Skellefteå",
            "2403 Bjurholm"
        ]
    );
    // By light: red, yellow, green, not classified.
    click(&wait_for(&host, "button.sort[data-column=\"2\"]").await);
    gloo_sleep().await;
    assert_eq!(
        first_column(&host),
        [
            "2482 Skellefteå",
            "2409 Robertsfors",
            "2480 Umeå",
            "2403 Bjurholm"
        ]
    );
    assert!(
        query(&host, "#csv-excel-t-andel").is_some()
            && query(&host, "#csv-plain-t-andel").is_some()
    );
}

/// A table of 250 rows is drawn 100 at a time: "Visa 100 rader till" adds a page, "Visa alla
/// rader" the rest, and sorting orders every row, not only those drawn.
#[wasm_bindgen_test]
async fn a_long_table_is_drawn_a_page_at_a_time_and_sorts_every_row() {
    use samsyn_core::notebook::output::{CellOutput, TableOutput, TableRow};
    use samsyn_web::cell_output::{OutputProps, OutputTable};
    let rows: Vec<TableRow> = (0..250)
        .map(|i| TableRow {
            fields: vec![
                (format!("{:09}", 1000 + i), None),
                // 0, 7, 14, … modulo 250: the largest, 249, is row 107's, far past the first page.
                (((i * 7) % 250).to_string(), None),
            ],
            highlight: false,
        })
        .collect();
    let table = TableOutput {
        rows,
        ..sample_table()
    };
    let host = new_host();
    yew::Renderer::<OutputTable>::with_root_and_props(
        host.clone(),
        OutputProps {
            cell: "lang".into(),
            output: Rc::new(CellOutput::Table(table)),
            lang: samsyn_web::i18n::Lang::Sv,
        },
    )
    .render();
    let table = wait_for(&host, "table#table-lang").await;
    let drawn = |host: &web_sys::Element| {
        host.query_selector_all("tbody tr")
            .map(|l| l.length())
            .unwrap_or(0)
    };
    assert_eq!(drawn(&host), 100);
    assert_eq!(table.get_attribute("data-rows").as_deref(), Some("250"));
    assert_eq!(table.get_attribute("data-shown").as_deref(), Some("100"));
    assert_eq!(
        query(&host, "#more-lang [role=status]")
            .and_then(|s| s.text_content())
            .as_deref(),
        Some("Visar 100 av 250 rader.")
    );
    let more = wait_for(&host, "#more-rows-lang").await;
    assert_eq!(more.text_content().as_deref(), Some("Visa 100 rader till"));
    click(&more);
    gloo_sleep().await;
    assert_eq!(drawn(&host), 200);
    assert_eq!(
        query(&host, "#more-rows-lang")
            .and_then(|b| b.text_content())
            .as_deref(),
        Some("Visa 50 rader till")
    );
    // Descending by value: the first row drawn is the largest of all 250.
    click(&wait_for(&host, "button.sort[data-column=\"1\"]").await);
    gloo_sleep().await;
    click(&wait_for(&host, "button.sort[data-column=\"1\"]").await);
    gloo_sleep().await;
    assert_eq!(
        query(&host, "tbody tr td")
            .and_then(|c| c.text_content())
            .as_deref(),
        Some("249")
    );
    click(&wait_for(&host, "#all-rows-lang").await);
    gloo_sleep().await;
    assert_eq!(drawn(&host), 250);
    assert!(query(&host, "#more-lang").is_none(), "nothing more to show");
}

/// The table's CSV in both dialects, number for number.
#[wasm_bindgen_test]
fn a_table_exports_as_csv_for_swedish_excel_and_as_plain_csv() {
    use samsyn_core::export::CsvDialect;
    use samsyn_web::cell_output::{csv_file_name, table_csv};
    let table = sample_table();
    assert_eq!(
        table_csv(&table, CsvDialect::SwedishExcel),
        "\u{feff}kommun;value;light\n2480;1234,5;green\n2482;-0,25;red\n2403;;not classified\n2409;98;yellow\n"
    );
    assert_eq!(
        table_csv(&table, CsvDialect::Plain),
        "kommun,value,light\n2480,1234.5,green\n2482,-0.25,red\n2403,,not classified\n2409,98,yellow\n"
    );
    assert_eq!(
        csv_file_name(&table, CsvDialect::SwedishExcel),
        "t-andel-excel.csv"
    );
    assert_eq!(csv_file_name(&table, CsvDialect::Plain), "t-andel.csv");
}

/// Autosave: a notebook kept in localStorage comes back whole, heads the recent list, and
/// the app restores it after a "reload" (a new mount) with the note saying so.
#[wasm_bindgen_test]
async fn an_autosaved_notebook_is_restored_after_a_reload() {
    use samsyn_web::autosave::{forget_current, keep, kept, recent, Kept};
    let mut notebook = samsyn_web::edit::new_notebook().expect("template");
    notebook.title = "Autosparad analys 2026".into();
    let entry = Kept::of("ny", &notebook, 1_764_590_400_000.0);
    keep(&entry).expect("storage works in the test browser");
    let back = kept().expect("readable").expect("kept");
    assert_eq!(back, entry);
    assert_eq!(back.open().expect("opens"), notebook);
    assert_eq!(recent().expect("readable").first(), Some(&entry));
    // A new page (the app mounted again) opens it, not the example.
    let host = mount_app();
    let note = wait_for(&host, "#restored").await;
    assert!(note
        .text_content()
        .unwrap_or_default()
        .starts_with("Återställd från webbläsarens lagring"));
    let title = wait_for(&host, "#notebook-title").await;
    assert_eq!(
        title
            .dyn_ref::<web_sys::HtmlInputElement>()
            .expect("input")
            .value(),
        "Autosparad analys 2026"
    );
    // Restored work was never saved as a file: it counts as unsaved.
    wait_for(&host, "#unsaved").await;
    forget_current().expect("storage");
    assert_eq!(kept().expect("readable"), None);
    host.remove();
}
