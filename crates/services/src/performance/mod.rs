//! Performance evaluation (PermenPANRB 6/2022; docs/domain.md#performance): periods, the ASN's plan (SKP)
//! with expected results, the supervisor's evaluation with the predikat matrix and BerAKHLAK,
//! strengths and weaknesses on the competency dictionary, and the unit's distribution against
//! its curve.
//!
//! Workflow of a plan: draft → submitted (by the ASN) → evaluated (by the supervisor) → final,
//! with "returned" for revision from submitted or evaluated. Nobody rates themself; a
//! `pimpinan` rates only their unit subtree; nothing changes in a closed period or after final.
//!
//! `settings`, `periods`, `plans` (SKP and its workflow), `evaluations` and `distribution`
//! hold the parts; everything public is re-exported here.

use cakap_domain::performance::BERAKHLAK;
use chrono::Datelike;

mod distribution;
mod evaluations;
mod periods;
mod plans;
mod settings;

pub use distribution::*;
pub use evaluations::*;
pub use periods::*;
pub use plans::*;
pub use settings::*;

/// The seven values with their guideline behaviours, for the rating form.
pub fn berakhlak() -> &'static [(&'static str, &'static str, [&'static str; 3]); 7] {
    &BERAKHLAK
}

/// This year (for defaults on pages and the talent map).
pub fn current_year() -> i64 {
    i64::from(chrono::Local::now().date_naive().year())
}
