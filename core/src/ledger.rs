//! Every row accounted for (issue 10): per input, the rows read, the rows used and the rows
//! refused, counted by a value-free reason, with the first refused rows listed by row number.
//!
//! **Invariant:** `read == used + refused` for every input. "Used" means the row passed every
//! check; whether an indicator then counts it is up to the indicator's conditions. Blank rows
//! below the header and rows the reader could not hand over (a quote never closed) are read and
//! refused too, so a blank line in the middle of a file is never passed over in silence.
//!
//! [`SeenRows`] finds exact duplicates: a 64-bit hash (XXH3) of every field's bytes per row kept in
//! a hash set, about 16 bytes a row (8 for the hash, the rest the table's slack and control
//! bytes): 4 MB for the 270 000 rows of the sample county, 160 MB for 10 million rows. With a
//! row id it finds repeated ids too, and keeps 32 bits of the hash beside the id (4 bytes a
//! row for consecutive numeric ids). Two different rows share a hash with probability about
//! n² / 2⁶⁵ (3 in a million at 10 million rows), which would refuse one good row.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::error::{Message, Problems};
use crate::hashing::FxBuild;
use crate::ingest::{ReadStats, Record};
use crate::row_checks::Refusal;

/// The problem of a row that repeats an earlier one, in the file view and every plan.
pub const DUPLICATE_ROW: &str = "the row repeats an earlier row field for field";
/// [`DUPLICATE_ROW`] in Swedish.
pub const DUPLICATE_ROW_SV: &str = "raden upprepar en tidigare rad fält för fält";

/// [`DUPLICATE_ROW`] in both languages.
pub fn duplicate_row() -> Message {
    Message::both(DUPLICATE_ROW, DUPLICATE_ROW_SV)
}

/// Rows read, used and refused by reason for one input.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RowLedger {
    pub read: u64,
    pub used: u64,
    /// Refused rows per reason ("age outside 0–120"), in the reasons' order.
    pub refused: BTreeMap<Refusal, u64>,
    /// The first [`Problems::KEEP`] refused rows: Excel row and reason, sorted by row.
    pub refused_rows: Vec<(u64, Refusal)>,
}

impl RowLedger {
    /// A row that passed every check.
    pub fn use_row(&mut self) {
        self.use_rows(1);
    }

    /// `n` rows that passed every check (a group of an aggregated table).
    pub fn use_rows(&mut self, n: u64) {
        // Saturating: an aggregated table's counts come from a file.
        self.read = self.read.saturating_add(n);
        self.used = self.used.saturating_add(n);
    }

    /// A row refused for `reason`.
    pub fn refuse(&mut self, row: u64, reason: &Refusal) {
        self.refuse_rows(row, reason, 1);
    }

    /// `n` rows refused for `reason`, all at `row` (a group of an aggregated table).
    pub fn refuse_rows(&mut self, row: u64, reason: &Refusal, n: u64) {
        self.read = self.read.saturating_add(n);
        if self.refused_rows.len() < Problems::KEEP {
            self.refused_rows.push((row, reason.clone()));
        }
        let count = self.refused.entry(reason.clone()).or_insert(0);
        *count = count.saturating_add(n);
    }

    /// Adds the ledger of a later part of the same file, whose rows were numbered from 1 with
    /// `row_offset` rows before it ([`crate::ingest::ranges`]).
    pub fn merge_later(&mut self, later: RowLedger, row_offset: u64) {
        self.read = self.read.saturating_add(later.read);
        self.used = self.used.saturating_add(later.used);
        for (reason, n) in later.refused {
            let count = self.refused.entry(reason).or_insert(0);
            *count = count.saturating_add(n);
        }
        let room = Problems::KEEP.saturating_sub(self.refused_rows.len());
        self.refused_rows.extend(
            later
                .refused_rows
                .into_iter()
                .take(room)
                .map(|(r, reason)| (r.saturating_add(row_offset), reason)),
        );
    }

    /// All refused rows.
    pub fn refused_total(&self) -> u64 {
        self.refused.values().sum()
    }

    /// Adds the rows the reader did not hand to the plan (blank rows below the header, rows
    /// cut by a quote never closed) and sorts the refused rows by row.
    pub fn finish(mut self, stats: &ReadStats) -> Self {
        let mut add = |count: u64, rows: &[u64], reason: Refusal| {
            if count == 0 {
                return;
            }
            self.read += count;
            *self.refused.entry(reason.clone()).or_insert(0) += count;
            for &r in rows {
                if self.refused_rows.len() < Problems::KEEP {
                    self.refused_rows.push((r, reason.clone()));
                }
            }
        };
        add(
            stats.blank_data_rows,
            &stats.blank_row_numbers,
            Refusal::Blank,
        );
        add(
            stats.skipped_rows,
            &stats.skipped_row_numbers,
            Refusal::UnclosedQuote,
        );
        self.refused_rows.sort_by_key(|(r, _)| *r);
        self
    }

