//! Fuzzes the workbook reader (xlsx, xlsb, ods, xls: calamine detects which from the bytes)
//! through the inspect plan: no input may panic, nor make an allocation the limits in
//! `ingest::excel` and `ingest::biff` should have refused. Seeds of each kind are in
//! `seeds/workbook/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use samsyn_core::ingest::{Format, ReadOptions};
use samsyn_core::inspect::inspect_bytes;

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions {
        format: Some(Format::Excel),
        ..ReadOptions::default()
    };
    let _ = inspect_bytes("fuzz.xlsx", data, options);
});
