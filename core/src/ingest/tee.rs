//! Two plans fed by one pass over a file: the first decides (its column errors stop the read),
//! the second comes along if it can (a file without a kommun column can still be inspected).

use super::{Dialect, Flow, RecordSink, Row};
use crate::error::{Error, Problems};

/// Feeds every row to `first` and, unless it refused the columns, to `second`. The second plan's
/// problems are kept apart, so that a row two plans find wrong is not reported twice.
pub struct Tee<'a> {
    pub first: &'a mut dyn RecordSink,
    pub second: &'a mut dyn RecordSink,
    /// Why the second plan could not take part, if it could not (without the file name, which
    /// the plan does not know: add it with [`Error::in_file`]).
    pub second_error: Option<Error>,
    pub second_problems: Problems,
}

impl<'a> Tee<'a> {
    pub fn new(first: &'a mut dyn RecordSink, second: &'a mut dyn RecordSink) -> Self {
        Tee {
            first,
            second,
            second_error: None,
            second_problems: Problems::default(),
        }
    }
}

impl RecordSink for Tee<'_> {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        self.first.columns(names, dialect)?;
        if let Err(e) = self.second.columns(names, dialect) {
            self.second_error = Some(e);
        }
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        let first = self.first.record(row, problems);
        let second = match self.second_error {
            None => self.second.record(row, &mut self.second_problems),
            Some(_) => Flow::Stop,
        };
        if first == Flow::Stop && second == Flow::Stop {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}

/// Feeds every row to several plans that all need the file (e.g. two data sources of an
/// indicator spec read from the same file): one pass instead of one per plan. Each plan after the
/// first keeps its own problems, so every plan's report is its own and nothing is told twice.
pub struct Fan<'a> {
    pub sinks: Vec<&'a mut dyn RecordSink>,
    /// The problems of `sinks[1..]`, in order; the first sink's go to the reader's.
    pub problems: Vec<Problems>,
}

impl<'a> Fan<'a> {
    pub fn new(sinks: Vec<&'a mut dyn RecordSink>) -> Self {
        let extra = sinks.len().saturating_sub(1);
        Fan {
            sinks,
            problems: (0..extra).map(|_| Problems::default()).collect(),
        }
    }
}

impl RecordSink for Fan<'_> {
    fn columns(&mut self, names: &[String], dialect: &Dialect) -> Result<(), Error> {
        for sink in &mut self.sinks {
            sink.columns(names, dialect)?;
        }
        Ok(())
    }

    fn record(&mut self, row: &Row<'_>, problems: &mut Problems) -> Flow {
        let mut any = false;
        for (i, sink) in self.sinks.iter_mut().enumerate() {
            let own = match i.checked_sub(1) {
                None => &mut *problems,
                Some(k) => match self.problems.get_mut(k) {
                    Some(p) => p,
                    None => continue,
                },
            };
            any |= sink.record(row, own) == Flow::Continue;
        }
        if any {
            Flow::Continue
        } else {
            Flow::Stop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::CountPerKommun;
    use crate::ingest::{read_bytes, ReadOptions};
    use crate::inspect::Inspect;

    #[test]
    fn a_fan_gives_every_plan_every_row_and_its_own_problems() {
        let csv = "kommun,antal\n2480,5\n9999,1\n2482,2\n";
        let (mut a, mut b) = (CountPerKommun::default(), CountPerKommun::default());
        let mut fan = Fan::new(vec![&mut a, &mut b]);
        let outcome =
            read_bytes("f.csv", csv.as_bytes(), ReadOptions::default(), &mut fan).unwrap();
        let second = fan.problems.pop().unwrap();
        assert_eq!((outcome.problems.total, second.total), (1, 1));
        let dialect = outcome.source.dialect;
        let a = a.finish(outcome.stats.clone(), outcome.problems, dialect);
        let b = b.finish(outcome.stats, second, dialect);
        assert_eq!(a.rows(), b.rows());
        assert_eq!(a.rows().iter().map(|r| r.rows).sum::<u64>(), 2);
    }

    #[test]
    fn one_pass_two_plans_and_a_plan_that_cannot_take_part() {
        let csv = "kommun,antal\n2480,5\n2480,-1\n2482,2\n";
        let (mut inspect, mut counts) = (Inspect::default(), CountPerKommun::default());
        let mut tee = Tee::new(&mut inspect, &mut counts);
        let outcome =
            read_bytes("t.csv", csv.as_bytes(), ReadOptions::default(), &mut tee).unwrap();
        assert!(tee.second_error.is_none());
        // The negative count is reported once in the file's problems, once in the count's own.
        assert_eq!(outcome.problems.total, 1);
        assert_eq!(tee.second_problems.total, 1);
        let second_problems = std::mem::take(&mut tee.second_problems);
        let counts = counts.finish(
            outcome.stats.clone(),
            second_problems,
            outcome.source.dialect,
        );
        assert_eq!(
            counts
                .rows()
                .iter()
                .map(|r| (r.kommun.as_str(), r.rows))
                .collect::<Vec<_>>(),
            vec![("2480", 1), ("2482", 1)]
        );

        let (mut inspect, mut counts) = (Inspect::default(), CountPerKommun::default());
        let mut tee = Tee::new(&mut inspect, &mut counts);
        let outcome = read_bytes("t.csv", b"a,b\n1,2\n", ReadOptions::default(), &mut tee).unwrap();
        assert_eq!(outcome.stats.rows, 1);
        assert_eq!(
            tee.second_error.map(|e| e.in_file("t.csv").to_string()).unwrap_or_default(),
            "t.csv: no column for the kommun (a column named kommun, kommunkod or deso); the columns are a, b. Rename the column in the file, or name one of these instead."
        );
    }
}
