//! A notebook run as the page sees it, as pure state: which run is the newest (its generation),
//! how far it has come, and what the last finished run gave. The engine runs in a Web Worker
//! (`engine_worker.rs`) and answers with [`Reply`]s tagged with the generation of the request; a
//! reply to an older request, or to one the user cancelled, is dropped here, so a slow stale run
//! can never be shown over a newer one. No browser calls: tested natively
//! (`cargo test -p samsyn-web --lib`).

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use samsyn_core::notebook::output::CellOutput;

use crate::i18n::Lang;
use crate::notebook_run::RunOutcome;

/// What the engine is doing in a run, as the worker reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Reading an input's file (bytes of the file's total).
    Read,
    /// An input answered from what an earlier run read (its cubes): no file is read.
    Reuse,
    /// Every input is in; the cells and the report are being computed.
    Compute,
}

/// How far a run has come, for the progress bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunProgress {
    pub stage: Stage,
    /// The notebook's input name ("events"); empty while computing.
    pub input: String,
    /// The file's own name.
    pub file: String,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows_done: u64,
    /// Inputs finished so far, of all the inputs the run needs.
    pub inputs_done: usize,
    pub inputs_total: usize,
}

impl RunProgress {
    /// Whole percent of the file read (0 when its size is unknown).
    pub fn percent(&self) -> u64 {
        (self.bytes_done.min(self.bytes_total) * 100)
            .checked_div(self.bytes_total)
            .unwrap_or(0)
    }

    /// The progress in words, Swedish first: "Läser «events» (events.csv): 12,3 av 61,0 MB
    /// (20 %), 123 456 rader · fil 1 av 2".
    pub fn text(&self, lang: Lang) -> String {
        let mb = |bytes: u64| {
            let text = format!("{:.1}", bytes as f64 / 1e6);
            match lang {
                Lang::Sv => text.replace('.', ","),
                Lang::En => text,
            }
        };
        let of_inputs = format!(
            "{} {} {} {}",
            lang.t("fil", "file"),
            (self.inputs_done + 1).min(self.inputs_total.max(1)),
            lang.t("av", "of"),
            self.inputs_total.max(1)
        );
        match self.stage {
            Stage::Read => format!(
                "{} «{}» ({}): {} {} {} MB ({} %), {} {} · {of_inputs}",
                lang.t("Läser", "Reading"),
                self.input,
                self.file,
                mb(self.bytes_done),
                lang.t("av", "of"),
                mb(self.bytes_total),
                self.percent(),
                lang.number(self.rows_done as f64),
                lang.t("rader", "rows"),
            ),
            Stage::Reuse => format!(
                "{} «{}» {} · {of_inputs}",
                lang.t("Besvarar", "Answering"),
                self.input,
                lang.t("utan att läsa filen igen", "without reading the file again"),
            ),
            Stage::Compute => lang
                .t(
                    "Beräknar cellerna och rapporten …",
                    "Computing the cells and the report …",
                )
                .to_owned(),
        }
    }
}

/// What the worker says about a request, tagged with the request's generation. Crosses the
/// thread boundary through serde-wasm-bindgen; the results themselves travel as JSON text
/// (`results_json`), measured faster for a big result (docs/benchmarks.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reply {
    Progress {
        generation: u64,
        progress: RunProgress,
    },
    Done {
        generation: u64,
        /// `NotebookResults` as JSON.
        results_json: String,
        /// The self-contained HTML report of the same results.
        html: String,
        read: Vec<String>,
        /// Inputs read in byte ranges by several workers, and in how many.
        in_parts: Vec<(String, usize)>,
        reused: Vec<String>,
        /// From the request reaching the worker to the report, in milliseconds.
        ms: f64,
    },
    Failed {
        generation: u64,
        message: String,
    },
}

impl Reply {
    pub fn generation(&self) -> u64 {
        match self {
            Reply::Progress { generation, .. }
            | Reply::Done { generation, .. }
            | Reply::Failed { generation, .. } => *generation,
        }
    }
}

/// Where the newest run is.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Status {
    #[default]
    Idle,
    Running {
        generation: u64,
        /// `None` until the worker's first word.
        progress: Option<RunProgress>,
    },
    Done {
        generation: u64,
    },
    Failed {
        generation: u64,
        message: String,
    },
    /// The user cancelled the run of this generation.
    Cancelled {
        generation: u64,
    },
}

