//! Training and e-learning: courses and their modules, files and questions; offerings and
//! enrolments; module progress; quiz attempts; other development activities; certificates.
//!
//! One file per part; everything public is re-exported here, so callers write
//! `store::learning::…` whatever file it lives in.

mod activities;
mod certificates;
mod courses;
mod jp;
mod modules;
mod offerings;
mod progress;
mod quiz;

pub use activities::*;
pub use certificates::*;
pub use courses::*;
pub use jp::*;
pub use modules::*;
pub use offerings::*;
pub use progress::*;
pub use quiz::*;
