//! Issue 10, "no row is ever lost in silence", on small hand-made files: condition values that
//! cannot be compared, data-cell contracts, kommun names beside kommun codes, dates in every
//! format the file view reads, years covered in part, and the invariant read = used + refused
//! for any rows at all (proptest). The sample county with injected bad rows is run through
//! every example notebook by `cli/tests/bad_rows.rs`.

use proptest::prelude::*;
use samsyn_core::counts::count_per_kommun;
use samsyn_core::ingest::DialectOverrides;
use samsyn_core::notebook::exec::{
    prepare, read_input, CellOutput, Input, NotebookResults, Session,
};
use samsyn_core::notebook::Notebook;
use samsyn_core::row_checks::Refusal;
use samsyn_core::table::roles::Role;

const HEADER: &str = "id,date,deso,kommun,sex,age,event_type,value\n";

/// A notebook over one `events` input: falls counted, care requests assessed (value = 1) as a
/// share, per kommun and year; `contract` is the data cell's, if any.
fn notebook(contract: &str) -> Notebook {
    let contract = if contract.is_empty() {
        String::new()
    } else {
        format!(r#", "contract": {contract}"#)
    };
    let text = format!(
        r#"{{"format": "samsyn-notebook", "version": 1, "title": "t", "cells": [
  {{"type": "data", "id": "events", "name": "events",
    "keys": {{"deso": "deso", "date": "date", "sex": "sex", "age": "age"}}{contract}}},
  {{"type": "indicators", "id": "ind", "indicators": [
    {{"id": "falls", "name": "Fall", "measure": "count",
      "numerator": {{"source": "events", "where": [{{"column": "event_type", "op": "=", "value": "fall_injury"}}]}}}},
    {{"id": "assessed", "name": "Bedömda", "measure": "share",
      "numerator": {{"source": "events", "where": [{{"column": "value", "op": "=", "value": 1}},
                                                  {{"column": "event_type", "op": "=", "value": "care"}}]}},
      "denominator": {{"source": "events", "where": [{{"column": "event_type", "op": "=", "value": "care"}}]}}}}]}},
  {{"type": "table", "id": "falls_table", "indicator": "falls", "level": "kommun,year"}},
  {{"type": "table", "id": "assessed_table", "indicator": "assessed", "level": "kommun,year"}}
]}}"#
    );
    Notebook::open(&text).unwrap()
}

fn read(nb: &Notebook, events: &str) -> (Input, NotebookResults) {
    let prepared = prepare(nb, &[]).unwrap();
    let input = read_input(&prepared, "events", "events.csv", events.as_bytes()).unwrap();
    let results = Session::default()
        .run(&prepared, std::slice::from_ref(&input))
        .unwrap();
    (input, results)
}

fn problems(input: &Input) -> Vec<String> {
    input
        .source
        .problems
        .kept
        .iter()
        .map(|p| p.to_string())
        .collect()
}

/// The problems as the Swedish page shows them (marked where one has no Swedish).
fn problems_sv(input: &Input) -> Vec<String> {
    input
        .source
        .problems
        .kept
        .iter()
        .map(|p| match p.message_sv {
            Some(_) => p.swedish(),
            None => format!("no Swedish: {p}"),
        })
        .collect()
}

fn refused(input: &Input) -> Vec<(String, u64)> {
    input
        .source
        .rows
        .refused
        .iter()
        .map(|(r, n)| (r.to_string(), *n))
        .collect()
}

/// The unmasked numerator and denominator of an indicator at `kommun,year` per (unit, period).
fn sums(r: &NotebookResults, id: &str) -> Vec<(String, String, f64, f64)> {
    let results = r.results.as_ref().unwrap();
    let t = results
        .tables
        .iter()
        .find(|t| t.indicator == id && t.level.file_name() == "kommun_year")
        .unwrap();
    t.rows
        .iter()
        .map(|u| {
            (
                u.keys.join(" "),
                u.period.clone().unwrap_or_default(),
                u.numerator,
                u.denominator,
            )
        })
        .collect()
}

