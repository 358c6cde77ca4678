//! Fuzzes the notebook loader, a file from someone else: opening (JSON, migration, the types)
//! and preparing it (parameters substituted, indicator cells compiled) must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn_core::notebook::{prepare, Notebook};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(nb) = Notebook::open(text) {
        let _ = prepare(&nb, &[]);
    }
});