/// What changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum RunAction {
    /// A request of `generation` was sent: every earlier one is stale from now on.
    Start {
        generation: u64,
    },
    Progress {
        generation: u64,
        progress: RunProgress,
    },
    /// A run finished; its results already decoded by the page.
    Done {
        generation: u64,
        outcome: Rc<RunOutcome>,
    },
    Failed {
        generation: u64,
        message: String,
    },
    /// The user pressed "Avbryt": the running request is abandoned.
    Cancel,
    /// Another notebook is in hand: forget runs and results of the old one.
    Reset,
}

/// The page's notebook run: the newest generation, its status and the last results shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunState {
    /// The newest generation sent (0: none yet).
    pub generation: u64,
    pub status: Status,
    /// The results of the newest finished run, kept on screen while a newer one runs.
    pub shown: Option<Rc<RunOutcome>>,
    /// Replies dropped because a newer request (or a cancel) overtook them.
    pub dropped: u64,
}

impl RunState {
    /// Whether a run is going.
    pub fn running(&self) -> bool {
        matches!(self.status, Status::Running { .. })
    }

    /// Whether a reply of `generation` belongs to the run in progress.
    fn is_current(&self, generation: u64) -> bool {
        matches!(self.status, Status::Running { generation: g, .. } if g == generation)
    }

    /// The state after `action`. A reply from any generation but the running one changes
    /// nothing but the count of dropped replies.
    pub fn apply(&mut self, action: RunAction) {
        if let Some(generation) = action.reply_generation() {
            if !self.is_current(generation) {
                self.dropped += 1;
                return;
            }
        }
        match action {
            RunAction::Start { generation } if generation > self.generation => {
                self.generation = generation;
                self.status = Status::Running {
                    generation,
                    progress: None,
                };
            }
            // A start out of order is itself stale.
            RunAction::Start { .. } => self.dropped += 1,
            RunAction::Progress {
                generation,
                progress,
            } => {
                self.status = Status::Running {
                    generation,
                    progress: Some(progress),
                }
            }
            RunAction::Done {
                generation,
                outcome,
            } => {
                self.status = Status::Done { generation };
                self.shown = Some(match self.shown.take() {
                    Some(old) => keep_unchanged(&old, outcome),
                    None => outcome,
                });
            }
            RunAction::Failed {
                generation,
                message,
            } => {
                self.status = Status::Failed {
                    generation,
                    message,
                }
            }
            RunAction::Cancel => {
                if let Status::Running { generation, .. } = self.status {
                    self.status = Status::Cancelled { generation };
                }
            }
            RunAction::Reset => {
                self.status = Status::Idle;
                self.shown = None;
            }
        }
    }
}

/// `new` with every cell output equal to the one `old` showed for the same cell replaced by
/// `old`'s own: the page draws a cell again only when its output is another one (by pointer,
/// `cell_output::OutputProps`), so an edit redraws the cells it changed, not the notebook.
fn keep_unchanged(old: &RunOutcome, new: Rc<RunOutcome>) -> Rc<RunOutcome> {
    let same = |(id, output): &(String, Rc<CellOutput>)| {
        old.cells
            .iter()
            .find(|(old_id, old_output)| old_id == id && old_output == output)
            .map(|(_, old_output)| old_output.clone())
    };
    if !new.cells.iter().any(|c| same(c).is_some()) {
        return new;
    }
    let mut new = Rc::unwrap_or_clone(new);
    for cell in &mut new.cells {
        if let Some(kept) = same(cell) {
            cell.1 = kept;
        }
    }
    Rc::new(new)
}

impl RunAction {
    /// The generation of a reply from the worker; `None` for the page's own actions.
    fn reply_generation(&self) -> Option<u64> {
        match self {
            RunAction::Progress { generation, .. }
            | RunAction::Done { generation, .. }
            | RunAction::Failed { generation, .. } => Some(*generation),
            RunAction::Start { .. } | RunAction::Cancel | RunAction::Reset => None,
        }
    }
}

impl yew::Reducible for RunState {
    type Action = RunAction;

