//! Reading workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) with calamine: one sheet,
//! the header found below any title rows, each row handed to the plan as text.
//!
//! A workbook is a file from someone else, so nothing in it may size an allocation unchecked:
//! before calamine unpacks a zip (xlsx, xlsb, ods) its directory's sizes must add up to at most
//! [`MAX_UNZIPPED_BYTES`] (the zip reader then stops at the declared size, so a lying entry
//! cannot unpack more), and a sheet may span at most [`MAX_SHEET_CELLS`] cells from its first to
//! its last cell, checked before any dense grid is built: xlsx and xlsb cells are streamed and
//! their extent measured; an ODS sheet's extent (with its repeated rows and columns) is measured
//! from its XML first, since calamine builds every ODS sheet when it opens the file; so is an
//! old `.xls` file's, from its BIFF records (`biff.rs`).
//!
//! Cells are turned into the text a user would type: integers without `.0`, dates as
//! `2024-03-01` (Excel stores them as day numbers; calamine tells which cells are dates from the
//! number format), booleans as `TRUE`/`FALSE`. Row numbers are the sheet's own, so a problem
//! names the row the user sees in Excel.

use std::io::{BufReader, Cursor, Read, Write};

use calamine::{Cell, Data, DataRef, Reader, Sheets};

use super::sheet::{check_extent, Refused};
use super::whole::{Feeder, Format, ReadOptions, ReadOutcome, Source};

pub use super::sheet::MAX_SHEET_CELLS;
use super::RecordSink;
use crate::error::{Error, Location, Message};

/// How many rows from the top may hold titles or notes before the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// The most a workbook's zip may unpack to: 512 MiB. An xlsx of a million rows unpacks to a
/// few hundred MB; a "zip bomb" of a few KB can claim gigabytes.
pub const MAX_UNZIPPED_BYTES: u64 = 512 << 20;

/// Reads the chosen sheet (the first by default) of a workbook held in `bytes`.
pub fn read(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    let unreadable = |message: Message| Error::Unreadable {
        at: Location::file(file),
        message,
    };
    check_unzipped_size(bytes).map_err(unreadable)?;
    check_ods_extent(bytes).map_err(unreadable)?;
    // An .xls is handed to calamine with its formulas blanked (biff.rs says why).
    let xls = super::biff::check(bytes).map_err(|e| match e {
        Refused::Limit(message) => unreadable(message),
        Refused::Unreadable(message) => unreadable(not_a_workbook(&message)),
    })?;
    let opened = xls.as_deref().unwrap_or(bytes);
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(opened))
        .map_err(|e| unreadable(not_a_workbook(&e.to_string())))?;
    let sheets = workbook.sheet_names();
    let sheet = match &options.sheet {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted || s.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                unreadable(Message::both(
                    format!(
                        "no sheet named '{wanted}'; the sheets are {}",
                        sheets.join(", ")
                    ),
                    format!("inget ark heter '{wanted}'; arken är {}", sheets.join(", ")),
                ))
            })?,
        None => sheets.first().cloned().ok_or_else(|| {
            unreadable(Message::both(
                "the workbook has no sheets",
                "arbetsboken har inga ark",
            ))
        })?,
    };
    let cannot = |e: String| {
        unreadable(Message::both(
            format!("sheet '{sheet}' cannot be read: {e}"),
            format!("arket '{sheet}' kan inte läsas: {e}"),
        ))
    };
    let range = match &mut workbook {
        Sheets::Xlsx(x) => {
            let mut cells = x
                .worksheet_cells_reader(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            sparse_range(&sheet, || cells.next_cell().map_err(|e| e.to_string()))
        }
        Sheets::Xlsb(x) => {
            let mut cells = x
                .worksheet_cells_reader(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            sparse_range(&sheet, || cells.next_cell().map_err(|e| e.to_string()))
        }
        Sheets::Xls(_) | Sheets::Ods(_) => {
            let range = workbook
                .worksheet_range(&sheet)
                .map_err(|e| cannot(e.to_string()))?;
            match (range.start(), range.end()) {
                (Some(start), Some(end)) => check_extent(&sheet, start, end).map(|()| range),
                _ => Ok(range),
            }
        }
    }
    .map_err(|e| match e {
        Refused::Limit(message) => unreadable(message),
        Refused::Unreadable(message) => cannot(message),
    })?;
    let mut source = Source::new(Format::Excel, super::whole::typed_dialect());
    source.sheet = Some(sheet.clone());
    source.sheets = sheets.clone();
    let Some((first_row, _)) = range.start() else {
        return Err(Error::EmptyFile {
            at: Location::file(file),
        });
    };
    let header_at = header_row(&range);
    let mut feeder = Feeder::new(file);
    feeder.stats.bytes = bytes.len() as u64;
    let mut rows = range.rows().enumerate().skip(header_at);
    let Some((_, header)) = rows.next() else {
        return Err(Error::EmptyFile {
            at: Location::file(file),
        });
    };
    // Rows as Excel numbers them: the range may start below row 1.
    let excel_row = |i: usize| u64::from(first_row) + i as u64 + 1;
    source.title_rows = (0..header_at)
        .filter(|&i| range.rows().nth(i).is_some_and(|r| !is_blank(r)))
        .count() as u64;
    feeder.header(header.iter().map(cell_text).collect(), sink)?;
    for (i, cells) in rows {
        let row = excel_row(i);
        feeder.start_row();
        for (c, cell) in cells.iter().enumerate() {
            if let Data::Error(e) = cell {
                let name = header
                    .get(c)
                    .map(cell_text)
                    .filter(|n| !n.trim().is_empty())
                    .unwrap_or_else(|| format!("column {}", c + 1));
                feeder.problems.error(
                    Location::cell(file, row, name.trim()),
                    Message::both(
                        format!("the cell holds the Excel error {e}; read as empty"),
                        format!("cellen innehåller Excel-felet {e}; läst som tom"),
                    ),
                );
                feeder.cell("");
                continue;
            }
            feeder.cell_with(|out| write_cell(cell, out));
        }
        if feeder.end_row(row, sink) == super::Flow::Stop {
            break;
        }
    }
    Ok(ReadOutcome {
        stats: feeder.stats,
        problems: feeder.problems,
        source,
    })
}

/// "Not a workbook Samsyn can read", with the reader's own (English) words for why.
fn not_a_workbook(why: &str) -> Message {
    Message::both(
        format!("not a workbook Samsyn can read (xlsx, xls, xlsb, ods): {why}"),
        format!("inte en arbetsbok som Samsyn kan läsa (xlsx, xls, xlsb, ods): {why}"),
    )
}

/// Collects the used cells of a streamed sheet and builds its grid only if its extent is
/// within [`MAX_SHEET_CELLS`] (the extent is measured from the cells, not from the sheet's
/// `<dimension>`, which a file may state falsely).
fn sparse_range<'a>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<Cell<DataRef<'a>>>, String>,
) -> Result<calamine::Range<Data>, Refused> {
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut first, mut last) = ((u32::MAX, u32::MAX), (0u32, 0u32));
    while let Some(cell) = next().map_err(Refused::Unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        first = (first.0.min(row), first.1.min(col));
        last = (last.0.max(row), last.1.max(col));
        check_extent(sheet, first, last)?;
        if u64::try_from(cells.len()).unwrap_or(u64::MAX) >= MAX_SHEET_CELLS {
            let max = super::group_digits(MAX_SHEET_CELLS);
            return Err(Refused::Limit(Message::both(
                format!(
                    "the sheet '{sheet}' has more than {max} cells, the most Samsyn reads from \
                     one sheet; save the sheet as CSV, which Samsyn reads whatever its size"
                ),
                format!(
                    "arket '{sheet}' har fler än {max} celler, det mesta Samsyn läser från ett \
                     ark; spara arket som CSV, som Samsyn läser oavsett storlek"
                ),
            )));
        }
        let value = Data::from(cell.get_value().clone());
        cells.push(Cell::new((row, col), value));
    }
    Ok(calamine::Range::from_sparse(cells))
}

