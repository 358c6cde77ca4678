//! Samsyn's aggregation on Apache DataFusion (issue 14, "beyond one machine"): the query
//! `samsyn sql` writes for a source ([`samsyn_core::indicators::sql`]) run by DataFusion on CSV
//! or Parquet files, a folder or a glob of them, with every core and spilling to disk past its
//! memory limit. Its result, the source's aggregated table, crosses to `core` as Arrow IPC bytes
//! (DataFusion links another arrow version than `core`) and is read by the same plan as a file
//! (`Prepared::aggregate_plan`): every check, number and disclosure rule stays `core`'s.
//!
//! A shell like the CLI: it gets data, calls `core`, and has no statistics of its own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::ipc::writer::StreamWriter;
use datafusion::datasource::file_format::options::ArrowReadOptions;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::logical_expr::ScalarUDF;
use datafusion::prelude::{CsvReadOptions, DataFrame, ParquetReadOptions, SessionConfig};
use futures::StreamExt;
use samsyn_core::indicators::sql::SqlDialect;
use samsyn_core::ingest::parquet::IpcParts;
use samsyn_core::notebook::exec::{Input, Prepared};

mod bucket;

pub use datafusion::prelude::SessionContext;

/// The cells (rows × columns) of a source aggregated at a time: 500 000 rows of the sample's 12
/// columns. A larger source is first split by DataFusion into parts of about this many cells
/// on disk, by the row id (or every column), so that the rows the query compares are in one
/// part; each part is aggregated alone and its groups go to the plan before the next starts.
/// Memory then stays that of one part however many rows there are (0.8 GB at 10 M rows; with
/// parts of 1 M rows 1.2 GB, and time within 10 %).
///
/// This, not a DataFusion memory pool, bounds the memory: on the 1 M-row bench query a
/// `FairSpillPool` of 2 GiB made the query 1.7× slower (3.04 s against 1.80 s; 2.32 s even at
/// 16 GiB), and a `GreedyMemoryPool` of 4 GiB refused it, its accounting at 4 GB for a process
/// whose resident memory peaks at 0.8 GB without a pool.
pub const DEFAULT_PART_CELLS: u64 = 6_000_000;

/// The rows of a part for a table of `columns` columns (at least 50 000).
pub fn part_rows(columns: usize) -> u64 {
    (DEFAULT_PART_CELLS / columns.max(1) as u64).max(50_000)
}

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

/// A DataFusion session on every core (memory is bounded by the parts, [`DEFAULT_PART_CELLS`]).
pub fn context() -> Result<SessionContext, EngineError> {
    let runtime = RuntimeEnvBuilder::new()
        .build_arc()
        .map_err(|e| EngineError(format!("DataFusion could not start: {e}")))?;
    let mut config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(1, |n| n.get()));
    // Each file being written keeps this much before it goes to disk (10 MiB by default, for
    // uploads to object stores): 200 parts held 2.4 GB. The parts are local files.
    config
        .options_mut()
        .execution
        .objectstore_writer_buffer_size = 256 * 1024;
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
    aggregate_in_parts(ctx, prepared, name, location, None).await
}

