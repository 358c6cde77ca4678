//! Reading Apache Parquet and Arrow IPC files (cargo feature `parquet`): each row handed to the
//! plan as text, like a CSV row, so plans need not know the format.
//!
//! The `parquet` crate decodes the file into Arrow record batches; cells are written as text
//! with arrow-cast's display formatter (dates as `2024-03-01`). Behind a feature because it adds
//! about 600 KB gzip to the WebAssembly module (toolchain.md §8). Row numbers are those of a CSV
//! export: the header is row 1, the first data row is row 2.

use std::io::{Cursor, Write};

use arrow_array::{Array, RecordBatch};
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::ArrowError;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::whole::{Feeder, Format, ReadOutcome, Source};
use super::{Flow, RecordSink};
use crate::error::{Error, Location};

/// Reads a Parquet file held in `bytes` into `sink`.
pub fn read(file: &str, bytes: &[u8], sink: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(bytes))
        .map_err(|e| unreadable(file, format!("not a Parquet file Samsyn can read: {e}")))?;
    let names = names(builder.schema());
    let reader = builder
        .build()
        .map_err(|e| unreadable(file, format!("the Parquet file cannot be read: {e}")))?;
    feed_batches(file, bytes.len(), names, reader, Format::Parquet, sink)
}

/// Reads an Arrow IPC file (`.arrow`, `.feather` v2) or stream held in `bytes` into `sink`.
pub fn read_arrow_ipc(
    file: &str,
    bytes: &[u8],
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    use arrow_ipc::reader::{FileReader, StreamReader};
    if bytes.starts_with(b"ARROW1") {
        let reader = FileReader::try_new(Cursor::new(bytes), None)
            .map_err(|e| unreadable(file, format!("not an Arrow file Samsyn can read: {e}")))?;
        let names = names(&reader.schema());
        feed_batches(file, bytes.len(), names, reader, Format::ArrowIpc, sink)
    } else {
        let reader = StreamReader::try_new(Cursor::new(bytes), None)
            .map_err(|e| unreadable(file, format!("not an Arrow stream Samsyn can read: {e}")))?;
        let names = names(&reader.schema());
        feed_batches(file, bytes.len(), names, reader, Format::ArrowIpc, sink)
    }
}

fn unreadable(file: &str, message: String) -> Error {
    Error::Unreadable {
        at: Location::file(file),
        message,
    }
}

fn names(schema: &arrow_schema::Schema) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
}

/// Hands every row of `batches` to the plan as text.
fn feed_batches(
    file: &str,
    len: usize,
    names: Vec<String>,
    batches: impl Iterator<Item = Result<RecordBatch, ArrowError>>,
    format: Format,
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    let mut feeder = Feeder::new(file);
    feeder.stats.bytes = len as u64;
    feeder.header(names, sink)?;
    let options = FormatOptions::default();
    let mut row = 1u64;
    'batches: for batch in batches {
        let batch =
            batch.map_err(|e| unreadable(file, format!("a block of rows cannot be read: {e}")))?;
        let formatters = batch
            .columns()
            .iter()
            .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| unreadable(file, format!("a column cannot be shown as text: {e}")))?;
        for i in 0..batch.num_rows() {
            row += 1;
            feeder.start_row();
            for (column, formatter) in batch.columns().iter().zip(&formatters) {
                feeder.cell_with(|out| {
                    if column.is_valid(i) {
                        let _ = write!(out, "{}", formatter.value(i));
                    }
                });
            }
            if feeder.end_row(row, sink) == Flow::Stop {
                break 'batches;
            }
        }
    }
    Ok(ReadOutcome {
        stats: feeder.stats,
        problems: feeder.problems,
        source: Source::new(format, super::whole::typed_dialect()),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{Date32Array, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;

    use crate::ingest::ReadOptions;
    use crate::inspect::{inspect_bytes, ColumnType};

    #[test]
    fn a_parquet_table_reads_like_a_csv() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("kommun", DataType::Utf8, false),
            Field::new("datum", DataType::Date32, true),
            Field::new("antal", DataType::Int64, true),
            Field::new("andel", DataType::Float64, true),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["2480", "9999", "2482"])),
                // 19783 days after 1970-01-01 is 2024-03-01.
                Arc::new(Date32Array::from(vec![Some(19783), None, Some(19784)])),
                Arc::new(Int64Array::from(vec![Some(5), Some(-1), None])),
                Arc::new(Float64Array::from(vec![Some(1.5), Some(2.25), Some(3.0)])),
            ],
        )
        .unwrap();
        let mut bytes = Vec::new();
        let mut writer = ArrowWriter::try_new(&mut bytes, schema.clone(), None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
        let i = inspect_bytes("t.parquet", &bytes, ReadOptions::default()).unwrap();
        check(&i, "t.parquet");
        // The same table as an Arrow IPC file, named without its extension: found by content.
        let mut ipc = Vec::new();
        let mut writer = arrow_ipc::writer::FileWriter::try_new(&mut ipc, &batch.schema()).unwrap();
        writer.write(&batch).unwrap();
        writer.finish().unwrap();
        drop(writer);
        let i = inspect_bytes("t", &ipc, ReadOptions::default()).unwrap();
        assert_eq!(i.source.format, crate::ingest::Format::ArrowIpc);
        check(&i, "t");
    }

    fn check(i: &crate::inspect::Inspection, name: &str) {
        let s = i.summary();
        assert_eq!(s.rows, 3);
        let types: Vec<ColumnType> = s.columns.iter().map(|c| c.column_type).collect();
        assert_eq!(
            types,
            vec![
                ColumnType::Text,
                ColumnType::Date,
                ColumnType::Integer,
                ColumnType::Decimal
            ]
        );
        let problems: Vec<String> = i.problems.kept.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            vec![
                format!("{name}, row 3, column 'kommun': '9999' is not a kommun code: no län has the code '99'"),
                format!("{name}, row 3, column 'antal': a count cannot be negative (-1)"),
            ]
        );
    }
}
