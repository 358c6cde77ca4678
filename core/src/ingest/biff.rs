//! Checking an old Excel file (`.xls`: BIFF records in a compound file) before calamine opens
//! it, and handing calamine a copy it cannot trip on. calamine builds every sheet of an `.xls`
//! as a dense grid when it opens the file, so a cell record at column 65 535 or a `DIMENSIONS`
//! record claiming four billion rows would make it allocate far more than any machine has; and
//! fuzzing found its compound-file reader and formula parser indexing hostile input unchecked
//! (a panic, which in the browser kills the page). So Samsyn reads the compound file itself,
//! checks the sheets, blanks every formula (Samsyn reads a formula's value, which the record
//! keeps, never its text) and gives calamine a new compound file holding only that stream,
//! laid out plainly. A compound file Samsyn cannot read is refused, never passed on.
//!
//! Method (Microsoft, "[MS-CFB]: Compound File Binary File Format" and "[MS-XLS]: Excel Binary
//! File Format"): the header gives the sector size, the FAT sectors (through the DIFAT) and the
//! first directory sector; the `Workbook` (BIFF8) or `Book` (BIFF5) stream is found in the
//! directory and read through the FAT, or the mini FAT when it is smaller than the cutoff. Its
//! records are `type u16, length u16, data`; the globals list the sheets (`BOUNDSHEET`: where
//! each one's `BOF` is), and each sheet is walked from there as calamine walks it, to its `EOF`,
//! passing over nested substreams (charts). Cell records start with `row u16, column u16`.
//! Every read is bounds-checked and every chain is cut at the number of sectors the file has.

use super::sheet::{check_extent, Refused};

const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Chain ends and special sectors (MS-CFB 2.1): anything from here up is not a sector number.
const MAX_SECTOR: u32 = 0xFFFF_FFFA;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
const FREE_SECTOR: u32 = 0xFFFF_FFFF;
const DIR_ENTRY_BYTES: usize = 128;
/// The sector size of the copy: 512 bytes (version 3).
const SECTOR: usize = 512;
/// Streams below this size live in the mini stream; the copy pads the workbook to it, so that
/// calamine reads it as a plain sector chain.
const MINI_CUTOFF: usize = 4096;
/// Where a FORMULA record's formula (its length, `cce`) starts: after row, column, format,
/// value, flags and chain (MS-XLS 2.4.127).
const FORMULA_CCE_AT: usize = 20;

/// `None` when `bytes` are not a compound file (another format: calamine decides). Else the
/// sheets are checked against [`super::sheet::MAX_SHEET_CELLS`] and the copy for calamine is
/// returned: the workbook stream, formulas blanked, in a plain compound file.
pub(crate) fn check(bytes: &[u8]) -> Result<Option<Vec<u8>>, Refused> {
    if bytes.get(..8) != Some(&SIGNATURE[..]) {
        return Ok(None);
    }
    let mut stream = workbook_stream(bytes)
        .ok_or_else(|| damaged("the compound file has no workbook stream Samsyn can read"))?;
    // calamine reads the stream as `compound_file` stores it, padded with zeros to the
    // mini-stream cutoff: check those very bytes, since a record can reach into the padding
    // (a fuzzed NAME record did, and calamine sliced its formula out of bounds).
    if stream.len() < MINI_CUTOFF {
        stream.resize(MINI_CUTOFF, 0);
    }
    for at in check_records(&stream)? {
        // Each is a 2-byte count or length; zero makes calamine parse nothing there.
        for b in stream.iter_mut().skip(at).take(2) {
            *b = 0;
        }
    }
    Ok(Some(compound_file(stream)))
}

fn damaged(what: &str) -> Refused {
    Refused::Unreadable(format!("{what}; the file is damaged"))
}

