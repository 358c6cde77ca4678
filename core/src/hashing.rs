//! A fast hash for the plans' interning tables: codes and values are hashed for every row.
//!
//! rustc's Fx hash (crate `rustc-hash`): several times faster than the standard SipHash on
//! short keys such as kommun codes, and SipHash's protection against crafted collisions buys
//! nothing for a user's own file.

/// Builds Fx hashers: `HashMap<K, V, FxBuild>`.
pub type FxBuild = rustc_hash::FxBuildHasher;
