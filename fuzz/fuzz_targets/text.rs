//! Fuzzes delimited text through `read_bytes` (the whole-file entry point) with the dialect
//! overrides a user can choose, picked by the first byte: no input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn_core::ingest::{read_bytes, DialectOverrides, ReadOptions, TextEncoding};
use samsyn_core::inspect::Inspect;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bytes)) = data.split_first() else {
        return;
    };
    let text = DialectOverrides {
        delimiter: [None, Some(b';'), Some(b','), Some(b'\t')]
            .get(usize::from(choice & 3))
            .copied()
            .flatten(),
        encoding: [
            None,
            Some(TextEncoding::Utf8),
            Some(TextEncoding::Windows1252),
            Some(TextEncoding::Utf16Le),
        ]
        .get(usize::from((choice >> 2) & 3))
        .copied()
        .flatten(),
        has_header: [None, Some(true), Some(false), None]
            .get(usize::from((choice >> 4) & 3))
            .copied()
            .flatten(),
        ..DialectOverrides::default()
    };
    let options = ReadOptions {
        text,
        ..ReadOptions::default()
    };
    let mut plan = Inspect::default();
    if let Ok(outcome) = read_bytes("fuzz.csv", bytes, options, &mut plan) {
        let _ = plan.finish("fuzz.csv", outcome).summary();
    }
});