/// The table cell's rows as (unit, period, numerator, denominator, reason).
fn table(r: &NotebookResults, id: &str) -> Vec<Vec<String>> {
    let Some(CellOutput::Table(t)) = r.cells.iter().find(|(i, _)| i == id).map(|(_, o)| &**o)
    else {
        panic!("no table {id}");
    };
    t.rows
        .iter()
        .map(|row| {
            let f = |i: usize| {
                row.fields
                    .get(i)
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default()
            };
            vec![f(0), f(1), f(2), f(3), f(7)]
        })
        .collect()
}

#[test]
fn issue_10_a_condition_value_that_cannot_be_compared_refuses_the_row_once_per_value() {
    let events = format!(
        "{HEADER}\
         1,2024-01-05,2480C1010,2480,K,70,care,1\n\
         2,2024-01-06,2480C1010,2480,K,70,care,ja\n\
         3,2024-01-07,2480C1010,2480,K,70,care,ja\n\
         4,2024-01-08,2480C1010,2480,K,70,care,\"1,0\"\n\
         5,2024-01-09,2480C1010,2480,K,70,fall_injury,ja\n"
    );
    let (input, r) = read(&notebook(""), &events);
    assert_eq!(
        problems(&input),
        [
            "events.csv, row 3, column 'value': 'ja' in 'value' is not a number, so the condition value = 1 cannot be tested; 2 rows with it are refused, the first at row 3",
            "events.csv, row 5, column 'value': '1,0' in 'value' is not a number, so the condition value = 1 cannot be tested",
        ]
    );
    // The fall's `ja` is never compared: the text condition is tested first and fails.
    let rows = &input.source.rows;
    assert_eq!((rows.read, rows.used), (5, 2));
    assert_eq!(
        refused(&input),
        [("condition value cannot be compared".to_owned(), 3)]
    );
    assert_eq!(
        rows.refused_rows
            .iter()
            .map(|(r, _)| *r)
            .collect::<Vec<_>>(),
        [3, 4, 5]
    );
    // One care request of one, not one of four.
    assert_eq!(
        sums(&r, "assessed"),
        [("2480".to_owned(), "2024".to_owned(), 1.0, 1.0)]
    );
    assert_eq!(sums(&r, "falls")[0].2, 1.0);
}

const CONTRACT: &str = r#"{"row_id": "id", "allowed": {"sex": ["K", "M"]},
  "ranges": {"value": {"min": 0, "max": 1, "integer": true,
                       "when": {"column": "event_type", "op": "=", "value": "care"}}}}"#;