/// A version-3 compound file of one stream, `Workbook`: the stream's sectors first, then the
/// directory, then the FAT (and DIFAT sectors when the FAT needs more than the header's 109).
fn compound_file(mut stream: Vec<u8>) -> Vec<u8> {
    let size = stream.len().max(MINI_CUTOFF);
    stream.resize(size.div_ceil(SECTOR) * SECTOR, 0);
    let data_sectors = stream.len() / SECTOR;
    let per_fat = SECTOR / 4;
    // Sectors: data, one directory sector, FAT sectors, DIFAT sectors; the FAT covers them all.
    let (mut fat_sectors, mut difat_sectors) = (1usize, 0usize);
    loop {
        let total = data_sectors + 1 + fat_sectors + difat_sectors;
        let need_fat = total.div_ceil(per_fat);
        let need_difat = need_fat.saturating_sub(109).div_ceil(per_fat - 1);
        if (need_fat, need_difat) == (fat_sectors, difat_sectors) {
            break;
        }
        (fat_sectors, difat_sectors) = (need_fat, need_difat);
    }
    let id = |n: usize| u32::try_from(n).unwrap_or(END_OF_CHAIN);
    let dir = data_sectors;
    let fat_at = dir + 1;
    let difat_at = fat_at + fat_sectors;
    let total = difat_at + difat_sectors;
    let mut fat = vec![FREE_SECTOR; fat_sectors * per_fat];
    for (n, next) in fat.iter_mut().enumerate().take(total) {
        *next = match n {
            n if n + 1 < data_sectors => id(n + 1),
            n if n < data_sectors || n == dir => END_OF_CHAIN,
            n if n < difat_at => FAT_SECTOR,
            _ => 0xFFFF_FFFC, // DIFAT sector
        };
    }
    let fat_ids: Vec<u32> = (fat_at..difat_at).map(id).collect();
    let mut header = vec![0u8; SECTOR];
    let mut put = |at: usize, bytes: &[u8]| {
        if let Some(slot) = header.get_mut(at..at + bytes.len()) {
            slot.copy_from_slice(bytes);
        }
    };
    put(0, &SIGNATURE);
    put(0x18, &0x003Eu16.to_le_bytes());
    put(0x1A, &3u16.to_le_bytes());
    put(0x1C, &0xFFFEu16.to_le_bytes());
    put(0x1E, &9u16.to_le_bytes());
    put(0x20, &6u16.to_le_bytes());
    put(0x2C, &id(fat_sectors).to_le_bytes());
    put(0x30, &id(dir).to_le_bytes());
    put(0x38, &id(MINI_CUTOFF).to_le_bytes());
    put(0x3C, &END_OF_CHAIN.to_le_bytes());
    let first_difat = if difat_sectors > 0 {
        id(difat_at)
    } else {
        END_OF_CHAIN
    };
    put(0x44, &first_difat.to_le_bytes());
    put(0x48, &id(difat_sectors).to_le_bytes());
    for i in 0..109 {
        let n = fat_ids.get(i).copied().unwrap_or(FREE_SECTOR);
        put(0x4C + i * 4, &n.to_le_bytes());
    }
    let mut out = header;
    out.extend_from_slice(&stream);
    // The directory: the root (no mini stream) and the workbook, its only child.
    let mut directory = vec![0u8; SECTOR];
    let mut entry = |index: usize, name: &str, kind: u8, child: u32, start: u32, len: usize| {
        let at = index * DIR_ENTRY_BYTES;
        let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let fields: [(usize, &[u8]); 9] = [
            (0, &units),
            (
                0x40,
                &u16::try_from(units.len() + 2).unwrap_or(0).to_le_bytes(),
            ),
            (0x42, &[kind, 1]),
            (0x44, &FREE_SECTOR.to_le_bytes()),
            (0x48, &FREE_SECTOR.to_le_bytes()),
            (0x4C, &child.to_le_bytes()),
            (0x74, &start.to_le_bytes()),
            (0x78, &id(len).to_le_bytes()),
            (0x7C, &0u32.to_le_bytes()),
        ];
        for (offset, bytes) in fields {
            if let Some(slot) = directory.get_mut(at + offset..at + offset + bytes.len()) {
                slot.copy_from_slice(bytes);
            }
        }
    };
    entry(0, "Root Entry", 5, 1, END_OF_CHAIN, 0);
    entry(1, "Workbook", 2, FREE_SECTOR, 0, size);
    for unused in 2..SECTOR / DIR_ENTRY_BYTES {
        entry(unused, "", 0, FREE_SECTOR, 0, 0);
    }
    out.extend_from_slice(&directory);
    out.extend(fat.iter().flat_map(|n| n.to_le_bytes()));
    for d in 0..difat_sectors {
        let ids = fat_ids
            .iter()
            .skip(109 + d * (per_fat - 1))
            .take(per_fat - 1);
        let mut sector: Vec<u32> = ids.copied().collect();
        sector.resize(per_fat - 1, FREE_SECTOR);
        let next = if d + 1 < difat_sectors {
            id(difat_at + d + 1)
        } else {
            END_OF_CHAIN
        };
        sector.push(next);
        out.extend(sector.iter().flat_map(|n| n.to_le_bytes()));
    }
    out
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// The compound file's layout, enough to read one stream.
struct Cfb<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl<'a> Cfb<'a> {
    fn sector_data(&self, n: u32) -> Option<&'a [u8]> {
        let start = usize::try_from(n)
            .ok()?
            .checked_add(1)?
            .checked_mul(self.sector)?;
        self.bytes.get(start..start.checked_add(self.sector)?)
    }

    /// The sectors of the chain from `first`, cut after `limit` (a cycle would go on forever).
    fn chain(&self, first: u32, table: &[u32], limit: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = first;
        while n < MAX_SECTOR && out.len() < limit {
            out.push(n);
            n = match usize::try_from(n).ok().and_then(|i| table.get(i)) {
                Some(&next) => next,
                None => break,
            };
        }
        out
    }

    /// The bytes of the chain from `first` (whole sectors).
    fn read(&self, first: u32) -> Vec<u8> {
        let mut out = Vec::new();
        // No chain is longer than the file has sectors.
        for n in self.chain(first, &self.fat, self.bytes.len() / self.sector) {
            match self.sector_data(n) {
                Some(data) => out.extend_from_slice(data),
                None => break,
            }
        }
        out
    }
}

