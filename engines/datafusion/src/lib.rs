//! Samsyn's aggregation on Apache DataFusion (issue 14, "beyond one machine"): the query
//! `samsyn sql` writes for a source ([`samsyn_core::indicators::sql`]) run by DataFusion on CSV
//! or Parquet files, a folder or a glob of them, with every core and spilling to disk past its
//! memory limit. Its result, the source's aggregated table, crosses to `core` as Arrow IPC bytes
//! (DataFusion links another arrow version than `core`) and is read by the same plan as a file
//! (`Prepared::aggregate_plan`): every check, number and disclosure rule stays `core`'s.
//!
//! A shell like the CLI: it gets data, calls `core`, and has no statistics of its own.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{CsvReadOptions, ParquetReadOptions, SessionConfig};
use samsyn_core::indicators::sql::SqlDialect;
use samsyn_core::ingest::{read_bytes, Format, ReadOptions};
use samsyn_core::notebook::exec::{Input, Prepared};

pub use datafusion::prelude::SessionContext;

/// What DataFusion may hold in memory before it spills to disk.
pub const DEFAULT_MEMORY_BYTES: usize = 2 << 30;

/// Where a source's data is and how it is written.
#[derive(Debug, Clone)]
pub struct Location {
    /// A file, a folder of files, or a glob (`events/*.parquet`).
    pub path: String,
    pub format: DataFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFormat {
    Csv { delimiter: u8 },
    Parquet,
}

impl Location {
    /// A location whose format follows from its name (`.parquet` or a folder holding them:
    /// Parquet; else CSV with `delimiter`).
    pub fn guess(path: &str, delimiter: u8) -> Location {
        let p = std::path::Path::new(path);
        let parquet = path.ends_with(".parquet")
            || (p.is_dir()
                && std::fs::read_dir(p).is_ok_and(|mut d| {
                    d.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "parquet")))
                }));
        Location {
            path: path.to_owned(),
            format: if parquet {
                DataFormat::Parquet
            } else {
                DataFormat::Csv { delimiter }
            },
        }
    }
}

/// The error of a DataFusion run, naming the source.
#[derive(Debug)]
pub struct EngineError(pub String);

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EngineError {}

/// A DataFusion session with `memory_bytes` before spilling, on every core.
pub fn context(memory_bytes: usize) -> Result<SessionContext, EngineError> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(FairSpillPool::new(memory_bytes)))
        .build_arc()
        .map_err(|e| EngineError(format!("DataFusion could not start: {e}")))?;
    let config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(1, |n| n.get()));
    Ok(SessionContext::new_with_config_rt(config, runtime))
}

/// Source `name` of `prepared` aggregated by DataFusion from `location`, read by the plan as an
/// input: the same rows read, used and refused by reason, and the same numbers, as a read of
/// the files by `samsyn run --data`.
pub async fn aggregate(
    ctx: &SessionContext,
    prepared: &Prepared,
    name: &str,
    location: &Location,
) -> Result<Input, EngineError> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        EngineError(format!(
            "{name} ({}): {what}: {e}{}",
            location.path,
            hint(&e.to_string())
        ))
    };
    let header = register(ctx, name, location).await?;
    let query = prepared
        .aggregate_query(name, SqlDialect::DataFusion, Some(&header))
        .map_err(|e| fail("no query", &e))?;
    let frame = ctx
        .sql(&query)
        .await
        .map_err(|e| fail("DataFusion refused the query", &e))?;
    let schema = Arc::new(frame.schema().as_arrow().clone());
    let batches = frame
        .collect()
        .await
        .map_err(|e| fail("DataFusion could not run the query", &e))?;
    let mut bytes = Vec::new();
    {
        let mut w =
            StreamWriter::try_new(&mut bytes, &schema).map_err(|e| fail("Arrow IPC", &e))?;
        for b in &batches {
            w.write(b).map_err(|e| fail("Arrow IPC", &e))?;
        }
        w.finish().map_err(|e| fail("Arrow IPC", &e))?;
    }
    let mut plan = prepared
        .aggregate_plan(name)
        .map_err(|e| fail("no plan", &e))?;
    let options = ReadOptions {
        format: Some(Format::ArrowIpc),
        ..ReadOptions::default()
    };
    let file = format!("{name}.arrow");
    let outcome =
        read_bytes(&file, &bytes, options, &mut plan).map_err(|e| fail("the groups", &e))?;
    let shown = std::path::Path::new(&location.path)
        .file_name()
        .map_or(location.path.clone(), |n| n.to_string_lossy().into_owned());
    Ok(plan.finish(
        &format!("{shown} (DataFusion)"),
        samsyn_core::hashing::bytes_fingerprint(&location.path, &bytes, None),
        outcome.stats,
        outcome.problems,
    ))
}

/// What to do about an error DataFusion's CSV reader gives for a malformed file.
fn hint(error: &str) -> &'static str {
    if error.contains("unequal lengths") || error.contains("incorrect number of fields") {
        "\nDataFusion's CSV reader stops at a line with the wrong number of fields. Read the file with --engine samsyn, which refuses and counts such lines, or mend it first."
    } else if error.contains("utf-8") || error.contains("UTF-8") || error.contains("utf8") {
        "\nDataFusion reads UTF-8 only. Read the file with --engine samsyn (it reads Windows-1252 and UTF-16 too), or convert it first."
    } else {
        ""
    }
}

/// Registers `location` as table `name`, every column read as text (as Samsyn reads files),
/// and returns its columns.
async fn register(
    ctx: &SessionContext,
    name: &str,
    location: &Location,
) -> Result<Vec<String>, EngineError> {
    let fail = |e: &dyn std::fmt::Display| {
        EngineError(format!(
            "{name} ({}): cannot read it: {e}{}",
            location.path,
            hint(&e.to_string())
        ))
    };
    match location.format {
        DataFormat::Parquet => {
            ctx.register_parquet(name, &location.path, ParquetReadOptions::default())
                .await
                .map_err(|e| fail(&e))?;
        }
        DataFormat::Csv { delimiter } => {
            // The header first, to read every column as text.
            let probe = CsvReadOptions::new().delimiter(delimiter).has_header(true);
            let inferred = ctx
                .read_csv(&location.path, probe)
                .await
                .map_err(|e| fail(&e))?;
            let fields: Vec<Field> = inferred
                .schema()
                .fields()
                .iter()
                .map(|f| Field::new(f.name(), DataType::Utf8, true))
                .collect();
            let schema = Schema::new(fields);
            let options = CsvReadOptions::new()
                .delimiter(delimiter)
                .has_header(true)
                .schema(&schema);
            ctx.register_csv(name, &location.path, options)
                .await
                .map_err(|e| fail(&e))?;
        }
    }
    let table = ctx.table(name).await.map_err(|e| fail(&e))?;
    Ok(table
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect())
}