    /// `read = used + refused`: what every finished ledger satisfies.
    pub fn balances(&self) -> bool {
        self.read == self.used + self.refused_total()
    }
}

/// What the rows before tell of a row ([`SeenRows::check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// Neither the row nor its id was seen before.
    New,
    /// An earlier row has the same id but other fields.
    RepeatedId,
    /// An earlier row has the same fields.
    Duplicate,
}

/// The rows seen so far, as 64-bit hashes of their fields, to refuse exact duplicates, and
/// with a row id the ids seen, to refuse repeated ones.
///
/// Without a row id every row's hash goes into one hash set. With one, an exact copy of a row
/// has that row's id, so only rows with the same id need comparing: each id is kept once with
/// the hash of its first row, and rows that repeat an id put their hashes in a set of their
/// own. Ids that are whole numbers written plainly (`1`, `2024001`, no leading zero) and come
/// in increasing order, as an extract's ids usually do, are appended in order
/// ([`AscendingIds`]: 4 bytes a row when consecutive, found by binary search over the runs),
/// not hashed into a table whose every insert is a cache miss; other ids go to a hash table.
#[derive(Debug, Default)]
pub struct SeenRows {
    hashes: HashSet<u64, FxBuild>,
    /// Increasing whole-number ids and their row's hash.
    ascending: AscendingIds,
    /// Other ids (by a hash of their text) and their first row's hash.
    other_ids: HashMap<u64, u64, FxBuild>,
    /// Hashes of the rows whose id was seen in an earlier row.
    repeats: HashSet<u64, FxBuild>,
    /// A copied record's fields joined for [`Record::fields_hash`]; reused from row to row.
    buf: Vec<u8>,
}

/// What the plan of an earlier byte range needs of a later range's [`SeenRows`] to tell whether
/// they met ([`SeenRows::meets`]): the rows' hashes and the ids (those kept in order as runs).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SeenPart {
    hashes: Vec<u64>,
    /// The ids kept in order: their runs and their rows' hashes.
    runs: Vec<(u64, usize)>,
    run_hashes: Vec<u32>,
    other_ids: Vec<(u64, u64)>,
    repeats: Vec<u64>,
}

/// Increasing whole-number ids, each with 32 bits of its row's hash, as runs of consecutive
/// ids: 4 bytes a row for an extract numbered 1, 2, 3, … (10 million rows in 40 MB). 32 bits
/// suffice because a row's hash is only compared with the rows that have its id: a row that
/// repeats an id with other fields is taken for an exact copy with probability 2⁻³², and is
/// refused either way.
#[derive(Debug, Default)]
struct AscendingIds {
    /// Per run: its first id and the place of that id's hash in `hashes`.
    runs: Vec<(u64, usize)>,
    hashes: Vec<u32>,
}

impl AscendingIds {
    fn short(h: u64) -> u32 {
        h as u32
    }

    /// Keeps id `n` with hash `h` if it is greater than every id kept; `false` otherwise.
    fn push(&mut self, n: u64, h: u64) -> bool {
        match self.runs.last() {
            Some(&(start, at)) => {
                let last = start + (self.hashes.len() - at) as u64 - 1;
                if n <= last {
                    return false;
                }
                if n != last + 1 {
                    self.runs.push((n, self.hashes.len()));
                }
            }
            None => self.runs.push((n, 0)),
        }
        self.hashes.push(Self::short(h));
        true
    }

    /// Adds the ids of `other`, none of them kept here: appended when they all come after
    /// these, else the two merged in order.
    fn absorb(&mut self, other: AscendingIds) {
        let pairs = |a: &AscendingIds| -> Vec<(u64, u32)> {
            a.ids(a.hashes.len())
                .zip(a.hashes.iter().copied())
                .collect()
        };
        let last = self
            .runs
            .last()
            .map(|&(start, at)| start + (self.hashes.len() - at) as u64 - 1);
        let first = other.runs.first().map(|&(start, _)| start);
        match (last, first) {
            (_, None) => {}
            (None, _) => *self = other,
            (Some(last), Some(first)) if first > last => {
                for (n, h) in pairs(&other) {
                    self.push(n, u64::from(h));
                }
            }
            _ => {
                let (mut a, mut b) = (
                    pairs(self).into_iter().peekable(),
                    pairs(&other).into_iter().peekable(),
                );
                let mut merged = AscendingIds::default();
                loop {
                    let next = match (a.peek(), b.peek()) {
                        (Some(x), Some(y)) if x.0 <= y.0 => a.next(),
                        (Some(_), Some(_)) => b.next(),
                        (Some(_), None) => a.next(),
                        (None, Some(_)) => b.next(),
                        (None, None) => break,
                    };
                    if let Some((n, h)) = next {
                        merged.push(n, u64::from(h));
                    }
                }
                *self = merged;
            }
        }
    }

