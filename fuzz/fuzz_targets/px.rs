//! Fuzzes the PC-Axis reader through the inspect plan: no input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn_core::ingest::{Format, ReadOptions};
use samsyn_core::inspect::inspect_bytes;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        format: Some(Format::Px),
        ..ReadOptions::default()
    };
    let _ = inspect_bytes("fuzz.px", data, options);
});
