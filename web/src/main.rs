//! The entry point trunk builds: installs the panic guard and mounts the app. The same module
//! also runs as the engine's Web Worker (`worker.rs`), where there is no window and no app.

fn main() {
    if web_sys::window().is_none() {
        return;
    }
    samsyn_web::install_panic_guard();
    yew::Renderer::<samsyn_web::app::App>::new().render();
}
