//! Development plans (DESIGN.md "limited training resources", "career development"): each
//! ASN's individual development plan (`idp`) and BKPSDM's training plan for a year and a
//! budget (`optimize`).

pub mod idp;
pub mod optimize;
