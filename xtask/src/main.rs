//! Samsyn's developer commands, run as `cargo xtask <command>` (alias in `.cargo/config.toml`).

mod sample_data;

const USAGE: &str = "usage: cargo xtask <command>
commands:
  sample-data   write the synthetic Västerbotten sample data (see sample-data/README.md)";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    let result = match args.first().map(String::as_str) {
        Some("sample-data") => sample_data::run(rest),
        _ => Err(USAGE.to_string()),
    };
    if let Err(message) = result {
        eprintln!("{message}");
        std::process::exit(1);
    }
}
