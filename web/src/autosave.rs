//! Never losing an edit: the notebook being edited (never any data: a notebook is the recipe)
//! is kept in the browser's `localStorage` after every edit and offered again after a reload or
//! a crashed tab, with a short list of recent notebooks to reopen. Storage can be full or
//! switched off; then the page says so and goes on without it.

use samsyn_core::notebook::Notebook;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

/// The key of the notebook being edited.
pub const CURRENT_KEY: &str = "samsyn.autosave";
/// The key of the recent notebooks.
pub const RECENT_KEY: &str = "samsyn.recent";
/// How many recent notebooks are kept.
pub const RECENT_KEPT: usize = 5;

/// A notebook kept in storage: where it came from, its title, when, and its file text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Kept {
    /// The editor's name for it (an example's file, the opened file's name, `ny`).
    pub name: String,
    pub title: String,
    /// Milliseconds since 1970 (`Date.now()`).
    pub saved_at_ms: f64,
    /// The notebook as its `.samsyn.json` file.
    pub notebook: String,
}

impl Kept {
    pub fn of(name: &str, notebook: &Notebook, saved_at_ms: f64) -> Self {
        Kept {
            name: name.to_owned(),
            title: notebook.title.clone(),
            saved_at_ms,
            notebook: notebook.save(),
        }
    }

    /// The notebook again, or why its text no longer opens.
    pub fn open(&self) -> Result<Notebook, crate::i18n::Both> {
        Notebook::open(&self.notebook).map_err(|e| crate::i18n::Both::of(&e))
    }
}

/// Why storage could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum StorageError {
    /// No `localStorage` (switched off, a private window of some browsers).
    Unavailable,
    /// The browser refused to write (usually: full).
    Refused(String),
}

impl StorageError {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (StorageError::Unavailable, Lang::Sv) => {
                "Webbläsarens lagring är avstängd: ändringar sparas inte automatiskt. Spara anteckningsboken som fil.".into()
            }
            (StorageError::Unavailable, Lang::En) => {
                "The browser's storage is switched off: changes are not saved automatically. Save the notebook as a file.".into()
            }
            (StorageError::Refused(why), Lang::Sv) => format!(
                "Kunde inte spara i webbläsarens lagring ({why}): spara anteckningsboken som fil."
            ),
            (StorageError::Refused(why), Lang::En) => format!(
                "Could not save in the browser's storage ({why}): save the notebook as a file."
            ),
        }
    }
}

/// `list` with `kept` first: an older entry of the same name goes, and at most
/// [`RECENT_KEPT`] are kept, newest first.
pub fn with_recent(list: Vec<Kept>, kept: Kept) -> Vec<Kept> {
    let name = kept.name.clone();
    let mut out = vec![kept];
    out.extend(list.into_iter().filter(|k| k.name != name));
    out.truncate(RECENT_KEPT);
    out
}

fn storage() -> Result<web_sys::Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

fn write(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(|e| {
        let why = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_else(|| "okänt fel".into());
        StorageError::Refused(why)
    })
}

fn read(key: &str) -> Result<Option<String>, StorageError> {
    storage()?
        .get_item(key)
        .map_err(|_| StorageError::Unavailable)
}

/// Now, in milliseconds since 1970.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Keeps the notebook being edited, and puts it first among the recent ones.
pub fn keep(kept: &Kept) -> Result<(), StorageError> {
    let text = serde_json::to_string(kept).map_err(|e| StorageError::Refused(e.to_string()))?;
    write(CURRENT_KEY, &text)?;
    let list = with_recent(recent()?, kept.clone());
    let list = serde_json::to_string(&list).map_err(|e| StorageError::Refused(e.to_string()))?;
    write(RECENT_KEY, &list)
}

/// The notebook kept from an earlier visit, if any (an unreadable entry counts as none).
pub fn kept() -> Result<Option<Kept>, StorageError> {
    Ok(read(CURRENT_KEY)?.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Forgets the notebook being edited (it was saved as a file); the recent list stays.
pub fn forget_current() -> Result<(), StorageError> {
    storage()?
        .remove_item(CURRENT_KEY)
        .map_err(|_| StorageError::Unavailable)
}

/// The recent notebooks, newest first (an unreadable list counts as empty).
pub fn recent() -> Result<Vec<Kept>, StorageError> {
    Ok(read(RECENT_KEY)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default())
}

/// A time as the page shows it: `2026-12-01 13:05` in the browser's time zone.
pub fn time_text(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(name: &str, at: f64) -> Kept {
        Kept {
            name: name.into(),
            title: format!("T {name}"),
            saved_at_ms: at,
            notebook: "{}".into(),
        }
    }

    #[test]
    fn the_recent_list_is_newest_first_one_per_name_and_short() {
        let mut list = Vec::new();
        for (i, name) in ["a", "b", "c", "a", "d", "e", "f", "g"].iter().enumerate() {
            list = with_recent(list, kept(name, i as f64));
        }
        let names: Vec<&str> = list.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["g", "f", "e", "d", "a"]);
        assert_eq!(list[4].saved_at_ms, 3.0);
    }
}
