//! Writes the `.xlsx` files of the ingest test corpus (`tests/data/ingest/`) with
//! rust_xlsxwriter, so that the workbooks are real Excel files checked in next to their
//! `.expected.json`. Run `cargo run -p samsyn-core --example make_corpus_workbooks` after
//! changing a case; the creation date is fixed so that the bytes only change with the content.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

fn main() -> Result<(), XlsxError> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/ingest");
    for name in [
        "workbook_three_sheets.xlsx",
        "workbook_pick_sheet.xlsx",
        "broken_workbook_missing_sheet.xlsx",
    ] {
        three_sheets()?.save(dir.join(name))?;
    }
    bad_values()?.save(dir.join("broken_workbook_bad_values.xlsx"))?;
    Ok(())
}

fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let created = ExcelDateTime::from_ymd(2024, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&created));
    Ok(workbook)
}

/// Events with a title above the table and dates as dates; population; a notes sheet.
fn three_sheets() -> Result<Workbook, XlsxError> {
    let mut workbook = new_workbook()?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let events = workbook.add_worksheet();
    events.set_name("Händelser")?;
    events.write_string(0, 0, "Händelser i Västerbotten 2024")?;
    events.write_string(1, 0, "Källa: journalsystemet, uttag 2024-04-02")?;
    let header = [
        "händelse_id",
        "datum",
        "kommun",
        "vårdcentral",
        "kön",
        "ålder",
        "värde",
    ];
    for (c, h) in header.iter().enumerate() {
        events.write_string(3, c as u16, *h)?;
    }
    // Id, date, kommun, vårdcentral, kön, ålder, värde.
    type EventRow = (
        u32,
        (u16, u8, u8),
        &'static str,
        &'static str,
        &'static str,
        f64,
        f64,
    );
    let rows: [EventRow; 4] = [
        (1, (2024, 3, 1), "2480", "Ålidhem", "K", 71.0, 1.5),
        (
            2,
            (2024, 3, 2),
            "2482",
            "Skellefteå centrum",
            "M",
            83.0,
            2.0,
        ),
        (3, (2024, 3, 5), "2480", "Ålidhem", "K", 71.0, 0.25),
        (4, (2024, 3, 9), "2401", "Nordmaling", "M", 90.0, 3.0),
    ];
    for (i, (id, (y, m, d), kommun, vc, sex, age, value)) in rows.iter().enumerate() {
        let r = 4 + i as u32;
        events.write_number(r, 0, *id)?;
        events.write_datetime_with_format(r, 1, &ExcelDateTime::from_ymd(*y, *m, *d)?, &date)?;
        events.write_string(r, 2, *kommun)?;
        events.write_string(r, 3, *vc)?;
        events.write_string(r, 4, *sex)?;
        events.write_number(r, 5, *age)?;
        events.write_number(r, 6, *value)?;
    }
    let population = workbook.add_worksheet();
    population.set_name("Befolkning")?;
    for (c, h) in ["Kommun", "Kommunnamn", "År", "Befolkning"]
        .iter()
        .enumerate()
    {
        population.write_string(0, c as u16, *h)?;
    }
    for (i, (k, n, p)) in [
        (2480, "Umeå", 130224),
        (2482, "Skellefteå", 74520),
        (180, "Stockholm", 984748),
    ]
    .iter()
    .enumerate()
    {
        let r = 1 + i as u32;
        population.write_number(r, 0, *k)?;
        population.write_string(r, 1, *n)?;
        population.write_number(r, 2, 2023)?;
        population.write_number(r, 3, *p)?;
    }
    let info = workbook.add_worksheet();
    info.set_name("Info")?;
    info.write_string(0, 0, "Uttaget gjordes av regionens analysenhet.")?;
    Ok(workbook)
}

/// Codes typed as numbers, an age of 150 and a negative count, below two title rows.
fn bad_values() -> Result<Workbook, XlsxError> {
    let mut workbook = new_workbook()?;
    let sheet = workbook.add_worksheet();
    sheet.set_name("Blad1")?;
    sheet.write_string(0, 0, "Besök per kommun")?;
    for (c, h) in ["kommun", "alder", "antal"].iter().enumerate() {
        sheet.write_string(2, c as u16, *h)?;
    }
    for (i, (k, a, n)) in [
        (2480.0, 34.0, 5.0),
        (180.0, 150.0, 2.0),
        (9999.0, 40.0, -1.0),
    ]
    .iter()
    .enumerate()
    {
        let r = 3 + i as u32;
        sheet.write_number(r, 0, *k)?;
        sheet.write_number(r, 1, *a)?;
        sheet.write_number(r, 2, *n)?;
    }
    Ok(workbook)
}
