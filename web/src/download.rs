//! Downloads made on the page: a text becomes a `Blob`, a `blob:` URL on a link clicked once,
//! and the URL is revoked a moment later. Nothing is sent anywhere.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Downloads `text` as the file `name` of type `mime` (UTF-8).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    download_parts(name, &format!("{mime};charset=utf-8"), &parts)
}

/// Downloads `bytes` as the file `name` of type `mime`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    download_parts(name, mime, &parts)
}

fn download_parts(name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    download_blob(name, &blob)
}

/// Downloads `blob` as the file `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|e| format!("{e:?}"))?;
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let link = document.create_element("a").map_err(|e| format!("{e:?}"))?;
    link.set_attribute("href", &url)
        .and_then(|_| link.set_attribute("download", name))
        .map_err(|e| format!("{e:?}"))?;
    body.append_child(&link).map_err(|e| format!("{e:?}"))?;
    if let Some(l) = link.dyn_ref::<web_sys::HtmlElement>() {
        l.click();
    }
    link.remove();
    // The browser has taken the URL when the click is handled; revoke it afterwards.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)
        .map_err(|e| format!("{e:?}"))?;
    Ok(())
}