/// The `Workbook` (or `Book`) stream, if the bytes are a compound file that has one.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..8)? != SIGNATURE {
        return None;
    }
    let shift = u16_at(bytes, 0x1E)?;
    let mini_shift = u16_at(bytes, 0x20)?;
    if !(7..=16).contains(&shift) || mini_shift >= shift {
        return None;
    }
    let sector = 1usize << shift;
    let sectors_in_file = bytes.len() / sector;
    // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109)
        .filter_map(|i| u32_at(bytes, 0x4C + i * 4))
        .filter(|&n| n < MAX_SECTOR)
        .collect();
    let mut cfb = Cfb {
        bytes,
        sector,
        fat: Vec::new(),
    };
    let mut difat = u32_at(bytes, 0x44)?;
    let per_sector = sector / 4;
    while difat < MAX_SECTOR && fat_sectors.len() <= sectors_in_file {
        let data = cfb.sector_data(difat)?;
        fat_sectors.extend(
            (0..per_sector - 1)
                .filter_map(|i| u32_at(data, i * 4))
                .filter(|&n| n < MAX_SECTOR),
        );
        difat = u32_at(data, (per_sector - 1) * 4)?;
    }
    fat_sectors.truncate(sectors_in_file);
    for &n in &fat_sectors {
        let data = cfb.sector_data(n)?;
        cfb.fat
            .extend((0..per_sector).filter_map(|i| u32_at(data, i * 4)));
    }
    let directory = cfb.read(u32_at(bytes, 0x30)?);
    let entries: Vec<&[u8]> = directory.chunks_exact(DIR_ENTRY_BYTES).collect();
    let name_of = |e: &[u8]| -> String {
        let len = usize::from(u16_at(e, 0x40).unwrap_or(0)).min(64);
        let units: Vec<u16> = (0..len / 2)
            .filter_map(|i| u16_at(e, i * 2))
            .take_while(|&u| u != 0)
            .collect();
        String::from_utf16_lossy(&units)
    };
    let stream = entries.iter().find(|e| {
        e.get(0x42) == Some(&2) && {
            let name = name_of(e);
            name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book")
        }
    })?;
    let start = u32_at(stream, 0x74)?;
    let size = usize::try_from(u32_at(stream, 0x78)?).ok()?;
    let cutoff = usize::try_from(u32_at(bytes, 0x38)?).ok()?;
    let mut data = if size < cutoff {
        // In the mini stream (the root entry's stream), in mini sectors.
        let root = entries.first()?;
        let mini_stream = cfb.read(u32_at(root, 0x74)?);
        let mini_fat = cfb.read(u32_at(bytes, 0x3C)?);
        let mini_fat: Vec<u32> = (0..mini_fat.len() / 4)
            .filter_map(|i| u32_at(&mini_fat, i * 4))
            .collect();
        let mini = 1usize << mini_shift;
        let mut out = Vec::new();
        for n in cfb.chain(start, &mini_fat, mini_stream.len() / mini) {
            let at = usize::try_from(n).ok()?.checked_mul(mini)?;
            match mini_stream.get(at..at.checked_add(mini)?) {
                Some(d) => out.extend_from_slice(d),
                None => break,
            }
        }
        out
    } else {
        cfb.read(start)
    };
    data.truncate(size);
    Some(data)
}

