//! Samsyn in the browser: a thin Yew shell over `samsyn-core`.
//!
//! The shell reads the user's file in chunks (nothing leaves the machine), feeds the chunks to a
//! core plan, and shows what comes back. No statistics live here.

pub mod app;
pub mod file_picker;
pub mod file_report;
pub mod i18n;
pub mod read_file;

use wasm_bindgen::JsCast;

/// Id of the element that shows a crash message.
pub const FATAL_ID: &str = "fatal";

/// A panic in WebAssembly stops the app. Instead of a silent dead page, show what happened and
/// that the user's files were never sent anywhere, so reloading loses nothing but the view.
pub fn install_panic_guard() {
    std::panic::set_hook(Box::new(|info| {
        let message = format!(
            "Samsyn stötte på ett internt fel och måste laddas om. Dina filer har inte skickats någonstans. \
             / Samsyn hit an internal error and must be reloaded. Your files were not sent anywhere. ({info})"
        );
        web_sys::console::error_1(&message.clone().into());
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(FATAL_ID))
            .and_then(|e| e.dyn_into::<web_sys::Element>().ok());
        if let Some(element) = element {
            element.set_text_content(Some(&message));
            let _ = element.set_attribute("style", "display:block");
        }
    }));
}