/// [`aggregate`], splitting a source of more than `part_rows` rows (by default
/// [`part_rows`] of its columns) into parts of about as many.
pub async fn aggregate_in_parts(
    ctx: &SessionContext,
    prepared: &Prepared,
    name: &str,
    location: &Location,
    part_rows: Option<u64>,
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
    let mut plan = prepared
        .aggregate_plan(name)
        .map_err(|e| fail("no plan", &e))?;
    let file = format!("{name}.arrow");
    let mut parts = Groups {
        parts: IpcParts::new(&file),
        hash: std::collections::hash_map::DefaultHasher::new(),
    };
    let rows = count_rows(ctx, name)
        .await
        .map_err(|e| fail("DataFusion could not count the rows", &e))?;
    let part_rows = part_rows.unwrap_or_else(|| self::part_rows(header.len()));
    let buckets = rows.div_ceil(part_rows.max(1));
    let trace = Trace::new(name);
    trace.say(&format!("{rows} rows, {buckets} part(s)"));
    if buckets <= 1 {
        query_into(ctx, &query, &mut parts, &mut plan)
            .await
            .map_err(|e| fail("DataFusion", &e))?;
    } else {
        let key = prepared
            .aggregate_partition_key(name, SqlDialect::DataFusion, &header)
            .map_err(|e| fail("no way to split the rows", &e))?;
        let spill = SpillDir::new().map_err(|e| fail("no folder for the parts", &e))?;
        split(ctx, name, &key, buckets, spill.path())
            .await
            .map_err(|e| fail("DataFusion could not split the rows into parts", &e))?;
        trace.say("split into parts on disk");
        for b in 0..buckets {
            let dir = spill.path().join(format!("{}={b}", bucket::COLUMN));
            if !dir.is_dir() {
                continue;
            }
            ctx.deregister_table(name)
                .map_err(|e| fail("DataFusion", &e))?;
            ctx.register_arrow(
                name,
                &format!("{}/", dir.display()),
                ArrowReadOptions::default(),
            )
            .await
            .map_err(|e| fail("DataFusion could not read a part back", &e))?;
            query_into(ctx, &query, &mut parts, &mut plan)
                .await
                .map_err(|e| fail(&format!("DataFusion, part {} of {buckets}", b + 1), &e))?;
            trace.say(&format!("part {} aggregated", b + 1));
        }
        let _ = ctx.deregister_table(name);
    }
    trace.say("aggregated");
    // The input's identity is every group handed over, with the source's address.
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        location.path.hash(&mut parts.hash);
        parts.hash.finish()
    };
    let outcome = parts.parts.finish();
    let shown = Path::new(&location.path)
        .file_name()
        .map_or(location.path.clone(), |n| n.to_string_lossy().into_owned());
    Ok(plan.finish(
        &format!("{shown} (DataFusion)"),
        fingerprint,
        outcome.stats,
        outcome.problems,
    ))
}

/// With `SAMSYN_DATAFUSION_TRACE` set, each step's time on stderr (to see where a run goes).
struct Trace<'a> {
    name: &'a str,
    start: Option<std::time::Instant>,
}

impl<'a> Trace<'a> {
    fn new(name: &'a str) -> Self {
        let on = std::env::var_os("SAMSYN_DATAFUSION_TRACE").is_some();
        Trace {
            name,
            start: on.then(std::time::Instant::now),
        }
    }

    fn say(&self, what: &str) {
        if let Some(t) = self.start {
            eprintln!(
                "datafusion: {}: {what} at {:.2} s",
                self.name,
                t.elapsed().as_secs_f64()
            );
        }
    }
}

/// The rows of table `name` (from Parquet's metadata, or a scan of a CSV file).
async fn count_rows(ctx: &SessionContext, name: &str) -> datafusion::error::Result<u64> {
    let n = ctx.table(name).await?.count().await?;
    Ok(n as u64)
}

/// Writes table `name` into `dir` as Parquet parts `samsyn_bucket=B/`, B in `0..buckets`,
/// each row's part decided by the text of `key`.
async fn split(
    ctx: &SessionContext,
    name: &str,
    key: &[String],
    buckets: u64,
    dir: &Path,
) -> datafusion::error::Result<()> {
    ctx.register_udf(ScalarUDF::from(bucket::Bucket::new(buckets)));
    let quote = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let table = quote(name);
    // String views as plain strings: a view sliced into a part still points at the whole
    // batch's buffers, which the Arrow writer then writes into every part (10 M rows filled
    // 24 GB of disk).
    let columns: Vec<String> = ctx
        .table(name)
        .await?
        .schema()
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8View => format!(
                "arrow_cast({}, 'Utf8') AS {}",
                quote(f.name()),
                quote(f.name())
            ),
            _ => quote(f.name()),
        })
        .collect();
    let select = format!(
        "SELECT {}, {}({}) AS {} FROM {table}",
        columns.join(", "),
        bucket::FUNCTION,
        key.join(", "),
        bucket::COLUMN
    );
    // As Arrow IPC files: each part's writer writes a batch as it comes and holds nothing.
    // Parquet parts (snappy) took a third of the disk, but each part's writer holds a row group
    // and a page per column: 100 parts of the sample's 12 columns peaked at 2.6 GB with 1 MB
    // pages and 1.4 GB with 64 KB pages.
    let path = format!("{}/", dir.display()).replace('\'', "''");
    ctx.sql(&format!(
        "COPY ({select}) TO '{path}' STORED AS ARROW PARTITIONED BY ({})",
        bucket::COLUMN
    ))
    .await?
    .collect()
    .await?;
    Ok(())
}

