//! Placeholder until the synthetic sample-data generator lands.

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("the sample-data generator is not built yet".into())
}
