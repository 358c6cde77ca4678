//! The limit on a sheet's extent, shared by the workbook reader (`excel.rs`) and the `.xls`
//! check (`biff.rs`): a sheet may span at most [`MAX_SHEET_CELLS`] cells from its first to its
//! last, checked before any dense grid is built.

/// The most cells a sheet may span from its first to its last used cell: 10 million (a million
/// rows of ten columns). calamine holds a sheet as a dense grid of 32-byte cells, so a sheet
/// with one cell at A1 and one at XFD1048576 would need 550 GB.
pub const MAX_SHEET_CELLS: u64 = 10_000_000;

/// Why a sheet was not built.
pub(crate) enum Refused {
    /// Over a limit: the message says which and what to do.
    Limit(crate::error::Message),
    /// calamine could not read it (its own words, in English).
    Unreadable(String),
}

/// Refuses a sheet whose cells from `first` to `last` (0-based row, column) span more than
/// [`MAX_SHEET_CELLS`].
pub(crate) fn check_extent(
    sheet: &str,
    first: (u32, u32),
    last: (u32, u32),
) -> Result<(), Refused> {
    let rows = u64::from(last.0.saturating_sub(first.0)) + 1;
    let columns = u64::from(last.1.saturating_sub(first.1)) + 1;
    let cells = rows.saturating_mul(columns);
    if cells <= MAX_SHEET_CELLS {
        return Ok(());
    }
    let name = |(row, col): (u32, u32)| format!("{}{}", column_letters(col), u64::from(row) + 1);
    let (first, last) = (name(first), name(last));
    let (rows, columns) = (super::group_digits(rows), super::group_digits(columns));
    let (cells, max) = (
        super::group_digits(cells),
        super::group_digits(MAX_SHEET_CELLS),
    );
    Err(Refused::Limit(crate::error::Message::both(
        format!(
            "the sheet '{sheet}' spans {first}:{last} ({rows} rows × {columns} columns = {cells} \
             cells), more than the {max} cells Samsyn reads from one sheet; delete what lies \
             outside the table (Ctrl+End shows the sheet's last cell) or save the sheet as CSV"
        ),
        format!(
            "arket '{sheet}' spänner över {first}:{last} ({rows} rader × {columns} kolumner = \
             {cells} celler), fler än de {max} celler Samsyn läser från ett ark; ta bort det som \
             ligger utanför tabellen (Ctrl+End visar arkets sista cell) eller spara arket som CSV"
        ),
    )))
}

/// 0 → `A`, 25 → `Z`, 26 → `AA`, 16 383 → `XFD`: the column's name in Excel.
pub(crate) fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + u8::try_from(rem).unwrap_or(0));
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}