/// The groups read so far, and a hash of every byte of them (the input's fingerprint).
struct Groups<'a> {
    parts: IpcParts<'a>,
    hash: std::collections::hash_map::DefaultHasher,
}

impl Groups<'_> {
    fn push(
        &mut self,
        bytes: &[u8],
        plan: &mut samsyn_core::notebook::exec::InputPlan,
    ) -> Result<(), samsyn_core::Error> {
        use std::hash::Hasher;
        self.hash.write(bytes);
        self.parts.push(bytes, plan)
    }
}

/// Runs `query` and hands its groups to the plan.
async fn query_into(
    ctx: &SessionContext,
    query: &str,
    parts: &mut Groups<'_>,
    plan: &mut samsyn_core::notebook::exec::InputPlan,
) -> Result<(), String> {
    let frame = ctx
        .sql(query)
        .await
        .map_err(|e| format!("the query was refused: {e}"))?;
    hand_over(frame, parts, plan)
        .await
        .map_err(|e| format!("the query could not run: {e}"))
}

/// Runs `frame` and hands its batches to the plan as they come, each as an Arrow IPC stream.
async fn hand_over(
    frame: DataFrame,
    parts: &mut Groups<'_>,
    plan: &mut samsyn_core::notebook::exec::InputPlan,
) -> Result<(), Box<dyn std::error::Error>> {
    let schema = Arc::new(plain_strings(frame.schema().as_arrow()));
    let mut stream = frame.execute_stream().await?;
    let mut any = false;
    while let Some(batch) = stream.next().await {
        let batch = plain_batch(&schema, &batch?)?;
        parts.push(&ipc(&schema, Some(&batch))?, plan)?;
        any = true;
    }
    if !any {
        parts.push(&ipc(&schema, None)?, plan)?;
    }
    Ok(())
}

/// The schema with string views as plain strings: arrow 60 reads an arrow 59 stream of views
/// wrongly ("buffer count mismatched").
fn plain_strings(schema: &Schema) -> Schema {
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match f.data_type() {
            DataType::Utf8View | DataType::LargeUtf8 => {
                Field::new(f.name(), DataType::Utf8, f.is_nullable())
            }
            _ => f.as_ref().clone(),
        })
        .collect();
    Schema::new(fields)
}

fn plain_batch(
    schema: &Arc<Schema>,
    batch: &RecordBatch,
) -> datafusion::arrow::error::Result<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| {
            if c.data_type() == f.data_type() {
                Ok(c.clone())
            } else {
                cast(c, f.data_type())
            }
        })
        .collect::<datafusion::arrow::error::Result<Vec<_>>>()?;
    RecordBatch::try_new(schema.clone(), columns)
}

fn ipc(
    schema: &Arc<Schema>,
    batch: Option<&RecordBatch>,
) -> datafusion::arrow::error::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut w = StreamWriter::try_new(&mut bytes, schema)?;
    if let Some(b) = batch {
        w.write(b)?;
    }
    w.finish()?;
    drop(w);
    Ok(bytes)
}

/// A folder of this process under the system's temporary folder, removed with everything in
/// it when dropped: the parts hold the source's rows while it is aggregated, as DataFusion's
/// own spill files do.
struct SpillDir(PathBuf);

impl SpillDir {
    fn new() -> std::io::Result<SpillDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "samsyn-datafusion-parts-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir(&dir)?;
        Ok(SpillDir(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
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
