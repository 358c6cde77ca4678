//! Issue 11: `core` is a graph without cycles — no module uses a module that uses it back —
//! checked by plain `cargo test` as well as by `cargo xtask tidy`.

use std::path::Path;

#[test]
fn no_module_of_core_uses_a_module_that_uses_it_back() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src");
    let graph = xtask::module_graph::graph(&src).unwrap();
    // The graph is read: the engine's modules are there, with their uses.
    assert!(graph.len() > 60, "{} modules", graph.len());
    assert!(graph["indicators::plan"].contains("indicators::cube"));
    let cycles: Vec<String> = xtask::module_graph::cycles(&graph)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    assert!(
        cycles.is_empty(),
        "modules of core use each other (cargo xtask graph shows all uses):\n{}",
        cycles.join("\n")
    );
}
