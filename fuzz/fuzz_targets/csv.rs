//! Fuzzes the delimited-text reader through the inspect plan: no input may panic, and reading
//! in two chunks split at a fuzzer-chosen point must equal reading whole.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn_core::ingest::{FileReader, ReadOptions};
use samsyn_core::inspect::Inspect;

fn read(bytes: &[u8], split: usize) -> Option<String> {
    let mut plan = Inspect::default();
    let mut reader = FileReader::new("fuzz.csv", ReadOptions::default());
    let (a, b) = bytes.split_at(split.min(bytes.len()));
    reader.push(a, &mut plan).ok()?;
    reader.push(b, &mut plan).ok()?;
    let outcome = reader.finish(&mut plan).ok()?;
    Some(format!("{:?}", plan.finish("fuzz.csv", outcome).summary()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let whole = read(bytes, bytes.len());
    let chunked = read(bytes, usize::from(split));
    assert_eq!(whole, chunked);
});