    /// The ids kept, in increasing order, when `len` ids are kept (the runs alone tell which).
    fn ids(&self, len: usize) -> impl Iterator<Item = u64> + '_ {
        self.runs
            .iter()
            .enumerate()
            .flat_map(move |(i, &(start, at))| {
                let end = self.runs.get(i + 1).map_or(len, |&(_, a)| a);
                (0..end.saturating_sub(at) as u64).map(move |k| start + k)
            })
    }

    /// Each run as its first and last id, when `len` ids are kept.
    fn spans(&self, len: usize) -> Vec<(u64, u64)> {
        self.runs
            .iter()
            .enumerate()
            .map(|(i, &(start, at))| {
                let end = self.runs.get(i + 1).map_or(len, |&(_, e)| e);
                (
                    start,
                    start + (end.saturating_sub(at) as u64).saturating_sub(1),
                )
            })
            .collect()
    }

    /// Whether an id is kept in both (`other` keeping `other_len` ids).
    fn overlaps(&self, other: &AscendingIds, other_len: usize) -> bool {
        let (a, b) = (self.spans(self.hashes.len()), other.spans(other_len));
        let (mut i, mut j) = (0, 0);
        while let (Some(&(s1, e1)), Some(&(s2, e2))) = (a.get(i), b.get(j)) {
            if s1 <= e2 && s2 <= e1 {
                return true;
            }
            if e1 < e2 {
                i += 1;
            } else {
                j += 1;
            }
        }
        false
    }

    /// The hash kept with id `n`, if it is kept.
    fn find(&self, n: u64) -> Option<u32> {
        let run = self
            .runs
            .partition_point(|&(start, _)| start <= n)
            .checked_sub(1)?;
        let (start, at) = self.runs[run];
        let end = self
            .runs
            .get(run + 1)
            .map_or(self.hashes.len(), |&(_, a)| a);
        let i = at + usize::try_from(n - start).ok()?;
        (i < end).then(|| self.hashes[i])
    }
}

/// A plainly written whole number (digits, no leading zero, fits in 64 bits).
fn plain_integer(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.is_empty() || b.len() > 19 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    if !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    id.parse().ok()
}

impl SeenRows {
    /// Whether a row with the same fields was seen before; remembers this one.
    pub fn seen_before(&mut self, record: &Record<'_>) -> bool {
        let h = self.hash(record);
        !self.hashes.insert(h)
    }

    /// A row of a file with a row id: `id` is its trimmed id (`None` when it cannot be read),
    /// and exact duplicates are looked for only when `duplicates`.
    pub fn check(&mut self, record: &Record<'_>, id: Option<&str>, duplicates: bool) -> Seen {
        let Some(id) = id else {
            return if duplicates && self.seen_before(record) {
                Seen::Duplicate
            } else {
                Seen::New
            };
        };
        let h = if duplicates { self.hash(record) } else { 0 };
        // Whether the first row with this id had this row's hash (`None`: a new id).
        let same_as_first = match plain_integer(id) {
            Some(n) if self.ascending.push(n, h) => return Seen::New,
            Some(n) => match self.ascending.find(n) {
                Some(first) => Some(first == AscendingIds::short(h)),
                None => self.other_id(id, h).map(|first| first == h),
            },
            None => self.other_id(id, h).map(|first| first == h),
        };
        match same_as_first {
            None => Seen::New,
            Some(same) => {
                let copy = duplicates && (same || self.repeats.contains(&h));
                if duplicates {
                    self.repeats.insert(h);
                }
                if copy {
                    Seen::Duplicate
                } else {
                    Seen::RepeatedId
                }
            }
        }
    }

    /// What [`SeenRows::meets`] needs of this set, to send it to the plan of an earlier range.
    pub fn into_part(self) -> SeenPart {
        SeenPart {
            hashes: self.hashes.into_iter().collect(),
            runs: self.ascending.runs,
            run_hashes: self.ascending.hashes,
            other_ids: self.other_ids.into_iter().collect(),
            repeats: self.repeats.into_iter().collect(),
        }
    }

