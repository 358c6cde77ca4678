//! Times one SQL file on DataFusion over a folder of Parquet files registered as `events`
//! (to see where `--engine datafusion` spends its time): `cargo run --profile engines -p
//! samsyn-datafusion --example query_time -- PARQUET_DIR QUERY.sql [POOL [MB]]`, where POOL is
//! `fair` (the executor's, the default), `greedy` or `none` (no limit) and MB its size (2048).

use std::sync::Arc;
use std::time::Instant;

use datafusion::execution::memory_pool::{FairSpillPool, GreedyMemoryPool, MemoryPool};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (dir, file) = (&args[1], &args[2]);
    let pool = args.get(3).map_or("fair", String::as_str);
    let mb: usize = args.get(4).and_then(|m| m.parse().ok()).unwrap_or(2048);
    let query = std::fs::read_to_string(file).expect("the query file");
    let runtime = tokio::runtime::Runtime::new().expect("tokio");
    let mut rt = RuntimeEnvBuilder::new();
    let bytes = mb << 20;
    match pool {
        "fair" => {
            rt = rt.with_memory_pool(Arc::new(FairSpillPool::new(bytes)) as Arc<dyn MemoryPool>)
        }
        "greedy" => {
            rt = rt.with_memory_pool(Arc::new(GreedyMemoryPool::new(bytes)) as Arc<dyn MemoryPool>)
        }
        _ => {}
    }
    let config = SessionConfig::new()
        .with_target_partitions(std::thread::available_parallelism().map_or(1, |n| n.get()));
    let ctx = SessionContext::new_with_config_rt(config, rt.build_arc().expect("runtime"));
    runtime.block_on(async {
        ctx.register_parquet("events", dir, ParquetReadOptions::default())
            .await
            .expect("register");
        let t = Instant::now();
        if query.trim_start().starts_with("EXPLAIN") {
            ctx.sql(&query)
                .await
                .expect("plan")
                .show()
                .await
                .expect("run");
            println!("{:.2} s", t.elapsed().as_secs_f64());
            return;
        }
        let batches = ctx
            .sql(&query)
            .await
            .expect("plan")
            .collect()
            .await
            .expect("run");
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        println!(
            "{file}: {rows} rows in {:.2} s ({pool} pool, {mb} MB)",
            t.elapsed().as_secs_f64()
        );
    });
}