/// Refuses a zip (xlsx, xlsb, ods) whose entries add up to more than [`MAX_UNZIPPED_BYTES`].
/// The sizes are those of the zip's directory; the zip reader stops any entry at its stated
/// size, so they bound what is unpacked. Not a zip, or a broken one: left to calamine.
fn check_unzipped_size(bytes: &[u8]) -> Result<(), Message> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_raw(i) else {
            continue;
        };
        total = total.saturating_add(entry.size());
    }
    if total <= MAX_UNZIPPED_BYTES {
        return Ok(());
    }
    let (total, max) = (
        super::group_digits(total),
        super::group_digits(MAX_UNZIPPED_BYTES),
    );
    Err(Message::both(
        format!(
            "the workbook unpacks to {total} bytes, more than the {max} bytes (512 MiB) Samsyn \
             unpacks; save the sheet as CSV, which Samsyn reads whatever its size"
        ),
        format!(
            "arbetsboken packas upp till {total} byte, fler än de {max} byte (512 MiB) Samsyn \
             packar upp; spara arket som CSV, som Samsyn läser oavsett storlek"
        ),
    ))
}

/// Measures each table of an ODS file's `content.xml` (repeated rows and columns counted) and
/// refuses one whose used cells span more than [`MAX_SHEET_CELLS`], before calamine builds the
/// sheets. A cell counts as used when it has a value type or content; styled empty cells, which
/// LibreOffice repeats to the sheet's end, do not.
fn check_ods_extent(bytes: &[u8]) -> Result<(), Message> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    if archive.by_name("mimetype").is_err() {
        return Ok(());
    }
    let Ok(content) = archive.by_name("content.xml") else {
        return Ok(());
    };
    ods_extent(content).map_err(|e| match e {
        Refused::Limit(m) => m,
        Refused::Unreadable(m) => not_a_workbook(&m),
    })
}

