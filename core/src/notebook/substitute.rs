//! Parameter substitution: `$name` replaced by its value in every string of every cell, once.

use serde_json::Value;

use super::format::{limits, Cell, Notebook};

/// A cell (or `(title)`) that substitution made invalid, and why.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadCell {
    pub cell: String,
    pub message: String,
}

/// Replaces `$name` in every string of every cell and in the title, in one pass: at each `$`
/// the longest declared name that follows is replaced by its value, and a value is never
/// searched again, so parameters whose values refer to each other (`$a` = "$b$b") cannot
/// expand. The substituted notebook is bounded ([`limits::SUBSTITUTED_BYTES`]).
pub(crate) fn substitute(nb: &Notebook, params: &[(String, String)]) -> Result<Notebook, BadCell> {
    let mut budget = Budget {
        left: limits::SUBSTITUTED_BYTES,
    };
    let mut out = nb.clone();
    out.title = replace_all(&nb.title, params, &mut budget).map_err(|m| BadCell {
        cell: "(title)".into(),
        message: m,
    })?;
    for cell in out.cells.iter_mut() {
        let bad = |message: String| BadCell {
            cell: cell.id().to_owned(),
            message,
        };
        let mut v = serde_json::to_value(&*cell).map_err(|e| bad(e.to_string()))?;
        walk(&mut v, params, &mut budget).map_err(bad)?;
        let new: Cell = serde_json::from_value(v).map_err(|e| bad(e.to_string()))?;
        if new.id() != cell.id() {
            return Err(bad("a parameter may not change a cell's id".into()));
        }
        // A value is never searched again, so a value `$b` stays a reference: refused.
        if let Some((field, name)) = new.field_params().into_iter().next() {
            return Err(bad(format!(
                "field '{field}': a parameter's value is '${name}', a reference; values are used as they are, never substituted again"
            )));
        }
        *cell = new;
    }
    Ok(out)
}

/// What substitution may still write.
struct Budget {
    left: usize,
}

impl Budget {
    fn take(&mut self, n: usize) -> Result<(), String> {
        self.left = self.left.checked_sub(n).ok_or_else(|| {
            format!(
                "with its parameters substituted the notebook would be larger than {} MB; shorten the parameter values or the texts that use them",
                limits::SUBSTITUTED_BYTES >> 20
            )
        })?;
        Ok(())
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn replace_all(
    s: &str,
    params: &[(String, String)],
    budget: &mut Budget,
) -> Result<String, String> {
    if !s.contains('$') {
        budget.take(s.len())?;
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('$') {
        budget.take(at)?;
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let run = after.bytes().take_while(|b| is_name_byte(*b)).count();
        // The longest declared name the run starts with.
        let hit = params
            .iter()
            .filter(|(n, _)| !n.is_empty() && n.len() <= run && after.starts_with(n.as_str()))
            .max_by_key(|(n, _)| n.len());
        match hit {
            Some((name, value)) => {
                budget.take(value.len())?;
                out.push_str(value);
                rest = &after[name.len()..];
            }
            None => {
                budget.take(1)?;
                out.push('$');
                rest = after;
            }
        }
    }
    budget.take(rest.len())?;
    out.push_str(rest);
    Ok(out)
}

fn walk(v: &mut Value, params: &[(String, String)], budget: &mut Budget) -> Result<(), String> {
    match v {
        Value::String(s) => *s = replace_all(s, params, budget)?,
        Value::Array(a) => {
            for x in a.iter_mut() {
                walk(x, params, budget)?;
            }
        }
        Value::Object(o) => {
            for x in o.values_mut() {
                walk(x, params, budget)?;
            }
        }
        _ => {}
    }
    Ok(())
}
