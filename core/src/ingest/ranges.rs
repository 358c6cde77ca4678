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

pub use super::continuation::Continuation;
use super::{ReadOutcome, ReadStats};
use crate::error::{Location, Problem, Problems, Severity};

/// A text file at least this large is read in ranges (by the CLI's threads, the browser's
/// workers) when the plan allows it: below it, starting them costs more than it saves.
pub const SPLIT_MIN_BYTES: u64 = 8 << 20;

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
    /// What the plan of an earlier range needs of this one to merge it, in a form that can be
    /// sent between workers ([`encode_part`]).
    type Part: serde::Serialize + serde::de::DeserializeOwned;
    /// Whether the plan can be read in ranges at all (before any is read).
    fn splittable(&self) -> bool;
    /// This plan, read from a later range, as its part.
    fn into_part(self) -> Self::Part;
    /// Adds the part of the next range, its rows numbered from 1 with `row_offset` rows of
    /// the file before it, as if its rows had come after this plan's. The merged plan is only
    /// finished, never fed more rows; after an `Err` it is spoilt (read the file in one pass).
    fn merge_part(&mut self, later: Self::Part, row_offset: u64) -> Result<(), OnePass>;
}

/// What the merge needs of a later range's read besides its plan: its figures and problems.
#[derive(Debug, Clone, Default)]
pub struct LaterRead {
    pub stats: ReadStats,
    pub problems: Problems,
}

impl From<ReadOutcome> for LaterRead {
    fn from(o: ReadOutcome) -> Self {
        LaterRead {
            stats: o.stats,
            problems: o.problems,
        }
    }
}

/// A later range's part and read as bytes, to send them to the worker merging the ranges
/// (postcard: compact, and fast on the long arrays of a cube).
pub fn encode_part<P: serde::Serialize>(part: &P, read: &LaterRead) -> Result<Vec<u8>, String> {
    let problems: Vec<ProblemPart> = read
        .problems
        .kept
        .iter()
        .map(|p| {
            (
                p.location.file.clone(),
                p.location.row,
                p.location.column.clone(),
                p.severity == Severity::Warning,
                p.message.clone(),
                p.message_sv.clone(),
            )
        })
        .collect();
    let s = &read.stats;
    let wire = (
        part,
        (s.bytes, s.rows, s.blank_rows, s.blank_data_rows),
        (&s.blank_row_numbers, s.skipped_rows, &s.skipped_row_numbers),
        (s.rows_numbered, s.open_at_end),
        (problems, read.problems.total),
    );
    postcard::to_allocvec(&wire).map_err(|e| format!("a range's part could not be encoded: {e}"))
}

/// A problem as sent: file, row, column, whether a warning, message, Swedish message.
type ProblemPart = (
    String,
    Option<u64>,
    Option<String>,
    bool,
    String,
    Option<String>,
);

type Wire<P> = (
    P,
    (u64, u64, u64, u64),
    (Vec<u64>, u64, Vec<u64>),
    (u64, bool),
    (Vec<ProblemPart>, u64),
);

/// What [`encode_part`] made.
pub fn decode_part<P: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<(P, LaterRead), String> {
    let (part, counts, numbers, end, (problems, total)): Wire<P> = postcard::from_bytes(bytes)
        .map_err(|e| format!("a range's part could not be decoded: {e}"))?;
    let stats = ReadStats {
        bytes: counts.0,
        rows: counts.1,
        blank_rows: counts.2,
        blank_data_rows: counts.3,
        blank_row_numbers: numbers.0,
        skipped_rows: numbers.1,
        skipped_row_numbers: numbers.2,
        rows_numbered: end.0,
        open_at_end: end.1,
    };
    let kept = problems
        .into_iter()
        .map(
            |(file, row, column, warning, message, message_sv)| Problem {
                location: Location { file, row, column },
                severity: if warning {
                    Severity::Warning
                } else {
                    Severity::Error
                },
                message,
                message_sv,
            },
        )
        .collect();
    Ok((
        part,
        LaterRead {
            stats,
            problems: Problems { kept, total },
        },
    ))
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
    let Some(first) = parts.next() else {
        return Err(OnePass("no part was read"));
    };
    let later = parts.map(|(plan, outcome)| (plan.into_part(), LaterRead::from(outcome)));
    merge_parts(first, later)
}

/// [`merge`] with the later ranges as parts (sent by the workers that read them).
pub fn merge_parts<S: MergeRanges>(
    first: (S, ReadOutcome),
    later: impl IntoIterator<Item = (S::Part, LaterRead)>,
) -> Result<(S, ReadOutcome), OnePass> {
    let (mut plan, mut outcome) = first;
    for (later_plan, later) in later {
        if outcome.stats.open_at_end {
            return Err(OnePass("a cut fell inside a quoted field"));
        }
        if later.stats.skipped_rows > 0 {
            return Err(OnePass(
                "a later range holds a record that could not be read",
            ));
        }
        let offset = outcome.stats.rows_numbered;
        plan.merge_part(later_plan, offset)?;
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
