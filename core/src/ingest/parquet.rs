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
use crate::error::{Error, Location, Message};

/// Reads a Parquet file held in `bytes` into `sink`.
pub fn read(file: &str, bytes: &[u8], sink: &mut dyn RecordSink) -> Result<ReadOutcome, Error> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::copy_from_slice(bytes))
        .map_err(|e| {
            unreadable(
                file,
                format!("not a Parquet file Samsyn can read: {e}"),
                format!("inte en Parquet-fil som Samsyn kan läsa: {e}"),
            )
        })?;
    let names = names(builder.schema());
    let reader = builder.build().map_err(|e| {
        unreadable(
            file,
            format!("the Parquet file cannot be read: {e}"),
            format!("Parquet-filen kan inte läsas: {e}"),
        )
    })?;
    let mut parts = IpcParts::new(file);
    parts.feeder.stats.bytes = bytes.len() as u64;
    parts.feed(names, reader, sink)?;
    Ok(parts.outcome(Format::Parquet))
}

/// Reads an Arrow IPC file (`.arrow`, `.feather` v2) or stream held in `bytes` into `sink`.
pub fn read_arrow_ipc(
    file: &str,
    bytes: &[u8],
    sink: &mut dyn RecordSink,
) -> Result<ReadOutcome, Error> {
    let mut parts = IpcParts::new(file);
    parts.push(bytes, sink)?;
    Ok(parts.finish())
}

/// Arrow IPC files or streams read one after another as one table: one header, the row
/// numbers running on. The DataFusion executor (issue 14) hands its result over so, a part at a
/// time, to hold no more of it than a part.
pub struct IpcParts<'a> {
    file: &'a str,
    feeder: Feeder<'a>,
    names: Option<Vec<String>>,
    row: u64,
    stopped: bool,
}

impl<'a> IpcParts<'a> {
    pub fn new(file: &'a str) -> Self {
        IpcParts {
            file,
            feeder: Feeder::new(file),
            names: None,
            row: 1,
            stopped: false,
        }
    }

    /// Reads one part into `sink`. A part whose columns are not the first part's is refused.
    pub fn push(&mut self, bytes: &[u8], sink: &mut dyn RecordSink) -> Result<(), Error> {
        use arrow_ipc::reader::{FileReader, StreamReader};
        let file = self.file;
        self.feeder.stats.bytes += bytes.len() as u64;
        if bytes.starts_with(b"ARROW1") {
            let reader = FileReader::try_new(Cursor::new(bytes), None).map_err(|e| {
                unreadable(
                    file,
                    format!("not an Arrow file Samsyn can read: {e}"),
                    format!("inte en Arrow-fil som Samsyn kan läsa: {e}"),
                )
            })?;
            let names = names(&reader.schema());
            self.feed(names, reader, sink)
        } else {
            let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| {
                unreadable(
                    file,
                    format!("not an Arrow stream Samsyn can read: {e}"),
                    format!("inte en Arrow-ström som Samsyn kan läsa: {e}"),
                )
            })?;
            let names = names(&reader.schema());
            self.feed(names, reader, sink)
        }
    }

    /// What the parts held, read as one Arrow IPC table.
    pub fn finish(self) -> ReadOutcome {
        self.outcome(Format::ArrowIpc)
    }

    fn outcome(self, format: Format) -> ReadOutcome {
        ReadOutcome {
            stats: self.feeder.stats,
            problems: self.feeder.problems,
            source: Source::new(format, super::whole::typed_dialect()),
        }
    }

    /// Hands every row of `batches` to the plan as text.
    fn feed(
        &mut self,
        names: Vec<String>,
        batches: impl Iterator<Item = Result<RecordBatch, ArrowError>>,
        sink: &mut dyn RecordSink,
    ) -> Result<(), Error> {
        let file = self.file;
        match &self.names {
            None => {
                self.feeder.header(names.clone(), sink)?;
                self.names = Some(names);
            }
            Some(first) if *first != names => {
                return Err(unreadable(
                    file,
                    format!(
                        "a part of the table has the columns {names:?}, the first part {first:?}"
                    ),
                    format!(
                        "en del av tabellen har kolumnerna {names:?}, den första delen {first:?}"
                    ),
                ))
            }
            Some(_) => {}
        }
        if self.stopped {
            return Ok(());
        }
        let options = FormatOptions::default();
        for batch in batches {
            let batch = batch.map_err(|e| {
                unreadable(
                    file,
                    format!("a block of rows cannot be read: {e}"),
                    format!("ett block med rader kan inte läsas: {e}"),
                )
            })?;
            let formatters = batch
                .columns()
                .iter()
                .map(|c| ArrayFormatter::try_new(c.as_ref(), &options))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    unreadable(
                        file,
                        format!("a column cannot be shown as text: {e}"),
                        format!("en kolumn kan inte visas som text: {e}"),
                    )
                })?;
            for i in 0..batch.num_rows() {
                self.row += 1;
                self.feeder.start_row();
                for (column, formatter) in batch.columns().iter().zip(&formatters) {
                    self.feeder.cell_with(|out| {
                        if column.is_valid(i) {
                            let _ = write!(out, "{}", formatter.value(i));
                        }
                    });
                }
                if self.feeder.end_row(self.row, sink) == Flow::Stop {
                    self.stopped = true;
                    return Ok(());
                }
            }
        }
        Ok(())
    }
}

fn unreadable(file: &str, en: String, sv: String) -> Error {
    Error::Unreadable {
        at: Location::file(file),
        message: Message::both(en, sv),
    }
}

fn names(schema: &arrow_schema::Schema) -> Vec<String> {
    schema.fields().iter().map(|f| f.name().clone()).collect()
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

    /// Parts read as one table: one header, row numbers running on, another header refused.
    #[test]
    fn ipc_parts_read_as_one_table() {
        let stream = |kommun: &[&str], name: &str| {
            let schema = Arc::new(Schema::new(vec![Field::new(name, DataType::Utf8, true)]));
            let batch = RecordBatch::try_new(
                schema.clone(),
                vec![Arc::new(StringArray::from(kommun.to_vec()))],
            )
            .unwrap();
            let mut bytes = Vec::new();
            let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut bytes, &schema).unwrap();
            w.write(&batch).unwrap();
            w.finish().unwrap();
            drop(w);
            bytes
        };
        let mut plan = crate::inspect::Inspect::default();
        let mut parts = super::IpcParts::new("t.arrow");
        parts
            .push(&stream(&["2480", "2482"], "kommun"), &mut plan)
            .unwrap();
        parts.push(&stream(&["9999"], "kommun"), &mut plan).unwrap();
        let err = parts
            .push(&stream(&["2480"], "lan"), &mut plan)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.arrow: a part of the table has the columns [\"lan\"], the first part [\"kommun\"]"
        );
        let i = plan.finish("t.arrow", parts.finish());
        assert_eq!(i.summary().rows, 3);
        let problems: Vec<String> = i.problems.kept.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            vec!["t.arrow, row 4, column 'kommun': '9999' is not a kommun code: no län has the code '99'"]
        );
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
