//! Times one SQL file on DataFusion over a folder of Parquet files registered as `events`
//! (to see where `--engine datafusion` spends its time): `cargo run --profile engines -p
//! samsyn-datafusion --example query_time -- PARQUET_DIR QUERY.sql`.

use std::time::Instant;

use datafusion::prelude::ParquetReadOptions;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = (&args[1], &args[2]);
    let query = std::fs::read_to_string(file).expect("the query file");
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let ctx = samsyn_datafusion::context(samsyn_datafusion::DEFAULT_MEMORY_BYTES).expect("ctx");
    runtime.block_on(async {
        ctx.register_parquet("events", dir, ParquetReadOptions::default())
            .await
            .expect("register");
        let t = Instant::now();
        let batches = ctx
            .sql(&query)
            .await
            .expect("plan")
            .collect()
            .await
            .expect("run");
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        println!("{file}: {rows} rows in {:.2} s", t.elapsed().as_secs_f64());
    });
}
