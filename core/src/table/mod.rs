//! Tables as Samsyn sees them: Arrow columns with a role each.

pub mod roles;
