//! Invariants of the readers on arbitrary input: no panic whatever the bytes (a panic in Wasm
//! kills the page and the user's work), and reading in chunks equals reading whole.

use proptest::prelude::*;
use samsyn_core::ingest::{FileReader, Format, ReadOptions};
use samsyn_core::inspect::{inspect_bytes, Inspect};

fn with_format(format: Format) -> ReadOptions {
    ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    }
}

/// Bytes that look like CSV: delimiters, quotes, line ends, digits, Swedish letters in UTF-8
/// and Latin-1, and now and then anything.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\t".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"kommun".to_vec()),
        Just(b"antal".to_vec()),
        Just(b"2480".to_vec()),
        Just(b"12,5".to_vec()),
        Just("å".as_bytes().to_vec()),
        Just(vec![0xE5]),
        Just(vec![0xFF, 0xFE]),
        Just(vec![0xEF, 0xBB, 0xBF]),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat())
}

fn px_like() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"STUB=\"region\";".to_vec()),
        Just(b"HEADING=\"ar\",\"kon\";".to_vec()),
        Just(b"VALUES(\"region\")=\"2480\",\"2481\";".to_vec()),
        Just(b"VALUES(\"ar\")=\"2023\";".to_vec()),
        Just(b"CODES(\"region\")=\"a\";".to_vec()),
        Just(b"DATA=".to_vec()),
        Just(b" 1 2 \"..\" \"-\" ".to_vec()),
        Just(b";".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"(".to_vec()),
        Just(b"[".to_vec()),
        Just(b"=".to_vec()),
        any::<u8>().prop_map(|b| vec![b]),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn chunked(name: &str, bytes: &[u8], chunk: usize) -> Result<serde_json::Value, String> {
    let mut plan = Inspect::default();
    let mut reader = FileReader::new(name, ReadOptions::default());
    for c in bytes.chunks(chunk.max(1)) {
        reader.push(c, &mut plan).map_err(|e| e.to_string())?;
    }
    let outcome = reader.finish(&mut plan).map_err(|e| e.to_string())?;
    serde_json::to_value(plan.finish(name, outcome).summary()).map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn text_reader_never_panics(bytes in csv_like()) {
        let _ = inspect_bytes("x.csv", &bytes, ReadOptions::default());
    }

    #[test]
    fn any_bytes_in_any_format_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for format in [Format::Text, Format::Excel, Format::Px, Format::Parquet, Format::ArrowIpc] {
            let _ = inspect_bytes("x", &bytes, with_format(format));
        }
    }

    #[test]
    fn px_reader_never_panics(bytes in px_like()) {
        let _ = inspect_bytes("x.px", &bytes, ReadOptions::default());
    }

    #[test]
    fn chunked_reading_equals_whole_reading(bytes in csv_like(), chunk in 1usize..64) {
        let whole = chunked("x.csv", &bytes, usize::MAX);
        let pieces = chunked("x.csv", &bytes, chunk);
        prop_assert_eq!(whole, pieces);
    }
}

/// A zip that is not a workbook, and a workbook cut short: errors, not panics.
#[test]
fn damaged_workbooks_are_errors() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/ingest/workbook_three_sheets.xlsx");
    let bytes = std::fs::read(path).unwrap();
    for cut in [10, 100, 1000, bytes.len() / 2, bytes.len() - 1] {
        let r = inspect_bytes("cut.xlsx", &bytes[..cut], ReadOptions::default());
        assert!(r.is_err(), "a workbook cut at {cut} bytes was read");
    }
    let mut flipped = bytes.clone();
    for i in (200..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5A;
        let _ = inspect_bytes("flipped.xlsx", &flipped, ReadOptions::default());
    }
}
