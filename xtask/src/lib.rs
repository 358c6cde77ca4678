//! The parts of Samsyn's developer commands that tests of other crates use: the seeded sample
//! county (`sample_data`), so that `cli`'s tests can run the example notebooks on the very files
//! `cargo xtask sample-data` writes (issue 10). Standard library only, like the commands.

pub mod module_graph;
pub mod sample_data;
