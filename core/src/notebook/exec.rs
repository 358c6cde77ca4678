//! Running a notebook: a pure function from (prepared notebook, read inputs) to results.
//!
//! Each cell's output is cached under a hash of what it depends on (its own text after
//! substitution, and for cells with numbers the spec, levels and inputs' fingerprints), so a
//! [`Session`] recomputes only cells whose inputs changed. Preparing is [`super::prepare`], the
//! outputs are [`super::output`], the table, chart and roll-up cells [`super::view`].

use std::collections::HashMap;
use std::rc::Rc;

use super::format::{Cell, Notebook};
use super::markdown::markdown_to_html;
pub use super::output::{
    CellOutput, InputSummary, NotebookResults, RollupLine, TableOutput, TableRow,
};
use super::prepare::hash_of;
pub use super::prepare::{
    county_of, prepare, prepare_with, read_input, Input, InputPart, InputPlan, NotebookError,
    Prepared,
};
use super::view;
use crate::indicators::{Level, ReadSource, Results};

/// Prepares, reads the named files from memory and runs: the whole notebook in one call.
pub fn run_in_memory(
    nb: &Notebook,
    overrides: &[(String, String)],
    files: &[(&str, &str, &[u8])],
) -> Result<NotebookResults, NotebookError> {
    let prepared = prepare(nb, overrides)?;
    let mut inputs = Vec::new();
    for name in prepared.input_names() {
        let Some((_, file, bytes)) = files.iter().find(|(n, _, _)| *n == name) else {
            return Err(NotebookError::MissingInput(name));
        };
        inputs.push(
            read_input(&prepared, &name, file, bytes)
                .map_err(|e| NotebookError::Read(e.to_string()))?,
        );
    }
    Session::default().run(&prepared, &inputs)
}

/// A cache of cell outputs across runs of the same or an edited notebook.
#[derive(Debug, Default)]
pub struct Session {
    cells: HashMap<u64, Rc<CellOutput>>,
    results: Option<(u64, Rc<Results>)>,
    /// The results as shown (suppressed at a threshold), under the key of the results and
    /// the threshold.
    shown: Option<(u64, Rc<Results>)>,
}

impl Session {
    /// Runs every cell, reusing outputs whose inputs did not change since an earlier run.
    pub fn run(
        &mut self,
        prepared: &Prepared,
        inputs: &[Input],
    ) -> Result<NotebookResults, NotebookError> {
        let names = prepared.input_names();
        let mut read: Vec<&ReadSource> = Vec::new();
        let mut fingerprints = Vec::new();
        for name in &names {
            let Some(input) = inputs.iter().find(|i| &i.source.name == name) else {
                return Err(NotebookError::MissingInput(name.clone()));
            };
            read.push(&input.source);
            fingerprints.push((name.clone(), input.fingerprint, input.read_key));
        }
        let spec_json = serde_json::to_string(&prepared.spec).unwrap_or_default();
        let levels_text: Vec<String> = prepared.levels.iter().map(Level::file_name).collect();
        let results_key = hash_of(&(spec_json, levels_text, fingerprints));
        let results = match &self.results {
            Some((k, r)) if *k == results_key => Rc::clone(r),
            _ => {
                let r = Rc::new(prepared.compiled.finish(&read, &prepared.levels)?);
                self.results = Some((results_key, Rc::clone(&r)));
                r
            }
        };
        // What the cells show is exported: small counts are masked there, and so are the
        // changes that would give them back. The snapshot masks the raw results itself.
        let shown_key = hash_of(&(results_key, prepared.disclosure_threshold.to_bits()));
        let shown = match &self.shown {
            Some((k, r)) if *k == shown_key => Rc::clone(r),
            _ => {
                let r = Rc::new(crate::export::protected(
                    &results,
                    prepared.disclosure_threshold,
                ));
                self.shown = Some((shown_key, Rc::clone(&r)));
                r
            }
        };
        let summaries: Vec<InputSummary> = inputs
            .iter()
            .filter(|i| names.contains(&i.source.name))
            .map(|i| InputSummary::of(&i.source.name, i))
            .collect();
        let mut computed = 0;
        let mut cells = Vec::new();
        // Only what this run shows stays cached: an edited cell's old output goes.
        let mut kept = HashMap::new();
        for cell in &prepared.notebook.cells {
            let cell_json = serde_json::to_string(cell).unwrap_or_default();
            let uses_results = !matches!(cell, Cell::Text(_) | Cell::Parameters(_));
            let key = hash_of(&(
                cell_json,
                if uses_results { results_key } else { 0 },
                &prepared.params,
                prepared.disclosure_threshold.to_bits(),
                prepared.language,
            ));
            let out = match self.cells.get(&key).or_else(|| kept.get(&key)) {
                Some(o) => Rc::clone(o),
                None => {
                    computed += 1;
                    Rc::new(run_cell(cell, prepared, &shown, inputs))
                }
            };
            kept.insert(key, Rc::clone(&out));
            cells.push((cell.id().to_owned(), out));
        }
        self.cells = kept;
        Ok(NotebookResults {
            title: prepared.notebook.title.clone(),
            description: prepared.notebook.description.clone(),
            version: prepared.notebook.version,
            params: prepared.params.clone(),
            inputs: summaries,
            cells,
            computed,
            results: Some(results),
            disclosure_threshold: prepared.disclosure_threshold,
            protected: prepared.protection.enabled,
            suppression: shown.suppression,
            language: prepared.language,
        })
    }
}