/// One BIFF record: its type, its data and where the data starts in the stream.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    at: usize,
}

/// The records from stream offset `at` on, as calamine reads them (a truncated record ends
/// them; `CONTINUE` records are passed over, as calamine appends them to the one before).
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || loop {
        let (typ, len) = (u16_at(stream, at)?, usize::from(u16_at(stream, at + 2)?));
        let start = at + 4;
        let data = stream.get(start..start + len)?;
        at = start + len;
        if typ != 0x003C {
            return Some(Record {
                typ,
                data,
                at: start,
            });
        }
    })
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;

/// Walks the globals for the sheets, then each sheet as calamine does; refuses a sheet over the
/// limit or a record calamine would read past its end, and returns the stream offsets of the
/// 2-byte counts to blank (formula lengths, merged-cell counts) so that calamine parses none of
/// what Samsyn does not use.
fn check_records(stream: &[u8]) -> Result<Vec<usize>, Refused> {
    let mut sheets: Vec<(usize, String)> = Vec::new();
    let mut blanks = Vec::new();
    let mut unicode = true;
    for r in records(stream, 0) {
        // What calamine reads of each globals record without checking its length first.
        let (name, least) = match r.typ {
            0x002F => ("FILEPASS", 2),
            0x0042 => ("CODEPAGE", 2),
            0x0022 => ("DATEMODE", 2),
            BOF => ("BOF", 2),
            0x0085 => ("BOUNDSHEET", 6),
            0x0018 => ("NAME", 14),
            0x0017 => ("EXTERNSHEET", 2),
            _ => ("", 0),
        };
        if r.data.len() < least {
            return Err(damaged(&format!("a {name} record is cut short")));
        }
        match r.typ {
            EOF => break,
            0x0042 => unicode = u16_at(r.data, 0) == Some(1200),
            // A defined name's formula is blanked like a cell's.
            0x0018 => blanks.push(r.at + 4),
            0x00FC => check_shared_strings(stream, &r)?,
            0x0085 => {
                let pos = u32_at(r.data, 0).and_then(|p| usize::try_from(p).ok());
                let name = sheet_name(r.data, unicode);
                // calamine slices the stream at each position unchecked.
                let pos = pos
                    .filter(|&p| u16_at(stream, p) == Some(BOF))
                    .ok_or_else(|| {
                        damaged(&format!(
                            "the sheet '{name}' does not start where the workbook says"
                        ))
                    })?;
                if sheets.iter().any(|(p, _)| *p == pos) {
                    return Err(damaged(&format!("the sheet '{name}' is listed twice")));
                }
                sheets.push((pos, name));
            }
            _ => {}
        }
    }
    for (pos, sheet) in &sheets {
        check_sheet(stream, *pos, sheet, &mut blanks)?;
    }
    Ok(blanks)
}

