//! The workbench's state, pure and tested natively: what the page holds besides the run (which
//! is `run_state.rs`). [`EditorState`] is the notebook in hand with its history (Ångra / Gör om),
//! collapsed cells and the last refused edit; [`Workbench`] is the rest: which screen shows (the
//! start screen, a notebook being read, one in hand, or why it did not open), which request for
//! a notebook is the newest, the parameters chosen, each input's file, the first looks at those
//! files (`peek.rs`), and the user's disclosure floor. [`Workbench::request`] is the one place a
//! run's request is made from them. The components (`notebook_panel.rs`, `notebook_editor.rs`)
//! only turn the page's events into these actions and show the result.
//!
//! `F` is an input's file: the browser's `File` on the page, a name in the tests.

use std::collections::BTreeSet;
use std::rc::Rc;

use samsyn_core::notebook::output::{CellOutput, InputSummary};
use samsyn_core::notebook::Notebook;
use samsyn_core::stats::disclosure::DEFAULT_FLOOR;
use yew::Reducible;

use crate::edit::{Edit, EditError, History};
use crate::i18n::Both;
use crate::worker::{RequestInput, RunRequest};

/// An edit refused where it was typed: the field (an element id), the text typed, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub field: String,
    pub text: String,
    pub error: EditError,
}

/// The editor's state: the notebook's history, which cells are collapsed, the last refusal.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorState {
    /// Where the notebook came from (an example's file name, the opened file's name, `ny`).
    pub name: String,
    pub history: History,
    pub collapsed: BTreeSet<String>,
    pub refusal: Option<Refusal>,
}

impl Default for EditorState {
    fn default() -> Self {
        EditorState {
            name: String::new(),
            history: History::new(Notebook::new("")),
            collapsed: BTreeSet::new(),
            refusal: None,
        }
    }
}

pub enum EditorAction {
    Load {
        name: String,
        notebook: Notebook,
    },
    /// An edit typed into the element `field` as `text`.
    Apply {
        field: String,
        text: String,
        edit: Edit,
    },
    /// A notebook kept in the browser's storage from an earlier visit: opened with its
    /// changes counted as unsaved (they were never saved as a file).
    Restore {
        name: String,
        notebook: Notebook,
    },
    Undo,
    Redo,
    EndTyping,
    Toggle(String),
    Saved,
}

impl EditorState {
    pub fn apply(&mut self, action: EditorAction) {
        match action {
            EditorAction::Load { name, notebook } => {
                *self = EditorState {
                    name,
                    history: History::new(notebook),
                    ..EditorState::default()
                }
            }
            EditorAction::Restore { name, notebook } => {
                *self = EditorState {
                    name,
                    history: History::restored(notebook),
                    ..EditorState::default()
                }
            }
            EditorAction::Apply { field, text, edit } => {
                self.refusal =
                    self.history
                        .apply(&edit)
                        .err()
                        .map(|error| Refusal { field, text, error });
            }
            EditorAction::Undo => {
                self.history.undo();
                self.refusal = None;
            }
            EditorAction::Redo => {
                self.history.redo();
                self.refusal = None;
            }
            EditorAction::EndTyping => self.history.end_typing(),
            EditorAction::Toggle(id) => {
                if !self.collapsed.remove(&id) {
                    self.collapsed.insert(id);
                }
            }
            EditorAction::Saved => {
                self.history.save();
            }
        }
    }
}

impl Reducible for EditorState {
    type Action = EditorAction;

    fn reduce(self: Rc<Self>, action: EditorAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// What the workbench shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Screen {
    /// Nothing decided yet (the page has just started and looks for a kept notebook).
    #[default]
    Starting,
    /// The start screen's three ways in: no notebook in hand.
    Start,
    /// A notebook is being read (an example fetched, a file read).
    Loading,
    /// A notebook is in hand, in the editor.
    Open,
    /// The notebook asked for could not be opened: why, in both languages.
    Failed(Both),
}

/// The highest disclosure floor the user can set (a count of people).
pub const MAX_FLOOR: f64 = 1000.0;

/// Everything of the workbench but the notebook's own history and the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbench<F> {
    pub screen: Screen,
    /// The number of the newest request for a notebook: the answer to an older one is dropped.
    pub load: u64,
    /// When the notebook in hand came back from the browser's storage: the time it was kept.
    pub restored: Option<f64>,
    /// The values chosen for the notebook's parameters (the others keep their defaults).
    pub params: Vec<(String, String)>,
    /// The user's own file for each input that has one (the others read the sample file of
    /// their name, said so beside them).
    pub files: Vec<(String, F)>,
    /// The first look at each input's own file (`peek.rs`), under `peek::key(input)`.
    pub peeks: Vec<(String, Rc<CellOutput>)>,
    /// The user's disclosure floor: a notebook can raise it, never lower it.
    pub floor: f64,
    /// Disclosure control switched off by the user (for her own use; the report says so).
    pub protection_off: bool,
}