fn ods_extent(content: impl Read) -> Result<(), Refused> {
    use quick_xml::events::Event;
    // ODS, like Excel, has at most 1 048 576 rows and 16 384 columns; calamine caps repeats there.
    const MAX_ROWS: u32 = 1 << 20;
    const MAX_COLUMNS: u32 = 1 << 14;
    let repeat = |e: &quick_xml::events::BytesStart<'_>, key: &str, max: u32| -> u32 {
        e.try_get_attribute(key)
            .ok()
            .flatten()
            .and_then(|a| a.value.trim().parse::<u32>().ok())
            .unwrap_or(1)
            .clamp(1, max)
    };
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let (mut row, mut rows_repeated, mut col) = (0u32, 1u32, 0u32);
    let mut used: Option<((u32, u32), (u32, u32))> = None;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            // A broken file is calamine's to report.
            Err(_) => return Ok(()),
        };
        let (start, has_content) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(rows_repeated);
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        match start.name().as_ref() {
            "table:table" => {
                sheet = start
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .map(|a| a.value.into_owned())
                    .unwrap_or_default();
                (row, col, used) = (0, 0, None);
            }
            "table:table-row" => {
                rows_repeated = repeat(start, "table:number-rows-repeated", MAX_ROWS);
                col = 0;
                if !has_content {
                    row = row.saturating_add(rows_repeated);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let columns = repeat(start, "table:number-columns-repeated", MAX_COLUMNS);
                let valued = start
                    .try_get_attribute("office:value-type")
                    .ok()
                    .flatten()
                    .is_some();
                if valued || has_content {
                    let first = (row, col);
                    let last = (
                        row.saturating_add(rows_repeated - 1),
                        col.saturating_add(columns - 1),
                    );
                    let (lo, hi) = used.unwrap_or((first, last));
                    let span = (
                        (lo.0.min(first.0), lo.1.min(first.1)),
                        (hi.0.max(last.0), hi.1.max(last.1)),
                    );
                    used = Some(span);
                    check_extent(&sheet, span.0, span.1)?;
                }
                col = col.saturating_add(columns);
            }
            _ => {}
        }
    }
}

fn is_blank(row: &[Data]) -> bool {
    row.iter()
        .all(|c| matches!(c, Data::Empty) || matches!(c, Data::String(s) if s.trim().is_empty()))
}

/// The header is the first row that fills more than half of the table's width (titles and notes
/// above a table fill one cell); the width is the widest of the first rows.
fn header_row(range: &calamine::Range<Data>) -> usize {
    let filled: Vec<usize> = range
        .rows()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| {
            r.iter()
                .filter(|c| !is_blank(std::slice::from_ref(*c)))
                .count()
        })
        .collect();
    let width = filled.iter().copied().max().unwrap_or(0);
    filled
        .iter()
        .position(|&n| n > 0 && n * 2 > width)
        .unwrap_or(0)
}

fn cell_text(cell: &Data) -> String {
    let mut out = Vec::new();
    write_cell(cell, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes a cell as the text a user would type into a CSV file.
fn write_cell(cell: &Data, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail.
    let _ = match cell {
        Data::Empty | Data::Error(_) => Ok(()),
        Data::String(s) | Data::DurationIso(s) => out.write_all(s.as_bytes()),
        Data::Int(i) => write!(out, "{i}"),
        Data::Float(f) => write_float(*f, out),
        Data::Bool(b) => out.write_all(if *b { b"TRUE" } else { b"FALSE" }),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                write!(out, "{y:04}-{m:02}-{d:02}")
            } else {
                write!(out, "{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        Data::DateTime(dt) => write_float(dt.as_f64(), out),
        Data::DateTimeIso(s) => out.write_all(s.strip_suffix("T00:00:00").unwrap_or(s).as_bytes()),
    };
}

/// Whole numbers without a decimal part (Excel stores every number as a float).
fn write_float(f: f64, out: &mut Vec<u8>) -> std::io::Result<()> {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: integers up to here are exact.
    if f.fract() == 0.0 && f.abs() < EXACT {
        write!(out, "{}", f as i64)
    } else {
        write!(out, "{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::sheet::column_letters;
    use super::*;

    #[test]
    fn column_names_as_excel_writes_them() {
        let names: Vec<String> = [0, 25, 26, 701, 702, 16_383]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(names, ["A", "Z", "AA", "ZZ", "AAA", "XFD"]);
    }

    #[test]
    fn an_extent_within_the_limit_passes_and_one_beyond_is_named() {
        assert!(check_extent("s", (0, 0), (999_999, 9)).is_ok());
        assert!(check_extent("s", (1, 2), (1_000_000, 11)).is_ok());
        let Err(Refused::Limit(message)) = check_extent("s", (1, 2), (1_000_001, 11)) else {
            panic!("not refused");
        };
        assert_eq!(
            message.en,
            "the sheet 's' spans C2:L1000002 (1 000 001 rows × 10 columns = 10 000 010 cells), \
             more than the 10 000 000 cells Samsyn reads from one sheet; delete what lies \
             outside the table (Ctrl+End shows the sheet's last cell) or save the sheet as CSV"
        );
    }
}