#[test]
fn issue_10_every_breach_of_a_contract_is_a_located_problem_and_refuses_the_row() {
    let events = format!(
        "{HEADER}\
         1,2024-01-05,2480C1010,2480,K,70,care,1\n\
         1,2024-01-06,2480C1010,2480,K,71,care,0\n\
         2,2024-01-07,2480C1010,2480,X,70,care,0\n\
         3,2024-01-08,2480C1010,2480,K,70,care,2\n\
         4,2024-01-09,2480C1010,2480,K,70,admission,5\n\
         5,2024-01-10,2480C1010,2480,K,70,care,0.5\n\
         ,2024-01-11,2480C1010,2480,K,70,care,0\n"
    );
    let (input, r) = read(&notebook(CONTRACT), &events);
    assert_eq!(
        problems(&input),
        [
            "events.csv, row 3, column 'id': the row id '1' was seen in an earlier row",
            "events.csv, row 4, column 'sex': 'X' is not one of the values allowed in 'sex' (K, M)",
            "events.csv, row 5, column 'value': 2 is outside the range of 'value' (0 to 1)",
            "events.csv, row 7, column 'value': '0.5' is not a whole number",
            "events.csv, row 8, column 'id': the row id is empty",
        ]
    );
    // Issue 12: the Swedish page words each breach in Swedish, quoting the same values.
    assert_eq!(
        problems_sv(&input),
        [
            "events.csv, rad 3, kolumn 'id': rad-id:t '1' fanns redan på en tidigare rad",
            "events.csv, rad 4, kolumn 'sex': 'X' finns inte bland de tillåtna värdena i kolumnen 'sex' (K, M)",
            "events.csv, rad 5, kolumn 'value': 2 ligger utanför intervallet för kolumnen 'value' (0 till 1)",
            "events.csv, rad 7, kolumn 'value': '0.5' är inte ett heltal",
            "events.csv, rad 8, kolumn 'id': rad-id:t är tomt",
        ]
    );
    assert_eq!(
        refused(&input),
        [
            ("row id empty or seen before".to_owned(), 2),
            ("'sex' not an allowed value".to_owned(), 1),
            ("'value' not a number".to_owned(), 1),
            ("'value' outside its range".to_owned(), 1),
        ]
    );
    let rows = &input.source.rows;
    assert_eq!((rows.read, rows.used), (7, 2));
    assert!(rows.balances());
    // The data cell says it, with reasons and rows but no values.
    let data = r
        .cells
        .iter()
        .find(|(i, _)| i == "events")
        .map(|(_, o)| (**o).clone());
    let Some(CellOutput::Data { summary, .. }) = data else {
        panic!("no data cell")
    };
    assert_eq!(
        (summary.rows, summary.used, summary.refused_total()),
        (7, 2, 5)
    );
    let html = samsyn_core::notebook::report::render(&r, "test");
    assert!(
        html.contains("7 rader lästa, 2 använda, 5 avvisade"),
        "{html}"
    );
    // In Swedish, as the report is.
    assert!(
        html.contains(
            "rad 3: rad-id tomt eller redan sett; rad 4: &#39;sex&#39; har ett värde som inte är tillåtet"
        ),
        "{html}"
    );
    assert!(html.contains("<tr><td>&#39;value&#39; utanför sitt intervall</td><td>1</td></tr>"));
    // The reader's problems too, without the values.
    assert!(
        html.contains(
            "<li>events.csv, rad 4, kolumn &#39;sex&#39;: &#39;…&#39; finns inte bland de tillåtna värdena"
        ),
        "{html}"
    );
    // The counts and reasons (before the reader's first problems, which quote values).
    let data = html
        .split("<div class=\"data\">")
        .nth(1)
        .and_then(|d| d.split("<ul").next());
    let data = data.unwrap_or_default();
    assert!(
        !data.contains("'X'") && !data.contains("0.5") && !data.contains("&#39;X"),
        "{data}"
    );
}

#[test]
fn issue_12_the_plans_key_and_sum_breaches_are_worded_in_swedish() {
    let nb = Notebook::open(
        r#"{"format": "samsyn-notebook", "version": 1, "title": "t", "cells": [
  {"type": "data", "id": "stays", "name": "stays",
    "keys": {"lan": "lan", "date": "date", "sex": "sex", "age_band": "band"}},
  {"type": "indicators", "id": "ind", "indicators": [
    {"id": "days", "name": "Vårddagar", "measure": "mean", "polarity": "no_judgement",
      "numerator": {"source": "stays", "sum": "days"}}]},
  {"type": "table", "id": "days_table", "indicator": "days", "level": "lan,year"}
]}"#,
    )
    .unwrap();
    let prepared = prepare(&nb, &[]).unwrap();
    let csv = "lan,date,sex,band,days\n\
               24,2024-01-05,K,65-69,3\n\
               2X,2024-01-05,K,65-69,3\n\
               24,2024-01-05,,65-69,3\n\
               24,2024-01-05,K,65-70,3\n\
               24,2024-01-05,K,65-69,-3\n";
    let input = read_input(&prepared, "stays", "stays.csv", csv.as_bytes()).unwrap();
    assert_eq!(
        problems(&input),
        [
            "stays.csv, row 3, column 'lan': '2X' is not a län code (two digits, e.g. 24)",
            "stays.csv, row 4, column 'sex': the sex is empty",
            "stays.csv, row 5, column 'band': '65-70' is not a 5-year age band (0-4, 5-9, …, 85-89, 90+)",
            "stays.csv, row 6, column 'days': '-3' is not a number of zero or more",
        ]
    );
    assert_eq!(
        problems_sv(&input),
        [
            "stays.csv, rad 3, kolumn 'lan': '2X' är ingen länskod (två siffror, t.ex. 24)",
            "stays.csv, rad 4, kolumn 'sex': uppgift om kön saknas",
            "stays.csv, rad 5, kolumn 'band': '65-70' är ingen femårsklass (0-4, 5-9, …, 85-89, 90+)",
            "stays.csv, rad 6, kolumn 'days': '-3' är inte ett tal som är noll eller mer",
        ]
    );
    let rows = &input.source.rows;
    assert_eq!((rows.read, rows.used), (5, 1));
}

