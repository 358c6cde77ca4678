//! Issue 14: the DataFusion executor gives every example notebook the numbers and the rows
//! refused by reason of a read of the files by Samsyn itself, on the seeded sample county clean
//! and with bad rows of every kind, from CSV and from a folder of Parquet files.

use std::path::Path;

use samsyn_core::notebook::exec::{prepare, Input, Prepared, Session};
use samsyn_core::row_checks::Refusal;
use samsyn_datafusion::{aggregate, aggregate_in_parts, context, DataFormat, Location};

#[path = "../../../cli/tests/common/mod.rs"]
mod common;
use common::{assert_same, file_of, sorted_rows, EXAMPLE_NOTEBOOKS};

const ROWS: u64 = 20_000;
const SEED: u64 = 13;

fn ledger(inputs: &[Input]) -> Vec<String> {
    inputs
        .iter()
        .map(|i| {
            format!(
                "{}: {:?} {}",
                i.source.name, i.source.rows.refused, i.source.rows.used
            )
        })
        .collect()
}

/// The inputs of `prepared`, the sources aggregated by DataFusion from `locate(source)`, in
/// parts of `part_rows` rows.
fn through_datafusion(
    prepared: &Prepared,
    data: &Path,
    locate: &dyn Fn(&str) -> Location,
    part_rows: Option<u64>,
) -> Vec<Input> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ctx = context().unwrap();
    let sources = prepared.compiled.source_names();
    prepared
        .input_names()
        .iter()
        .map(|input| {
            if sources.contains(input) {
                runtime
                    .block_on(aggregate_in_parts(
                        &ctx,
                        prepared,
                        input,
                        &locate(input),
                        part_rows,
                    ))
                    .unwrap()
            } else {
                common::sample_input(prepared, input, data)
            }
        })
        .collect()
}

fn check(name: &str, data: &Path, locate: &dyn Fn(&str) -> Location, what: &str) {
    check_in_parts(name, data, locate, what, None);
}

fn check_in_parts(
    name: &str,
    data: &Path,
    locate: &dyn Fn(&str) -> Location,
    what: &str,
    part_rows: Option<u64>,
) {
    let prepared = prepare(&common::notebook(name), &[]).unwrap();
    let direct = common::sample_inputs(&prepared, data);
    let engine = through_datafusion(&prepared, data, locate, part_rows);
    let what = format!("{name} ({what})");
    assert_eq!(ledger(&engine), ledger(&direct), "{what}: rows by reason");
    let expected = Session::default().run(&prepared, &direct).unwrap();
    let actual = Session::default().run(&prepared, &engine).unwrap();
    let (e, a) = (sorted_rows(&expected), sorted_rows(&actual));
    assert!(e.lines().count() > 10, "{what}: too few rows to compare");
    assert_same(&what, &e, &a, 1e-9);
}

fn csv_at(data: &Path) -> impl Fn(&str) -> Location + '_ {
    move |source| Location {
        path: data.join(file_of(source)).display().to_string(),
        format: DataFormat::Csv { delimiter: b',' },
    }
}

/// Takes out of `events.csv` the lines of the wrong shape or encoding: DataFusion's CSV reader
/// refuses them before any query, as a loader would.
fn drop_lines_a_csv_loader_refuses(data: &Path) {
    let prepared = prepare(&common::notebook("falls"), &[]).unwrap();
    let direct = common::sample_input(&prepared, "events", data);
    let file_level: Vec<u64> = direct
        .source
        .rows
        .refused_rows
        .iter()
        .filter(|(_, r)| matches!(r, Refusal::Shape | Refusal::NotText | Refusal::Blank))
        .map(|(row, _)| *row)
        .collect();
    assert!(file_level.len() >= 3, "{file_level:?}");
    let bytes = std::fs::read(data.join("events.csv")).unwrap();
    let kept: Vec<&[u8]> = bytes
        .split_inclusive(|&b| b == b'\n')
        .enumerate()
        .filter(|(i, _)| !file_level.contains(&(*i as u64 + 1)))
        .map(|(_, l)| l)
        .collect();
    std::fs::write(data.join("events.csv"), kept.concat()).unwrap();
}

#[test]
fn every_example_notebook_from_csv() {
    let data = common::sample_with("datafusion-csv", SEED, ROWS, 0);
    for name in EXAMPLE_NOTEBOOKS {
        check(name, &data, &csv_at(&data), "CSV");
    }
}

/// With bad rows: a CSV reader refuses lines of the wrong shape or encoding before any query,
/// so those lines are taken out of the file first (as a loader would); every other bad row
/// reaches the query and is refused by the plan from its group.
#[test]
fn every_example_notebook_with_bad_rows() {
    let data = common::sample_with("datafusion-bad", SEED, ROWS, 40);
    drop_lines_a_csv_loader_refuses(&data);
    let prepared = prepare(&common::notebook("falls"), &[]).unwrap();
    for name in EXAMPLE_NOTEBOOKS {
        check(name, &data, &csv_at(&data), "bad rows");
    }
    let grouped = {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let ctx = context().unwrap();
        runtime
            .block_on(aggregate(
                &ctx,
                &prepared,
                "events",
                &csv_at(&data)("events"),
            ))
            .unwrap()
    };
    assert!(
        grouped.source.rows.refused_total() >= 20,
        "the bad values are refused from the groups: {:?}",
        grouped.source.rows
    );
}