impl<F> Default for Workbench<F> {
    fn default() -> Self {
        Workbench {
            screen: Screen::default(),
            load: 0,
            restored: None,
            params: Vec::new(),
            files: Vec::new(),
            peeks: Vec::new(),
            floor: DEFAULT_FLOOR,
            protection_off: false,
        }
    }
}

pub enum WorkbenchAction<F> {
    /// No notebook kept from an earlier visit: the start screen.
    ShowStart,
    /// A new request for a notebook, numbered `load` by the caller's counter (its async answer
    /// checks that counter too): every earlier one is stale, and the parameters, files and
    /// first looks of the notebook in hand are forgotten.
    Request {
        load: u64,
    },
    /// The answer to request `load`: opened (restored from storage at the time given), or why
    /// not. An answer to an older request changes nothing.
    Answer {
        load: u64,
        outcome: Result<Option<f64>, Both>,
    },
    SetParam {
        name: String,
        value: String,
    },
    SetFile {
        input: String,
        file: F,
    },
    /// The first look at `input`'s file.
    Peeked {
        input: String,
        summary: InputSummary,
    },
    /// The floor as typed (`5`, `10,5`); below 1 or not a number changes nothing (switching
    /// protection off is its own action); above [`MAX_FLOOR`] is [`MAX_FLOOR`].
    SetFloor(String),
    SetProtectionOff(bool),
}

impl<F: Clone> Workbench<F> {
    pub fn apply(&mut self, action: WorkbenchAction<F>) {
        match action {
            WorkbenchAction::ShowStart => self.screen = Screen::Start,
            WorkbenchAction::Request { load } => {
                self.load = load;
                self.screen = Screen::Loading;
                self.restored = None;
                self.params.clear();
                self.files.clear();
                self.peeks.clear();
            }
            WorkbenchAction::Answer { load, outcome } => {
                if load != self.load {
                    return;
                }
                match outcome {
                    Ok(restored) => {
                        self.screen = Screen::Open;
                        self.restored = restored;
                    }
                    Err(why) => self.screen = Screen::Failed(why),
                }
            }
            WorkbenchAction::SetParam { name, value } => {
                self.params.retain(|(n, _)| *n != name);
                self.params.push((name, value));
            }
            WorkbenchAction::SetFile { input, file } => {
                self.files.retain(|(n, _)| *n != input);
                self.files.push((input, file));
            }
            WorkbenchAction::Peeked { input, summary } => {
                let key = crate::peek::key(&input);
                self.peeks.retain(|(k, _)| *k != key);
                self.peeks
                    .push((key, Rc::new(crate::peek::as_output(summary))));
            }
            WorkbenchAction::SetFloor(text) => {
                if let Ok(v) = text.trim().replace(',', ".").parse::<f64>() {
                    if v.is_finite() && v >= 1.0 {
                        self.floor = v.min(MAX_FLOOR);
                    }
                }
            }
            WorkbenchAction::SetProtectionOff(off) => self.protection_off = off,
        }
    }

    /// Whether `load` is the newest request for a notebook.
    pub fn is_current(&self, load: u64) -> bool {
        load == self.load
    }

    /// The value of the parameter `name`: the one chosen, else `default`.
    pub fn param(&self, name: &str, default: &str) -> String {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or_else(|| default.to_owned(), |(_, v)| v.clone())
    }