#[test]
fn issue_10_a_contract_naming_a_column_the_file_lacks_is_an_error() {
    let nb = notebook(r#"{"row_id": "event_id"}"#);
    let prepared = prepare(&nb, &[]).unwrap();
    let e = read_input(&prepared, "events", "events.csv", HEADER.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "events.csv: no column for the column 'event_id' of the contract of 'events' (row_id); the columns are id, date, deso, kommun, sex, age, event_type, value. Rename the column in the file, or name one of these instead."
    );
    assert_eq!(
        e.swedish(),
        "events.csv: ingen kolumn för kolumnen 'event_id' i kontraktet för 'events' (row_id); kolumnerna är id, date, deso, kommun, sex, age, event_type, value. Byt namn på kolumnen i filen, eller ange en av dessa i stället."
    );
}

#[test]
fn issue_12_a_key_or_condition_column_the_file_lacks_is_named_in_both_languages_without_internal_paths(
) {
    let prepared = prepare(&notebook(""), &[]).unwrap();
    // The data cell names `deso` as the DeSO key; this file calls it `area`.
    let header = HEADER.replace("deso", "area");
    let e = read_input(&prepared, "events", "events.csv", header.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "events.csv: no column for the column 'deso' that the data cell 'events' gives for the key deso; the columns are id, date, area, kommun, sex, age, event_type, value. Rename the column in the file, or name one of these instead."
    );
    assert_eq!(
        e.swedish(),
        "events.csv: ingen kolumn för kolumnen 'deso' som datacellen 'events' anger för nyckeln deso; kolumnerna är id, date, area, kommun, sex, age, event_type, value. Byt namn på kolumnen i filen, eller ange en av dessa i stället."
    );
    // An indicator's condition tests `event_type`; this file calls it `kind`.
    let header = HEADER.replace("event_type", "kind");
    let e = read_input(&prepared, "events", "events.csv", header.as_bytes()).unwrap_err();
    assert_eq!(
        e.swedish(),
        "events.csv: ingen kolumn för kolumnen 'event_type' i indikatorn 'falls' (täljaren, where); kolumnerna är id, date, deso, kommun, sex, age, kind, value. Byt namn på kolumnen i filen, eller ange en av dessa i stället."
    );
}

#[test]
fn issue_10_without_a_contract_the_known_roles_have_their_defaults() {
    let events = format!(
        "{HEADER}\
         1,2024-01-05,2480C1010,2480,K,70,fall_injury,1\n\
         2,2024-01-05,2480C1010,2482,K,70,fall_injury,1\n\
         3,2024-01-05,2499C1010,2499,K,70,fall_injury,1\n\
         4,2024-01-05,2480C1010,2480,K,121,fall_injury,1\n\
         5,2024-01-05,2480C1010,2480,K,70.5,fall_injury,1\n\
         6,2024-01-05,2480C1010,2480,X,70,fall_injury,1\n\
         6,2024-01-05,2480C1010,2480,X,70,fall_injury,1\n\
         7,2024-02-30,2480C1010,2480,K,70,fall_injury,1\n\
         8,2024M03,2480C1010,2480,K,70,fall_injury,1\n\
         9,20240301,2480C1010,2480,K,70,fall_injury,1\n\
         10,2024-03-01,2480C1010,2480,K,70,fall_injury,1,\n\
         11,2024-03-01,2480C1010,2480,K,70,fall_injury\n\
         \n"
    );
    let (input, r) = read(&notebook(""), &events);
    assert_eq!(
        problems(&input),
        [
            "events.csv, row 3, column 'kommun': kommun '2482' is not the kommun of DeSO '2480C1010' ('2480')",
            "events.csv, row 4, column 'deso': '2499C1010' is not a DeSO code: '2499' is not a kommun code",
            "events.csv, row 5, column 'age': age '121' is outside 0–120",
            "events.csv, row 6, column 'age': age '70.5' is not a whole number of years",
            "events.csv, row 7, column 'sex': 'X' is not a sex; write K (kvinna) or M (man)",
            "events.csv, row 8: the row repeats an earlier row field for field",
            "events.csv, row 9, column 'date': '2024-02-30' is not a date (write 2024-03-01, 20240301, 2024-03 or 2024M03)",
            "events.csv, row 13: the row has 7 fields but the header has 8; the row is skipped",
        ]
    );
    let rows = &input.source.rows;
    // Rows 2, 10, 11 and 12 (Excel's trailing comma is no extra field) are used; the blank
    // row 14 is read and refused.
    assert_eq!((rows.read, rows.used), (13, 4));
    assert!(rows.balances());
    assert_eq!(rows.refused_rows.last(), Some(&(14, Refusal::Blank)));
    // 2024M03 and 20240301 are dates in the plan as in the file view: four falls in 2024.
    assert_eq!(sums(&r, "falls")[0].2, 4.0);
}

#[test]
fn issue_10_a_year_the_dates_cover_in_part_is_flagged() {
    let mut events = String::from(HEADER);
    let mut id = 0;
    for month in 1..=12 {
        for year in [2023, 2024] {
            if year == 2024 && month > 3 {
                continue;
            }
            id += 1;
            events.push_str(&format!(
                "{id},{year}-{month:02}-15,2480C1010,2480,K,70,fall_injury,1\n"
            ));
        }
    }
    let (input, r) = read(&notebook(""), &events);
    assert_eq!(
        input.source.data.as_ref().unwrap().partial_years,
        [(2024, 0b111)]
    );
    let t = table(&r, "falls_table");
    assert_eq!(
        t[0][..3],
        ["2480 Umeå".to_owned(), "2023".into(), "12".into()]
    );
    assert!(!t[0][4].starts_with("Ofullständig"), "{:?}", t[0]);
    assert_eq!(t[1][..2], ["2480 Umeå".to_owned(), "2024".into()]);
    assert_eq!(sums(&r, "falls")[1].2, 3.0);
    assert!(
        t[1][4].starts_with("Ofullständig period: events täcker 3 av 12 månader"),
        "{:?}",
        t[1]
    );
}

#[test]
fn issue_10_kommun_names_beside_kommun_codes_are_names() {
    let c = count_per_kommun(
        "befolkning.csv",
        "Kommunkod;Kommun;Antal\n2480;Umeå;5\n2482;Skellefteå;3\n2480;Umeå;2\n".as_bytes(),
        DialectOverrides::default(),
    )
    .unwrap();
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let rows: Vec<(String, u64, Option<f64>)> = c
        .rows()
        .into_iter()
        .map(|r| (r.kommun, r.rows, r.sum))
        .collect();
    assert_eq!(
        rows,
        [
            ("2480".to_owned(), 2, Some(7.0)),
            ("2482".to_owned(), 1, Some(3.0))
        ]
    );
    // The file view: no "'Umeå' is not a kommun code" for every row.
    let file = "Kommunkod;Kommun;Antal\n2480;Umeå;5\n2482;Skellefteå;3\n";
    let i =
        samsyn_core::inspect::inspect_bytes("befolkning.csv", file.as_bytes(), Default::default())
            .unwrap();
    assert!(i.problems.is_empty(), "{:?}", i.problems);
    let roles: Vec<_> = i.columns.iter().map(|c| c.role).collect();
    assert_eq!(
        roles,
        [
            Some(Role::Kommun),
            Some(Role::KommunName),
            Some(Role::Count)
        ]
    );
}

/// Rows of every sort, good and bad, in any order.
fn any_row() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024-01-05,2480C1010,2480,K,70,fall_injury,1".to_owned()),
        Just("2024-01-05,2480C1010,2480,K,70,care,ja".to_owned()),
        Just("2024-01-05,2480C1010,2482,K,70,fall_injury,1".to_owned()),
        Just("2024-13-05,2480C1010,2480,K,70,fall_injury,1".to_owned()),
        Just("2024-01-05,2480C1010,2480,K,-1,care,1".to_owned()),
        Just("2024-01-05,2480C1010,2480,K".to_owned()),
        Just("2024-01-05,2480C1010,2480,K,70,care,1,x".to_owned()),
        Just(String::new()),
        // Printable text without quotes (a quote never closed swallows the rows after it).
        "[ -!#-~]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Every row read is used or refused, whatever the rows (issue 10).
    #[test]
    fn read_is_used_plus_refused_for_any_rows(rows in proptest::collection::vec(any_row(), 1..60)) {
        let mut events = String::from(HEADER);
        for (i, r) in rows.iter().enumerate() {
            // An id in front keeps good rows apart; the random rows may still repeat.
            events.push_str(&format!("{i},{r}\n"));
        }
        let nb = notebook("");
        let prepared = prepare(&nb, &[]).unwrap();
        if let Ok(input) = read_input(&prepared, "events", "events.csv", events.as_bytes()) {
            let l = &input.source.rows;
            prop_assert!(l.balances(), "{l:?}");
            prop_assert_eq!(l.read, rows.len() as u64);
        }
    }
}