/// A folder of Parquet files (written here by DataFusion from the sample CSV, in parts), as a
/// lake holds a table.
#[test]
fn every_example_notebook_from_a_folder_of_parquet() {
    let data = common::sample_with("datafusion-parquet", SEED, ROWS, 0);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let ctx = context().unwrap();
    for file in ["events.csv", "population.csv", "survey.csv"] {
        let folder = data.join(file.replace(".csv", "-parquet"));
        runtime.block_on(async {
            let schema_probe = ctx
                .read_csv(
                    data.join(file).to_str().unwrap(),
                    datafusion::prelude::CsvReadOptions::new(),
                )
                .await
                .unwrap();
            let text: Vec<datafusion::arrow::datatypes::Field> = schema_probe
                .schema()
                .fields()
                .iter()
                .map(|f| {
                    datafusion::arrow::datatypes::Field::new(
                        f.name(),
                        datafusion::arrow::datatypes::DataType::Utf8,
                        true,
                    )
                })
                .collect();
            let schema = datafusion::arrow::datatypes::Schema::new(text);
            let frame = ctx
                .read_csv(
                    data.join(file).to_str().unwrap(),
                    datafusion::prelude::CsvReadOptions::new().schema(&schema),
                )
                .await
                .unwrap()
                .repartition(datafusion::logical_expr::Partitioning::RoundRobinBatch(3))
                .unwrap();
            frame
                .write_parquet(
                    folder.to_str().unwrap(),
                    datafusion::dataframe::DataFrameWriteOptions::new(),
                    None,
                )
                .await
                .unwrap();
        });
        let parts = std::fs::read_dir(&folder).unwrap().count();
        // The events come in parts, as a lake holds a large table.
        assert!(
            parts >= 2 || file != "events.csv",
            "{file}: {parts} Parquet files"
        );
    }
    let at = |source: &str| {
        let folder = data.join(file_of(source).replace(".csv", "-parquet"));
        Location::guess(folder.to_str().unwrap(), b',')
    };
    assert_eq!(at("events").format, DataFormat::Parquet);
    for name in EXAMPLE_NOTEBOOKS {
        check(name, &data, &at, "Parquet");
    }
}

/// A source larger than a part is split by DataFusion into parts on disk (by row id, or by
/// every column), each aggregated alone: the same numbers and rows by reason as one pass, on
/// bad rows of every kind, for every example notebook.
#[test]
fn a_source_aggregated_in_parts_gives_the_numbers_of_one_pass() {
    let data = common::sample_with("datafusion-parts", SEED, ROWS, 40);
    drop_lines_a_csv_loader_refuses(&data);
    for name in EXAMPLE_NOTEBOOKS {
        check_in_parts(
            name,
            &data,
            &csv_at(&data),
            "in parts of 3 000 rows",
            Some(3_000),
        );
    }
}

/// Rows whose row id another row has, with other values (a later date in the same month), and
/// exact copies, spread over the file: the query refuses the later row of each id (by the order
/// of the columns, which is here the file's) and counts the copies, in one pass and in parts.
#[test]
fn repeated_row_ids_and_copies_are_refused_in_one_pass_and_in_parts() {
    let data = common::sample_with("datafusion-ids", SEED, ROWS, 0);
    let path = data.join("events.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let date = header.iter().position(|c| *c == "date").unwrap();
    let mut conflicting = Vec::new();
    for line in lines.iter().skip(1).step_by(197) {
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        let day: u32 = fields[date][8..10].parse().unwrap();
        if day < 28 && conflicting.len() < 40 {
            fields[date] = format!("{}{:02}", &fields[date][..8], day + 1);
            conflicting.push(fields.join(","));
        }
    }
    let copies: Vec<String> = lines
        .iter()
        .skip(5)
        .step_by(911)
        .take(15)
        .cloned()
        .collect();
    assert_eq!((conflicting.len(), copies.len()), (40, 15));
    lines.extend(conflicting);
    lines.extend(copies);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let prepared = prepare(&common::notebook("falls"), &[]).unwrap();
    let direct = common::sample_input(&prepared, "events", &data);
    let refused = |i: &Input, r: Refusal| i.source.rows.refused.get(&r).copied().unwrap_or(0);
    assert_eq!(
        (
            refused(&direct, Refusal::DuplicateId),
            refused(&direct, Refusal::Duplicate)
        ),
        (40, 15),
        "{:?}",
        direct.source.rows
    );
    for part_rows in [None, Some(2_500)] {
        check_in_parts(
            "falls",
            &data,
            &csv_at(&data),
            &format!("repeated ids, parts of {part_rows:?} rows"),
            part_rows,
        );
    }
}
