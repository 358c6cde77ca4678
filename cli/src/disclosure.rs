//! The disclosure floor of `samsyn stat` and `samsyn indicators`: counts from 1 to N − 1 never
//! leave the machine unless the user turns the protection off herself, and then every output
//! says so (methods.md §6.2; the masking itself is in core).

use anyhow::bail;
use clap::Args;
use samsyn_core::stats::disclosure::DEFAULT_FLOOR;

#[derive(Args)]
pub struct DisclosureArgs {
    /// Counts (numerators and denominators) from 1 to N − 1 are left empty, and so is what would
    /// give them away. At least 1.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_FLOOR, allow_negative_numbers = true)]
    disclosure_threshold: f64,
    /// Show small counts: no disclosure control. Every row then has a column `protection`
    /// saying the file is not protected.
    #[arg(long, conflicts_with = "disclosure_threshold")]
    no_disclosure_control: bool,
}

impl DisclosureArgs {
    /// The floor to apply, or `None` when the user turned disclosure control off (a warning is
    /// printed). `legacy` is the deprecated `--suppress-below`, which can only raise the floor.
    pub fn floor(&self, legacy: Option<f64>) -> anyhow::Result<Option<f64>> {
        if self.no_disclosure_control {
            if let Some(n) = legacy {
                bail!("--suppress-below {n} and --no-disclosure-control contradict each other; give one of them");
            }
            eprintln!(
                "samsyn: warning: --no-disclosure-control: counts below {} are shown; the output is not protected, and every row says so in its column 'protection'",
                DEFAULT_FLOOR
            );
            return Ok(None);
        }
        let t = self.disclosure_threshold;
        if !(t.is_finite() && t >= 1.0) {
            bail!("--disclosure-threshold {t}: the threshold must be at least 1 (counts from 1 to N − 1 are hidden); to show every count, say --no-disclosure-control instead");
        }
        let Some(n) = legacy else { return Ok(Some(t)) };
        if !(n.is_finite() && n > t) {
            eprintln!("samsyn: warning: --suppress-below is deprecated (use --disclosure-threshold) and can only raise the floor; {n} is not above {t}, so the floor stays {t}");
            return Ok(Some(t));
        }
        eprintln!(
            "samsyn: warning: --suppress-below is deprecated; use --disclosure-threshold {n}"
        );
        Ok(Some(n))
    }
}