/// A BOUNDSHEET's name: a length byte, then (BIFF8) a flag byte, 1 for UTF-16.
fn sheet_name(data: &[u8], unicode: bool) -> String {
    let cch = usize::from(data.get(6).copied().unwrap_or(0));
    let bytes = |from: usize| -> String {
        let b = data.get(from..from + cch).unwrap_or_default();
        b.iter().map(|&c| char::from(c)).collect()
    };
    match data.get(7) {
        Some(1) if unicode => {
            let units: Vec<u16> = (0..cch).filter_map(|i| u16_at(data, 8 + i * 2)).collect();
            String::from_utf16_lossy(&units)
        }
        Some(0) if unicode => bytes(8),
        _ => bytes(7),
    }
}

/// The CONTINUE records after the record whose data ends at `end`, as calamine gathers them.
fn continues(stream: &[u8], mut end: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while stream.len().saturating_sub(end) > 4 && u16_at(stream, end) == Some(0x003C) {
        let len = usize::from(u16_at(stream, end + 2).unwrap_or(0));
        match stream.get(end + 4..end + 4 + len) {
            Some(data) => out.push(data),
            // calamine stops with an error: nothing more is read.
            None => return Vec::new(),
        }
        end += 4 + len;
    }
    out
}

/// Walks the shared strings (SST, MS-XLS 2.4.265) as calamine's parser does, across CONTINUE
/// records, and refuses the file where that parser would read past a piece's end (it reads the
/// counts of formatting runs and extended data, and the flag byte after a CONTINUE, unchecked).
/// Where calamine would stop with an error, this stops too.
fn check_shared_strings(stream: &[u8], r: &Record<'_>) -> Result<(), Refused> {
    let cut = || damaged("the shared strings are cut short");
    let mut pieces = continues(stream, r.at + r.data.len()).into_iter();
    let Some(mut data) = r.data.get(8..) else {
        return Ok(());
    };
    loop {
        if data.is_empty() {
            match pieces.next() {
                Some(next) => data = next,
                None => return Ok(()),
            }
            if data.is_empty() {
                continue;
            }
        }
        let (Some(cch), Some(&flags), Some(rest)) = (u16_at(data, 0), data.get(2), data.get(3..))
        else {
            return Ok(());
        };
        data = rest;
        let mut skip = 0usize;
        if flags & 0x8 != 0 {
            let runs = u16_at(data, 0).ok_or_else(cut)?;
            skip = usize::from(runs) * 4;
            data = data.get(2..).ok_or_else(cut)?;
        }
        if flags & 0x4 != 0 {
            let ext = u32_at(data, 0).ok_or_else(cut)?;
            skip = skip.saturating_add(usize::try_from(ext).unwrap_or(usize::MAX));
            data = data.get(4..).ok_or_else(cut)?;
        }
        // The characters, one or two bytes each, continued with a new flag byte.
        let mut left = usize::from(cch);
        let mut wide = flags & 0x1 != 0;
        while left > 0 {
            let taken = if wide {
                (data.len() / 2).min(left)
            } else {
                data.len().min(left)
            };
            data = data
                .get(if wide { taken * 2 } else { taken }..)
                .unwrap_or_default();
            left -= taken;
            if left > 0 {
                let Some(next) = pieces.next() else {
                    return Ok(());
                };
                let (&flag, rest) = next.split_first().ok_or_else(cut)?;
                wide = flag & 0x1 != 0;
                data = rest;
            }
        }
        // The formatting runs and extended data are skipped, across pieces.
        while skip > 0 {
            if data.is_empty() {
                match pieces.next() {
                    Some(next) => data = next,
                    None => return Ok(()),
                }
            }
            let n = skip.min(data.len());
            data = data.get(n..).unwrap_or_default();
            skip -= n;
        }
    }
}

