//! Reading workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) with calamine: one sheet,
//! the header found below any title rows, each row handed to the plan as text.
//!
//! Cells are turned into the text a user would type: integers without `.0`, dates as
//! `2024-03-01` (Excel stores them as day numbers; calamine tells which cells are dates from the
//! number format), booleans as `TRUE`/`FALSE`. Row numbers are the sheet's own, so a problem
//! names the row the user sees in Excel.

use std::io::{Cursor, Write};

use calamine::{Data, Reader};

use super::source::{Feeder, Format, ReadOptions, ReadOutcome, Source};
use super::RecordSink;
use crate::error::{Error, Location};

/// How many rows from the top may hold titles or notes before the header.
const HEADER_SEARCH_ROWS: usize = 30;

/// Reads the chosen sheet (the first by default) of a workbook held in `bytes`.
pub fn read(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    let unreadable = |message: String| Error::Unreadable {
        at: Location::file(file),
        message,
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        unreadable(format!(
            "not a workbook Samsyn can read (xlsx, xls, xlsb, ods): {e}"
        ))
    })?;
    let sheets = workbook.sheet_names();
    let sheet = match &options.sheet {
        Some(wanted) => sheets
            .iter()
            .find(|s| s.as_str() == wanted || s.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                unreadable(format!(
                    "no sheet named '{wanted}'; the sheets are {}",
                    sheets.join(", ")
                ))
            })?,
        None => sheets
            .first()
            .cloned()
            .ok_or_else(|| unreadable("the workbook has no sheets".into()))?,
    };
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(format!("sheet '{sheet}' cannot be read: {e}")))?;
    let mut source = Source::new(Format::Excel, super::source::typed_dialect());
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
                    format!("the cell holds the Excel error {e}; read as empty"),
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
