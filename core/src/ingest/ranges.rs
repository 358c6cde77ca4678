//! One delimited text file read as several byte ranges at once (issue 13): a shell with threads
//! (the CLI) or workers (the browser) cuts the file at line ends, reads each range into a plan of
//! its own, and merges the plans in file order. `core` has no threads; it says how a range is
//! read ([`Continuation`]) and how the parts are put together ([`merge`]).
//!
//! The result is the one a single pass gives, bit for bit, or the merge says why it cannot be
//! ([`OnePass`]) and the shell reads the file in one pass instead. It cannot be when a cut fell
//! inside a quoted field (the range before it ends inside a record), when a later range's reader
//! refused a record (its message names rows as numbered within the range), or when a plan's
//! merge finds that rows of different ranges would have met in one pass (a row repeating a row of
//! an earlier range, an id seen in an earlier range, sums whose order matters): see
//! [`MergeRanges`] for each plan.
//!
//! Rows are numbered as in one pass: a later range's rows are numbered from 1 as it is read, and
//! the merge adds the rows of the ranges before it ([`ReadStats::rows_numbered`]), in problems,
//! refused rows and first rows of cells alike. A cut at a line end inside a quoted field is
//! harmless only if the quote closes before the range's end; then the range before it ends
//! inside a record and the merge refuses.

use super::{Dialect, ReadOutcome, ReadStats};
use crate::error::Problems;

/// What a reader of a later byte range of a file takes from the reader of its start: the
/// dialect and the header ([`super::TextReader::continuation`]).
#[derive(Debug, Clone)]
pub struct Continuation {
    pub(crate) dialect: Dialect,
    pub(crate) columns: Vec<String>,
}

/// Why the parts cannot be merged into what one pass gives: read the file in one pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnePass(pub &'static str);

impl std::fmt::Display for OnePass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// A plan whose parts, each fed one byte range of a file, can be put together.
pub trait MergeRanges: Sized {
    /// Whether the plan can be read in ranges at all (before any is read).
    fn splittable(&self) -> bool;
    /// Adds the plan of the next range, its rows numbered from 1 with `row_offset` rows of the
    /// file before it, as if its rows had come after this plan's. The merged plan is only
    /// finished, never fed more rows.
    fn merge_range(&mut self, later: Self, row_offset: u64) -> Result<(), OnePass>;
}

/// Where a range cut near some point of a file begins: just past the first line end in
/// `window` (the file's bytes from that point), or `None` when the window has none.
pub fn line_start_in(window: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', window).map(|i| i + 1)
}

/// The parts of one file, in file order (the first read from the file's start, the others by
/// [`super::FileReader::continuing`]), merged into the plan and outcome of one pass.
pub fn merge<S: MergeRanges>(parts: Vec<(S, ReadOutcome)>) -> Result<(S, ReadOutcome), OnePass> {
    let mut parts = parts.into_iter();
    let Some((mut plan, mut outcome)) = parts.next() else {
        return Err(OnePass("no part was read"));
    };
    for (later_plan, later) in parts {
        if outcome.stats.open_at_end {
            return Err(OnePass("a cut fell inside a quoted field"));
        }
        if later.stats.skipped_rows > 0 {
            return Err(OnePass(
                "a later range holds a record that could not be read",
            ));
        }
        let offset = outcome.stats.rows_numbered;
        plan.merge_range(later_plan, offset)?;
        merge_stats(&mut outcome.stats, later.stats, offset);
        outcome.problems.append_later(later.problems, offset);
    }
    Ok((plan, outcome))
}

fn merge_stats(stats: &mut ReadStats, later: ReadStats, offset: u64) {
    stats.bytes += later.bytes;
    stats.rows += later.rows;
    stats.blank_rows += later.blank_rows;
    stats.blank_data_rows += later.blank_data_rows;
    let room = Problems::KEEP.saturating_sub(stats.blank_row_numbers.len());
    stats.blank_row_numbers.extend(
        later
            .blank_row_numbers
            .iter()
            .take(room)
            .map(|r| r + offset),
    );
    stats.skipped_rows += later.skipped_rows;
    stats.rows_numbered += later.rows_numbered;
    stats.open_at_end = later.open_at_end;
}