/// One sheet from its BOF to its EOF, nested substreams passed over.
fn check_sheet(
    stream: &[u8],
    pos: usize,
    sheet: &str,
    blanks: &mut Vec<usize>,
) -> Result<(), Refused> {
    let mut seen_bof = false;
    let mut depth = 0usize;
    let mut used: Option<((u32, u32), (u32, u32))> = None;
    for r in records(stream, pos) {
        if depth > 0 {
            match r.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        let data = r.data;
        match r.typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            // DIMENSIONS: first row, last row + 1, first column, last column + 1.
            0x0200 => {
                let (first_row, end_row, first_col, end_col) = match data.len() {
                    10 => (
                        u32::from(u16_at(data, 0).unwrap_or(0)),
                        u32::from(u16_at(data, 2).unwrap_or(0)),
                        u32::from(u16_at(data, 4).unwrap_or(0)),
                        u32::from(u16_at(data, 6).unwrap_or(0)),
                    ),
                    _ => (
                        u32_at(data, 0).unwrap_or(0),
                        u32_at(data, 4).unwrap_or(0),
                        u32::from(u16_at(data, 8).unwrap_or(0)),
                        u32::from(u16_at(data, 10).unwrap_or(0)),
                    ),
                };
                // calamine subtracts the first row from the last unchecked.
                if end_row >= 1 && first_row >= end_row {
                    return Err(damaged("a DIMENSIONS record ends before it starts"));
                }
                if end_row > first_row && end_col > 0 {
                    // calamine starts the columns at 0 when the first is out of range.
                    let first_col = if first_col > 0xFF || end_col < first_col {
                        0
                    } else {
                        first_col
                    };
                    check_extent(sheet, (first_row, first_col), (end_row - 1, end_col - 1))?;
                }
            }
            // MERGECELLS: calamine reads as many as the count says; Samsyn needs none.
            0x00E5 if data.len() < 2 => return Err(damaged("a MERGECELLS record is cut short")),
            0x00E5 => blanks.push(r.at),
            // Cell records: row, column first; MULRK ends with its last column.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x00BD => {
                let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) else {
                    continue;
                };
                let last_col = if r.typ == 0x00BD {
                    match data.len().checked_sub(2).and_then(|i| u16_at(data, i)) {
                        // calamine computes `last - first + 1` in 16 bits unchecked: refuse a
                        // record ending before it starts, or spanning all 65 536 columns (a
                        // sheet has 256), before it does.
                        Some(last) if last >= col && last - col < u16::MAX => last,
                        _ => {
                            return Err(damaged(
                                "a MULRK record's columns are out of order or range",
                            ))
                        }
                    }
                } else {
                    col
                };
                if r.typ == 0x0006 {
                    // calamine reads the formula's length at 20 whenever the record has 20
                    // bytes; shorter is its error, 20 or 21 its panic.
                    match data.len() {
                        0..FORMULA_CCE_AT => {}
                        FORMULA_CCE_AT | 21 => return Err(damaged("a FORMULA record is cut")),
                        _ => blanks.push(r.at + FORMULA_CCE_AT),
                    }
                }
                let (row, col, last_col) = (u32::from(row), u32::from(col), u32::from(last_col));
                let (lo, hi) = used.unwrap_or(((row, col), (row, last_col)));
                let span = (
                    (lo.0.min(row), lo.1.min(col)),
                    (hi.0.max(row), hi.1.max(last_col)),
                );
                used = Some(span);
                check_extent(sheet, span.0, span.1)?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_for_calamine_holds_the_stream_whatever_its_size() {
        // 8 MB needs more FAT sectors than the header lists, so DIFAT sectors too.
        for size in [100, 4096, 70_000, 8 << 20] {
            let stream: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let file = compound_file(stream.clone());
            let mut back = workbook_stream(&file).expect("a workbook stream");
            back.truncate(size);
            assert!(back == stream, "size {size}");
        }
    }

    #[test]
    fn calamine_reads_the_copy_with_a_difat() {
        use calamine::Reader;
        let file = include_bytes!("../../../fuzz/seeds/workbook/date.xls");
        let mut stream = workbook_stream(file).expect("a workbook stream");
        // Zeros after the last EOF are never read; 8 MB makes the FAT need DIFAT sectors.
        stream.resize(8 << 20, 0);
        let copy = compound_file(stream);
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(copy))
            .map_err(|e| e.to_string())
            .expect("calamine opens the copy");
        assert_eq!(book.sheet_names(), ["Sheet1"]);
        let range = book.worksheet_range("Sheet1").expect("the sheet");
        assert_eq!(range.get_size(), (3, 2));
    }

    /// A BIFF record: type, length, data.
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend_from_slice(&u16::try_from(data.len()).unwrap_or(0).to_le_bytes());
        out.extend_from_slice(data);
        out
    }

    fn globals_with_sst(sst: &[u8], continued: &[&[u8]]) -> Result<Vec<usize>, String> {
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        stream.extend(record(0x00FC, sst));
        for c in continued {
            stream.extend(record(0x003C, c));
        }
        stream.extend(record(EOF, &[]));
        check_records(&stream).map_err(|e| match e {
            Refused::Limit(m) => m.en,
            Refused::Unreadable(m) => m,
        })
    }

    #[test]
    fn shared_strings_are_walked_across_continue_records() {
        let counts = [2, 0, 0, 0, 2, 0, 0, 0];
        // "abc" (one byte a character), then "défg" in UTF-16 whose last two characters
        // continue in the next record after a new flag byte.
        let mut sst = counts.to_vec();
        sst.extend_from_slice(&[3, 0, 0, b'a', b'b', b'c', 4, 0, 1]);
        sst.extend("dé".encode_utf16().flat_map(u16::to_le_bytes));
        let rest: Vec<u8> = std::iter::once(1)
            .chain("fg".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(globals_with_sst(&sst, &[&rest]), Ok(vec![]));
        // A rich string (flag 0x08) whose run count is missing: calamine would read past it.
        let mut rich = counts.to_vec();
        rich.extend_from_slice(&[3, 0, 0x08]);
        assert_eq!(
            globals_with_sst(&rich, &[]),
            Err("the shared strings are cut short; the file is damaged".to_owned())
        );
        // A string continued in an empty CONTINUE record: calamine would read its flag byte.
        let mut cut = counts.to_vec();
        cut.extend_from_slice(&[5, 0, 0, b'a', b'b']);
        assert_eq!(
            globals_with_sst(&cut, &[&[]]),
            Err("the shared strings are cut short; the file is damaged".to_owned())
        );
    }

    #[test]
    fn a_globals_record_shorter_than_calamine_reads_is_refused() {
        let mut stream = record(BOF, &[0, 6, 5, 0]);
        stream.extend(record(0x0022, &[1]));
        stream.extend(record(EOF, &[]));
        let Err(Refused::Unreadable(message)) = check_records(&stream) else {
            panic!("not refused");
        };
        assert_eq!(
            message,
            "a DATEMODE record is cut short; the file is damaged"
        );
    }
}
