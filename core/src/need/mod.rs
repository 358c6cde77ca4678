//! Need and resources (seed 003): the Care Need Index per area and per health-centre listing,
//! and the split of a capitation budget by age/sex weights and a CNI share.
//!
//! Method source: methods.md §7 (Sundquist et al. 2003; SCB's current CNI product and its
//! published example, which the weights reproduce; the capitation construction is a common one,
//! not a specific region's rulebook).

pub mod capitation;
pub mod cni;
