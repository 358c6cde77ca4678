//! Installs what the build and the tests need, from the package registries only, skipping what
//! is already there at the right version.
//!
//! Pins and their reasons (see `../shared/toolchain.md` when you have it):
//! - trunk 0.21.14, `--locked`: 0.22 needs rustc ≥ 1.96.1, newer than the machine's.
//! - wasm-bindgen-cli at exactly the `wasm-bindgen` version in Cargo.lock, without `--locked`
//!   (its lock file names a webpki-roots release the registry does not have).
//! - wasm-opt from npm `binaryen` (Debian's is too old to read wasm-bindgen's output), and
//!   playwright-core from npm, never `playwright install` (it downloads a browser); axe-core
//!   from npm for the accessibility scan, injected into the page from node_modules.
//! - Debian's chromium and chromium-driver for the browser tests.
//! - (for `cargo xtask test` only) a Java runtime for Spark, Debian's openjdk-17 if missing.

use std::path::Path;
use std::process::Command;

use crate::{root, run, step};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything: build tools and browser test tools.
pub fn all() -> Result<(), String> {
    build_tools()?;
    chromium()?;
    Ok(())
}

/// What `trunk build` needs: the wasm32 target, trunk, wasm-bindgen-cli, npm's wasm-opt.
pub fn build_tools() -> Result<(), String> {
    wasm_target()?;
    trunk()?;
    wasm_bindgen_cli()?;
    npm_tools()?;
    Ok(())
}

/// The first line a tool prints for `--version`, if it runs.
fn version_of(program: &str) -> Option<String> {
    let out = Command::new(program).arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    })
}

fn wasm_target() -> Result<(), String> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the {WASM_TARGET} target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|l| l.trim() == WASM_TARGET)
    {
        println!("ok: Rust target {WASM_TARGET}");
        return Ok(());
    }
    step(&format!("Adding the Rust target {WASM_TARGET}"));
    run("rustup", &["target", "add", WASM_TARGET])
}

fn trunk() -> Result<(), String> {
    let want = format!("trunk {TRUNK_VERSION}");
    if version_of("trunk").as_deref() == Some(want.as_str()) {
        println!("ok: {want}");
        return Ok(());
    }
    step(&format!("Installing {want} (about 8 minutes on two cores)"));
    run(
        "cargo",
        &["install", "--locked", "trunk", "--version", TRUNK_VERSION],
    )
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
            {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn wasm_bindgen_cli() -> Result<(), String> {
    let version = wasm_bindgen_version()?;
    let want = format!("wasm-bindgen {version}");
    let test_runner = version_of("wasm-bindgen-test-runner");
    if version_of("wasm-bindgen").as_deref() == Some(want.as_str()) && test_runner.is_some() {
        println!("ok: {want} (and wasm-bindgen-test-runner)");
        return Ok(());
    }
    step(&format!(
        "Installing wasm-bindgen-cli {version} (about 3 minutes)"
    ));
    run(
        "cargo",
        &["install", "wasm-bindgen-cli", "--version", &version],
    )
}

fn npm_tools() -> Result<(), String> {
    let root = root();
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    let playwright = root.join("node_modules/playwright-core/package.json");
    let axe = root.join("node_modules/axe-core/axe.min.js");
    if wasm_opt.exists() && playwright.exists() && axe.exists() && installed_matches_lock(&root) {
        println!("ok: npm tools (binaryen's wasm-opt, playwright-core, axe-core)");
        return Ok(());
    }
    if version_of("npm").is_none() {
        return Err("npm is needed for wasm-opt and playwright-core: install Node.js (Debian: apt-get install nodejs npm)".into());
    }
    step("Installing npm tools from package-lock.json (binaryen for wasm-opt, playwright-core, axe-core)");
    run("npm", &["ci", "--no-audit", "--no-fund"])
}

/// npm writes `node_modules/.package-lock.json`; it must name the versions the lock file does.
fn installed_matches_lock(root: &Path) -> bool {
    let (Ok(lock), Ok(installed)) = (
        std::fs::read_to_string(root.join("package-lock.json")),
        std::fs::read_to_string(root.join("node_modules/.package-lock.json")),
    ) else {
        return false;
    };
    ["binaryen", "playwright-core", "axe-core"]
        .iter()
        .all(|name| lock_version(&lock, name) == lock_version(&installed, name))
}

fn lock_version(lock: &str, name: &str) -> Option<String> {
    let key = format!("\"node_modules/{name}\"");
    let at = lock.find(&key)?;
    let rest = &lock[at..];
    let v = rest.find("\"version\"")?;
    let rest = &rest[v + 9..];
    let start = rest.find('"')? + 1;
    let end = rest[start..].find('"')? + start;
    Some(rest[start..end].to_owned())
}

fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        println!("ok: Debian chromium and chromium-driver");
        return Ok(());
    }
    step("Installing Debian's chromium and chromium-driver (for the browser tests)");
    debian(&["chromium", "chromium-driver"])
}

/// A Java runtime, for Spark in local mode (the SQL export's test).
pub fn java() -> Result<(), String> {
    if version_of("java").is_some()
        || Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        println!("ok: a Java runtime");
        return Ok(());
    }
    step("Installing Debian's openjdk-17-jre-headless (for Spark in the SQL export's test)");
    debian(&["openjdk-17-jre-headless"])
}

/// Installs Debian packages with apt-get, as root or through sudo.
fn debian(packages: &[&str]) -> Result<(), String> {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let sudo: &[&str] = if is_root.unwrap_or(false) {
        &[]
    } else {
        &["sudo"]
    };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.extend_from_slice(args);
        let (program, rest) = all.split_first().ok_or("no command")?;
        let status = Command::new(program)
            .args(rest)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("{program}: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!(
                "`{}` failed; install Debian's {} by hand (apt-get install {})",
                all.join(" "),
                packages.join(" and "),
                packages.join(" ")
            ))
        }
    };
    apt(&["apt-get", "update", "-qq"])?;
    let mut install = vec!["apt-get", "install", "-y", "-qq"];
    install.extend_from_slice(packages);
    apt(&install)
}