    /// The request for a run of `notebook` (its saved text is what crosses) reading `inputs`
    /// (the notebook's input names), and the files it hands over: each input's own file by its
    /// index among them, or none for the sample file of its name. Only the parameters the
    /// notebook still declares are sent; the floor is `None` only when protection is off.
    pub fn request(
        &self,
        notebook: &Notebook,
        inputs: &[String],
        generation: u64,
        base: &str,
        english: bool,
    ) -> (RunRequest, Vec<F>) {
        let mut own = Vec::new();
        let inputs = inputs
            .iter()
            .map(|name| {
                let file = self.files.iter().find(|(n, _)| n == name).map(|(_, f)| {
                    own.push(f.clone());
                    own.len() - 1
                });
                RequestInput {
                    input: name.clone(),
                    file,
                }
            })
            .collect();
        let declared = notebook.parameters();
        let params = self
            .params
            .iter()
            .filter(|(n, _)| declared.iter().any(|p| p.name == *n))
            .cloned()
            .collect();
        let request = RunRequest {
            generation,
            notebook: notebook.save(),
            params,
            floor: (!self.protection_off).then_some(self.floor),
            base: base.to_owned(),
            inputs,
            english,
        };
        (request, own)
    }
}

impl<F: Clone> Reducible for Workbench<F> {
    type Action = WorkbenchAction<F>;

    fn reduce(self: Rc<Self>, action: WorkbenchAction<F>) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::NewCell;

    fn falls() -> Notebook {
        Notebook::open(include_str!("../../notebooks/falls.samsyn.json")).expect("opens")
    }