fn run_cell(cell: &Cell, p: &Prepared, results: &Results, inputs: &[Input]) -> CellOutput {
    let r = match cell {
        Cell::Text(t) => Ok(CellOutput::Text {
            html: markdown_to_html(&t.markdown),
        }),
        Cell::Parameters(c) => Ok(CellOutput::Parameters {
            values: c
                .parameters
                .iter()
                .map(|x| {
                    let v = p
                        .params
                        .iter()
                        .find(|(n, _)| *n == x.name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default();
                    (x.name.clone(), x.label.clone(), v)
                })
                .collect(),
        }),
        Cell::Data(d) => Ok(data_cell(d, inputs)),
        Cell::Indicators(c) => Ok(CellOutput::Indicators {
            title: c.title.clone(),
            rows: c
                .indicators
                .iter()
                .map(|i| {
                    [
                        i.id.clone(),
                        i.name.clone(),
                        i.unit.clone(),
                        i.measure.name().to_owned(),
                    ]
                })
                .collect(),
        }),
        Cell::Table(t) => view::table(t, p, results).map(CellOutput::Table),
        Cell::Chart(c) => view::chart(c, p, results),
        Cell::Rollup(c) => view::rollup(c, p, results),
    };
    r.unwrap_or_else(|message| CellOutput::Error {
        message: message.en,
        message_sv: message.sv,
    })
}

fn data_cell(d: &super::format::DataCell, inputs: &[Input]) -> CellOutput {
    let Some(input) = inputs.iter().find(|i| i.source.name == d.name) else {
        return CellOutput::Error {
            message: format!("no file was given for '{}'", d.name),
            message_sv: Some(format!("ingen fil har getts för '{}'", d.name)),
        };
    };
    let mut messages = Vec::new();
    let mut messages_sv = Vec::new();
    let k = &d.keys;
    let keys = [
        &k.deso,
        &k.kommun,
        &k.lan,
        &k.provider,
        &k.year,
        &k.date,
        &k.sex,
        &k.age,
        &k.age_band,
    ];
    let wanted = keys
        .iter()
        .filter_map(|c| c.as_deref())
        .chain(d.required_columns.iter().map(String::as_str));
    for c in wanted {
        if !input.columns.iter().any(|x| x == c) {
            let columns = input.columns.join(", ");
            messages.push(format!(
                "The column '{c}' is missing from {} (columns: {columns}).",
                input.file
            ));
            messages_sv.push(format!(
                "Kolumnen '{c}' saknas i {} (kolumner: {columns}).",
                input.file
            ));
        }
    }
    if let Some(min) = d.min_rows {
        if input.source.rows.used < min {
            let (file, used) = (&input.file, input.source.rows.used);
            messages.push(format!(
                "{file} has {used} usable rows; at least {min} were expected."
            ));
            messages_sv.push(format!(
                "{file} har {used} användbara rader; minst {min} väntades."
            ));
        }
    }
    for pr in input.source.problems.kept.iter().take(5) {
        messages.push(pr.without_values());
        messages_sv.push(pr.without_values_swedish());
    }
    CellOutput::Data {
        summary: InputSummary::of(&d.name, input),
        expects: d.expects.clone(),
        messages,
        messages_sv,
    }
}
