//! The entry point trunk builds: installs the panic guard and mounts the app.

fn main() {
    samsyn_web::install_panic_guard();
    yew::Renderer::<samsyn_web::app::App>::new().render();
}