    fn opened() -> Workbench<&'static str> {
        let mut w = Workbench::default();
        w.apply(WorkbenchAction::ShowStart);
        w.apply(WorkbenchAction::Request { load: 1 });
        w.apply(WorkbenchAction::Answer {
            load: 1,
            outcome: Ok(None),
        });
        w
    }

    #[test]
    fn the_start_screen_gives_way_to_the_newest_notebook_asked_for_and_a_stale_answer_is_dropped() {
        let mut w: Workbench<&str> = Workbench::default();
        assert_eq!(w.screen, Screen::Starting);
        w.apply(WorkbenchAction::ShowStart);
        assert_eq!(w.screen, Screen::Start);
        let (slow, newest) = (1, 2);
        w.apply(WorkbenchAction::Request { load: slow });
        w.apply(WorkbenchAction::Request { load: newest });
        assert_eq!(w.screen, Screen::Loading);
        assert!(!w.is_current(slow) && w.is_current(newest));
        // The slow one fails late: nothing changes.
        w.apply(WorkbenchAction::Answer {
            load: slow,
            outcome: Err(Both::new("fel", "wrong")),
        });
        assert_eq!(w.screen, Screen::Loading);
        w.apply(WorkbenchAction::Answer {
            load: newest,
            outcome: Ok(Some(12.0)),
        });
        assert_eq!((w.screen.clone(), w.restored), (Screen::Open, Some(12.0)));
        w.apply(WorkbenchAction::Request { load: 3 });
        w.apply(WorkbenchAction::Answer {
            load: 3,
            outcome: Err(Both::new("inte JSON", "not JSON")),
        });
        assert_eq!(w.screen, Screen::Failed(Both::new("inte JSON", "not JSON")));
        assert_eq!(
            w.restored, None,
            "a new request forgets where the old one came from"
        );
    }

    #[test]
    fn a_run_request_carries_the_chosen_parameters_files_and_floor() {
        let nb = falls();
        let mut w = opened();
        w.apply(WorkbenchAction::SetParam {
            name: "kommun".into(),
            value: "2482".into(),
        });
        w.apply(WorkbenchAction::SetParam {
            name: "kommun".into(),
            value: "2480".into(),
        });
        // A parameter the notebook does not declare (any more) is not sent.
        w.apply(WorkbenchAction::SetParam {
            name: "gone".into(),
            value: "x".into(),
        });
        w.apply(WorkbenchAction::SetFile {
            input: "population".into(),
            file: "old.csv",
        });
        w.apply(WorkbenchAction::SetFile {
            input: "population".into(),
            file: "mine.csv",
        });
        let inputs = vec!["events".to_owned(), "population".to_owned()];
        let (request, files) = w.request(&nb, &inputs, 7, "http://127.0.0.1/", false);
        assert_eq!(request.generation, 7);
        assert_eq!(
            request.params,
            vec![("kommun".to_owned(), "2480".to_owned())]
        );
        assert_eq!(files, vec!["mine.csv"]);
        assert_eq!(
            request.inputs,
            vec![
                RequestInput {
                    input: "events".into(),
                    file: None
                },
                RequestInput {
                    input: "population".into(),
                    file: Some(0)
                },
            ]
        );
        assert_eq!(request.floor, Some(DEFAULT_FLOOR));
        assert_eq!(Notebook::open(&request.notebook).expect("reopens"), nb);
        assert_eq!(w.param("kommun", "2481"), "2480");
        assert_eq!(w.param("year", "latest"), "latest");
        // A new notebook starts from its own defaults and the sample files.
        w.apply(WorkbenchAction::Request { load: 2 });
        let (request, files) = w.request(&nb, &inputs, 8, "", false);
        assert!(request.params.is_empty() && files.is_empty());
    }

    #[test]
    fn the_floor_is_the_users_and_only_she_switches_protection_off() {
        let nb = falls();
        let mut w = opened();
        for (typed, floor) in [
            ("10", 10.0),
            ("0", 10.0),
            ("abc", 10.0),
            ("7,5", 7.5),
            ("1e9", MAX_FLOOR),
            ("NaN", MAX_FLOOR),
        ] {
            w.apply(WorkbenchAction::SetFloor(typed.into()));
            assert_eq!(w.floor, floor, "after «{typed}»");
        }
        w.apply(WorkbenchAction::SetProtectionOff(true));
        assert_eq!(w.request(&nb, &[], 1, "", false).0.floor, None);
        w.apply(WorkbenchAction::SetProtectionOff(false));
        assert_eq!(w.request(&nb, &[], 1, "", true).0.floor, Some(MAX_FLOOR));
    }

    #[test]
    fn a_first_look_is_kept_per_input_and_forgotten_with_the_notebook() {
        let mut w = opened();
        let summary = |cols: &[&str]| InputSummary {
            name: "events".into(),
            file: "mine.csv".into(),
            rows: 0,
            used: 0,
            refused: Vec::new(),
            refused_rows: Vec::new(),
            problems: 0,
            columns: cols.iter().map(|c| c.to_string()).collect(),
            values: Vec::new(),
        };
        w.apply(WorkbenchAction::Peeked {
            input: "events".into(),
            summary: summary(&["a"]),
        });
        w.apply(WorkbenchAction::Peeked {
            input: "events".into(),
            summary: summary(&["a", "b"]),
        });
        assert_eq!(w.peeks.len(), 1);
        assert_eq!(w.peeks[0].0, crate::peek::key("events"));
        match &*w.peeks[0].1 {
            CellOutput::Data { summary, .. } => assert_eq!(summary.columns, vec!["a", "b"]),
            other => panic!("{other:?}"),
        }
        w.apply(WorkbenchAction::Request { load: 2 });
        assert!(w.peeks.is_empty());
    }

    #[test]
    fn the_editor_applies_edits_refuses_with_the_field_and_undoes() {
        let mut e = EditorState::default();
        e.apply(EditorAction::Load {
            name: "ny".into(),
            notebook: crate::edit::new_notebook().expect("opens"),
        });
        e.apply(EditorAction::Apply {
            field: "add-".into(),
            text: String::new(),
            edit: Edit::Insert {
                after: None,
                kind: NewCell::Text,
            },
        });
        assert_eq!(e.history.notebook().cells.len(), 1);
        assert!(e.history.unsaved());
        e.apply(EditorAction::Apply {
            field: "up".into(),
            text: String::new(),
            edit: Edit::MoveUp("text".into()),
        });
        let refusal = e.refusal.clone().expect("refused");
        assert_eq!(
            (refusal.field.as_str(), refusal.error),
            ("up", EditError::AlreadyFirst)
        );
        e.apply(EditorAction::Toggle("text".into()));
        assert!(e.collapsed.contains("text"));
        e.apply(EditorAction::Undo);
        assert!(e.history.notebook().cells.is_empty());
        assert_eq!(e.refusal, None);
        e.apply(EditorAction::Redo);
        assert_eq!(e.history.notebook().cells.len(), 1);
        e.apply(EditorAction::Saved);
        assert!(!e.history.unsaved());
    }
}
