//! The European Standard Population 2013 (ESP2013) in the 19 bands PHE uses.
//!
//! Source: Eurostat, *Revision of the European Standard Population — Report of Eurostat's task
//! force*, 2013 edition (KS-RA-13-028-EN), as PHEindicatormethods ships it in its `esp2013` data
//! (`R/data.R`, `data-raw/LoadTestdata.R`, v2.1.0): ages 0 and 1–4 merged into 0–4, 90–94 and 95+
//! merged into 90+. Transcribed from methods.md §2.1; the weights sum to 100 000.

/// The name shown with every DSR that uses this standard.
pub const NAME: &str = "ESP2013";

/// Band labels, youngest first.
pub const BANDS: [&str; 19] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];

/// European Standard Population 2013 (Eurostat, 2013), 19 bands 0–4 … 90+ as PHE uses it
/// (90–94 and 95+ merged); see methods.md §2.1.
pub const WEIGHTS: [u32; 19] = [
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000,
    2500, 1500, 1000,
];
