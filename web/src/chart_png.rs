//! A chart as a `.png`: core's SVG, given a size in pixels, drawn into a canvas in the page and
//! taken with `toBlob`. Nothing leaves the page; the SVG is loaded from a `blob:` URL, which the
//! Content-Security-Policy allows for images. Twice the SVG's own size, so it prints sharply.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How many pixels a PNG has per unit of the SVG's `viewBox`.
pub const SCALE: u32 = 2;

/// The SVG's `viewBox` size (`0 0 w h` on its root).
pub fn view_box(svg: &str) -> Option<(u32, u32)> {
    let root = svg.get(svg.find("<svg")?..)?;
    let root = root.get(..root.find('>')?)?;
    let at = root.find("viewBox=\"")? + "viewBox=\"".len();
    let numbers: Vec<f64> = root
        .get(at..)?
        .split('"')
        .next()?
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers.as_slice() {
        [_, _, w, h] if *w >= 1.0 && *h >= 1.0 && *w <= 10_000.0 && *h <= 10_000.0 => {
            Some((w.round() as u32, h.round() as u32))
        }
        _ => None,
    }
}

/// The SVG with an explicit size of `SCALE` × its `viewBox` (an `<img>` of an SVG sized
/// `100%` has no size of its own), and that size.
pub fn sized_svg(svg: &str) -> Option<(String, u32, u32)> {
    let (w, h) = view_box(svg)?;
    let (pw, ph) = (w * SCALE, h * SCALE);
    let sized = svg.replacen(
        "width=\"100%\"",
        &format!("width=\"{pw}\" height=\"{ph}\""),
        1,
    );
    Some((crate::cell_output::svg_file(&sized), pw, ph))
}

/// Draws `svg` into a canvas and downloads it as `name` (PNG). Errors go to the console.
pub fn download_png(name: String, svg: &str) -> Result<(), String> {
    let (sized, w, h) = sized_svg(svg).ok_or("the chart has no viewBox")?;
    let js = |e: JsValue| format!("{e:?}");
    let parts = js_sys::Array::of1(&JsValue::from_str(&sized));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(js)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let image = web_sys::HtmlImageElement::new().map_err(js)?;
    let canvas: web_sys::HtmlCanvasElement = document
        .create_element("canvas")
        .map_err(js)?
        .dyn_into()
        .map_err(|_| "not a canvas")?;
    canvas.set_width(w);
    canvas.set_height(h);
    let (img, src) = (image.clone(), url.clone());
    let onload = Closure::once_into_js(move || {
        let drawn = (|| -> Result<(), String> {
            let context: web_sys::CanvasRenderingContext2d = canvas
                .get_context("2d")
                .map_err(js)?
                .ok_or("no 2d context")?
                .dyn_into()
                .map_err(|_| "not a 2d context")?;
            context
                .draw_image_with_html_image_element_and_dw_and_dh(
                    &img,
                    0.0,
                    0.0,
                    w.into(),
                    h.into(),
                )
                .map_err(js)?;
            let _ = web_sys::Url::revoke_object_url(&src);
            let done =
                Closure::once_into_js(move |png: JsValue| match png.dyn_into::<web_sys::Blob>() {
                    Ok(png) => {
                        if let Err(e) = crate::download::download_blob(&name, &png) {
                            web_sys::console::error_1(&e.into());
                        }
                    }
                    Err(_) => web_sys::console::error_1(&"the canvas gave no PNG".into()),
                });
            canvas.to_blob(done.unchecked_ref()).map_err(js)
        })();
        if let Err(e) = drawn {
            web_sys::console::error_1(&e.into());
        }
    });
    image.set_onload(Some(onload.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_gets_twice_its_view_box_in_pixels() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"samsyn-chart bar\" viewBox=\"0 0 720 410.4\" width=\"100%\" role=\"img\"><title>t</title></svg>";
        assert_eq!(view_box(svg), Some((720, 410)));
        let (sized, w, h) = sized_svg(svg).expect("sized");
        assert_eq!((w, h), (1440, 820));
        assert!(sized.contains("viewBox=\"0 0 720 410.4\" width=\"1440\" height=\"820\" role"));
        assert!(sized.starts_with("<?xml"));
        assert_eq!(view_box("<svg width=\"100%\"></svg>"), None);
        assert_eq!(view_box("<svg viewBox=\"0 0 0 5\"></svg>"), None);
        assert_eq!(view_box("no svg"), None);
    }
}