    /// Takes in the rows and ids of a later range that [`SeenRows::meets`] found apart from
    /// these: the set is then that of both ranges read in one pass, for the ranges after them.
    pub fn absorb(&mut self, later: SeenPart) {
        self.hashes.extend(later.hashes);
        self.repeats.extend(later.repeats);
        self.other_ids.extend(later.other_ids);
        self.ascending.absorb(AscendingIds {
            runs: later.runs,
            hashes: later.run_hashes,
        });
    }

    /// Whether a row or a row id of `later` (a later byte range of the same file, read with
    /// its own set) was also seen here: then one pass would have refused it, and the ranges
    /// must be read as one ([`crate::ingest::ranges`]).
    pub fn meets(&self, later: &SeenPart) -> bool {
        if later.hashes.iter().any(|h| self.hashes.contains(h)) {
            return true;
        }
        let ascending = AscendingIds {
            runs: later.runs.clone(),
            hashes: Vec::new(),
        };
        let later_len = later.run_hashes.len();
        if self.ascending.overlaps(&ascending, later_len) {
            return true;
        }
        if later
            .other_ids
            .iter()
            .any(|(k, _)| self.other_ids.contains_key(k))
        {
            return true;
        }
        // An id kept in order on one side may be kept by its text's hash on the other.
        let text_hash = |n: u64| twox_hash::XxHash3_64::oneshot(n.to_string().as_bytes());
        if !self.other_ids.is_empty()
            && ascending
                .ids(later_len)
                .any(|n| self.other_ids.contains_key(&text_hash(n)))
        {
            return true;
        }
        if later.other_ids.is_empty() {
            return false;
        }
        let theirs: HashSet<u64, FxBuild> = later.other_ids.iter().map(|(k, _)| *k).collect();
        let mine = self.ascending.hashes.len();
        let hit = self
            .ascending
            .ids(mine)
            .any(|n| theirs.contains(&text_hash(n)));
        hit
    }