    fn reduce(self: Rc<Self>, action: RunAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// Hands out generation numbers: each request gets one higher than any before.
#[derive(Debug, Clone, Default)]
pub struct Generations(Rc<std::cell::Cell<u64>>);

impl Generations {
    /// The next generation (1 for the first request).
    pub fn next(&self) -> u64 {
        let g = self.0.get().saturating_add(1);
        self.0.set(g);
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(ms: f64) -> Rc<RunOutcome> {
        Rc::new(RunOutcome {
            html: format!("<p>{ms}</p>"),
            cells: Vec::new(),
            read: vec!["events".into()],
            in_parts: Vec::new(),
            reused: Vec::new(),
            ms,
        })
    }

    fn progress(bytes_done: u64, bytes_total: u64) -> RunProgress {
        RunProgress {
            stage: Stage::Read,
            input: "events".into(),
            file: "events.csv".into(),
            bytes_done,
            bytes_total,
            rows_done: 1234,
            inputs_done: 0,
            inputs_total: 2,
        }
    }

    #[test]
    fn a_stale_result_never_shows_over_a_newer_run() {
        let gens = Generations::default();
        let mut s = RunState::default();
        let (first, second) = (gens.next(), gens.next());
        assert_eq!((first, second), (1, 2));
        s.apply(RunAction::Start { generation: first });
        s.apply(RunAction::Start { generation: second });
        // The first run's answer arrives after the second was sent: dropped.
        s.apply(RunAction::Done {
            generation: first,
            outcome: outcome(1.0),
        });
        assert_eq!(s.shown, None);
        assert_eq!(
            s.status,
            Status::Running {
                generation: 2,
                progress: None
            }
        );
        s.apply(RunAction::Progress {
            generation: first,
            progress: progress(5, 10),
        });
        s.apply(RunAction::Failed {
            generation: first,
            message: "late".into(),
        });
        assert_eq!(s.dropped, 3);
        assert!(s.running());
        s.apply(RunAction::Done {
            generation: second,
            outcome: outcome(2.0),
        });
        assert_eq!(s.status, Status::Done { generation: 2 });
        assert_eq!(s.shown.as_ref().map(|o| o.ms), Some(2.0));
        // A start older than the newest is stale too.
        s.apply(RunAction::Start { generation: 1 });
        assert_eq!(s.status, Status::Done { generation: 2 });
        assert_eq!(s.dropped, 4);
    }

    fn text(html: &str) -> Rc<CellOutput> {
        Rc::new(CellOutput::Text { html: html.into() })
    }

    fn with_cells(ms: f64, cells: &[(&str, &Rc<CellOutput>)]) -> Rc<RunOutcome> {
        let mut o = Rc::unwrap_or_clone(outcome(ms));
        o.cells = cells
            .iter()
            .map(|(id, c)| ((*id).to_owned(), (*c).clone()))
            .collect();
        Rc::new(o)
    }

    #[test]
    fn a_newer_result_keeps_the_outputs_it_did_not_change() {
        let (a, b, c) = (text("<p>a</p>"), text("<p>b</p>"), text("<p>c</p>"));
        let mut s = RunState::default();
        s.apply(RunAction::Start { generation: 1 });
        s.apply(RunAction::Done {
            generation: 1,
            outcome: with_cells(1.0, &[("one", &a), ("two", &b), ("three", &c)]),
        });
        // The second run gives equal outputs in new allocations: "one" the same, "two"
        // changed, and "three"'s old output now under another id.
        let (a2, b2, c2) = (text("<p>a</p>"), text("<p>B</p>"), text("<p>c</p>"));
        s.apply(RunAction::Start { generation: 2 });
        s.apply(RunAction::Done {
            generation: 2,
            outcome: with_cells(2.0, &[("one", &a2), ("two", &b2), ("four", &c2)]),
        });
        let shown = s.shown.as_ref().unwrap();
        assert_eq!(shown.ms, 2.0);
        let ids: Vec<&str> = shown.cells.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["one", "two", "four"]);
        assert!(
            Rc::ptr_eq(&shown.cells[0].1, &a),
            "unchanged: the old output is kept"
        );
        assert!(
            Rc::ptr_eq(&shown.cells[1].1, &b2),
            "changed: the new output"
        );
        assert!(
            Rc::ptr_eq(&shown.cells[2].1, &c2),
            "another cell: its own output"
        );
    }

    #[test]
    fn the_last_results_stay_shown_while_a_newer_run_goes() {
        let mut s = RunState::default();
        s.apply(RunAction::Start { generation: 1 });
        s.apply(RunAction::Done {
            generation: 1,
            outcome: outcome(1.0),
        });
        s.apply(RunAction::Start { generation: 2 });
        s.apply(RunAction::Progress {
            generation: 2,
            progress: progress(3, 4),
        });
        assert_eq!(s.shown.as_ref().map(|o| o.ms), Some(1.0));
        assert_eq!(
            s.status,
            Status::Running {
                generation: 2,
                progress: Some(progress(3, 4))
            }
        );
        s.apply(RunAction::Failed {
            generation: 2,
            message: "Välj en fil".into(),
        });
        assert_eq!(
            s.status,
            Status::Failed {
                generation: 2,
                message: "Välj en fil".into()
            }
        );
        assert_eq!(s.shown.as_ref().map(|o| o.ms), Some(1.0));
    }

    #[test]
    fn after_a_cancel_the_cancelled_run_is_silent_and_a_new_one_runs() {
        let mut s = RunState::default();
        s.apply(RunAction::Start { generation: 1 });
        s.apply(RunAction::Cancel);
        assert_eq!(s.status, Status::Cancelled { generation: 1 });
        assert!(!s.running());
        // The cancelled run's answers (sent before the worker stopped) change nothing.
        s.apply(RunAction::Progress {
            generation: 1,
            progress: progress(1, 2),
        });
        s.apply(RunAction::Done {
            generation: 1,
            outcome: outcome(1.0),
        });
        assert_eq!(s.status, Status::Cancelled { generation: 1 });
        assert_eq!((s.shown.clone(), s.dropped), (None, 2));
        s.apply(RunAction::Start { generation: 2 });
        s.apply(RunAction::Done {
            generation: 2,
            outcome: outcome(2.0),
        });
        assert_eq!(s.status, Status::Done { generation: 2 });
        // Cancel with nothing running does nothing.
        s.apply(RunAction::Cancel);
        assert_eq!(s.status, Status::Done { generation: 2 });
    }

    #[test]
    fn a_reset_forgets_the_old_notebook_and_its_running_request() {
        let mut s = RunState::default();
        s.apply(RunAction::Start { generation: 1 });
        s.apply(RunAction::Done {
            generation: 1,
            outcome: outcome(1.0),
        });
        s.apply(RunAction::Start { generation: 2 });
        s.apply(RunAction::Reset);
        s.apply(RunAction::Done {
            generation: 2,
            outcome: outcome(2.0),
        });
        assert_eq!((s.status.clone(), s.shown.clone()), (Status::Idle, None));
    }

    #[test]
    fn progress_is_told_in_swedish_first() {
        let p = RunProgress {
            bytes_done: 12_345_678,
            bytes_total: 61_000_000,
            rows_done: 123_456,
            ..progress(0, 0)
        };
        assert_eq!(p.percent(), 20);
        assert_eq!(
            p.text(Lang::Sv),
            "Läser «events» (events.csv): 12,3 av 61,0 MB (20 %), 123\u{a0}456 rader · fil 1 av 2"
        );
        assert_eq!(
            p.text(Lang::En),
            "Reading «events» (events.csv): 12.3 of 61.0 MB (20 %), 123,456 rows · file 1 of 2"
        );
        // A file of unknown size, and a count past the end, never divide by zero or pass 100 %.
        assert_eq!(progress(5, 0).percent(), 0);
        assert_eq!(progress(15, 10).percent(), 100);
        let reuse = RunProgress {
            stage: Stage::Reuse,
            inputs_done: 1,
            ..progress(0, 0)
        };
        assert_eq!(
            reuse.text(Lang::Sv),
            "Besvarar «events» utan att läsa filen igen · fil 2 av 2"
        );
    }

    #[test]
    fn a_reply_crosses_as_json_and_back() {
        let reply = Reply::Progress {
            generation: 7,
            progress: progress(1, 2),
        };
        let text = serde_json::to_string(&reply).unwrap();
        assert!(
            text.starts_with(r#"{"kind":"progress","generation":7,"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Reply>(&text).unwrap(), reply);
        assert_eq!(reply.generation(), 7);
    }
}