#[test]
fn issue_10_exact_duplicates_are_refused_unless_the_contract_allows_them() {
    // Two falls alike in every column of a file without ids.
    let events = "date,deso,sex,age,event_type,value\n\
                  2024-01-05,2480C1010,K,80,fall_injury,1\n\
                  2024-01-05,2480C1010,K,80,fall_injury,1\n";
    let (input, r) = read(&notebook(""), events);
    assert_eq!(
        problems(&input),
        ["events.csv, row 3: the row repeats an earlier row field for field"]
    );
    assert_eq!(
        refused(&input),
        [("exact duplicate of an earlier row".to_owned(), 1)]
    );
    assert_eq!(sums(&r, "falls")[0].2, 1.0);
    let (input, r) = read(&notebook(r#"{"allow_duplicate_rows": true}"#), events);
    assert!(problems(&input).is_empty());
    assert_eq!((input.source.rows.read, input.source.rows.used), (2, 2));
    assert_eq!(sums(&r, "falls")[0].2, 2.0);
}

#[test]
fn issue_10_a_kommun_column_of_names_beside_the_deso_key_is_not_checked_as_codes() {
    let events = "id,date,deso,kommun,sex,age,event_type,value\n\
                  1,2024-01-05,2480C1010,Umeå,K,80,fall_injury,1\n\
                  2,2024-01-05,2480C1010,2499,K,80,fall_injury,1\n";
    let (input, r) = read(&notebook(""), events);
    assert_eq!(
        problems(&input),
        ["events.csv, row 3, column 'kommun': '2499' is not a kommun code: SCB has no kommun '2499' in Västerbottens län"]
    );
    assert_eq!(sums(&r, "falls")[0].2, 1.0);
}