    /// The first row's hash of an id kept in the hash table, or `None` after keeping it.
    fn other_id(&mut self, id: &str, h: u64) -> Option<u64> {
        match self
            .other_ids
            .entry(twox_hash::XxHash3_64::oneshot(id.as_bytes()))
        {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(h);
                None
            }
        }
    }

    fn hash(&mut self, record: &Record<'_>) -> u64 {
        // Trailing empty fields (Excel's `;;`) do not make a row different.
        let mut n = record.len();
        while n > 0
            && record
                .get(n - 1)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            n -= 1;
        }
        record.fields_hash(n, &mut self.buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_is_used_plus_refused() {
        let mut l = RowLedger::default();
        l.use_row();
        l.refuse(7, &Refusal::AgeRange);
        l.refuse(3, &Refusal::Shape);
        let stats = ReadStats {
            blank_data_rows: 1,
            blank_row_numbers: vec![5],
            ..ReadStats::default()
        };
        let l = l.finish(&stats);
        assert_eq!((l.read, l.used, l.refused_total()), (4, 1, 3));
        assert!(l.balances());
        assert_eq!(
            l.refused_rows,
            [
                (3, Refusal::Shape),
                (5, Refusal::Blank),
                (7, Refusal::AgeRange)
            ]
        );
    }

    #[test]
    fn exact_duplicates_are_seen() {
        let ends = [1, 2];
        let mut seen = SeenRows::default();
        assert!(!seen.seen_before(&Record::new(b"ab", &ends, 2)));
        assert!(!seen.seen_before(&Record::new(b"ba", &ends, 3)));
        assert!(seen.seen_before(&Record::new(b"ab", &ends, 4)));
        // `a|b` and `ab|` are different rows.
        assert!(!seen.seen_before(&Record::new(b"ab", &[2, 2], 5)));
    }

    #[test]
    fn ranges_meet_on_a_shared_row_or_id_however_kept() {
        let ends = [1, 2];
        let seen = |rows: &[(&'static [u8], Option<&str>)]| {
            let mut s = SeenRows::default();
            for (i, (text, id)) in rows.iter().enumerate() {
                s.check(&Record::new(text, &ends, i as u64 + 2), *id, true);
            }
            s
        };
        let part = |rows: &[(&'static [u8], Option<&str>)]| seen(rows).into_part();
        // Without ids: by the rows' hashes.
        let a = seen(&[(b"ab", None), (b"cd", None)]);
        assert!(!a.meets(&part(&[(b"ef", None)])));
        assert!(a.meets(&part(&[(b"ef", None), (b"cd", None)])));
        // Ids kept in order on both sides: runs that overlap, or not.
        let a = seen(&[(b"1x", Some("1")), (b"2x", Some("2")), (b"9x", Some("9"))]);
        assert!(!a.meets(&part(&[
            (b"3y", Some("3")),
            (b"8y", Some("8")),
            (b"10", Some("10"))
        ])));
        assert!(a.meets(&part(&[(b"5y", Some("5")), (b"9y", Some("9"))])));
        // An id kept in order on one side and by its text's hash on the other (after a
        // larger id, 4 is out of order there).
        assert!(a.meets(&part(&[(b"7y", Some("7")), (b"2y", Some("2"))])));
        assert!(!a.meets(&part(&[(b"7y", Some("7")), (b"4y", Some("4"))])));
        assert!(seen(&[(b"4z", Some("4"))]).meets(&part(&[(b"7y", Some("7")), (b"4y", Some("4"))])));
        // Ids that are not numbers.
        let a = seen(&[(b"ab", Some("A-1"))]);
        assert!(a.meets(&part(&[(b"cd", Some("A-1"))])));
        assert!(!a.meets(&part(&[(b"cd", Some("A-2"))])));
    }

    #[test]
    fn ascending_ids_absorb_later_ids_in_order() {
        let ids = |ns: &[u64]| {
            let mut a = AscendingIds::default();
            for &n in ns {
                assert!(a.push(n, n * 7));
            }
            a
        };
        // After: appended, a run going on where it ended.
        let mut a = ids(&[1, 2, 3]);
        a.absorb(ids(&[4, 5, 9]));
        assert_eq!(a.runs, [(1, 0), (9, 5)]);
        // Among them: merged in order.
        let mut a = ids(&[1, 2, 10, 11]);
        a.absorb(ids(&[3, 4, 12]));
        assert_eq!(a.runs, [(1, 0), (10, 4)]);
        for n in [1u64, 2, 3, 4, 10, 11, 12] {
            assert_eq!(a.find(n), Some((n * 7) as u32), "{n}");
        }
        assert_eq!(a.find(5), None);
    }

    #[test]
    fn ascending_ids_keep_runs_and_find_only_what_was_kept() {
        let mut a = AscendingIds::default();
        for n in [3u64, 4, 5, 9, 10, 20] {
            assert!(a.push(n, n * 100));
        }
        assert!(!a.push(20, 1) && !a.push(7, 1));
        assert_eq!(a.runs, [(3, 0), (9, 3), (20, 5)]);
        for n in [3u64, 4, 5, 9, 10, 20] {
            assert_eq!(a.find(n), Some((n * 100) as u32), "{n}");
        }
        for n in [0u64, 2, 6, 8, 11, 19, 21, u64::MAX] {
            assert_eq!(a.find(n), None, "{n}");
        }
    }

    #[test]
    fn ids_in_any_order_and_spelling_are_told_apart() {
        let mut seen = SeenRows::default();
        let row = |text: &'static [u8], id_end: usize| (text, [id_end, text.len()]);
        let check = |seen: &mut SeenRows, (text, ends): (&'static [u8], [usize; 2])| {
            let id = std::str::from_utf8(&text[..ends[0]]).unwrap();
            seen.check(&Record::new(text, &ends, 2), Some(id), true)
        };
        // Increasing plain numbers, then one out of order, text ids and a leading zero.
        for (text, end, want) in [
            (&b"1a"[..], 1, Seen::New),
            (b"2a", 1, Seen::New),
            (b"10a", 2, Seen::New),
            (b"5a", 1, Seen::New),
            (b"2a", 1, Seen::Duplicate),
            (b"2b", 1, Seen::RepeatedId),
            (b"5b", 1, Seen::RepeatedId),
            (b"5b", 1, Seen::Duplicate),
            (b"05a", 2, Seen::New),
            (b"E7a", 2, Seen::New),
            (b"E7c", 2, Seen::RepeatedId),
            (b"E7a", 2, Seen::Duplicate),
            (b"10a", 2, Seen::Duplicate),
            (b"11a", 2, Seen::New),
        ] {
            assert_eq!(check(&mut seen, row(text, end)), want, "{text:?}");
        }
        // Without the duplicate check, only ids count.
        let mut ids = SeenRows::default();
        let ends = [1, 2];
        assert_eq!(
            ids.check(&Record::new(b"3a", &ends, 2), Some("3"), false),
            Seen::New
        );
        assert_eq!(
            ids.check(&Record::new(b"3a", &ends, 3), Some("3"), false),
            Seen::RepeatedId
        );
    }
}
