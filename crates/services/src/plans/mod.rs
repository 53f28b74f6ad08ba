//! Development plans (docs/domain.md#development-plans): each
//! ASN's individual development plan (`idp`) and BKPSDM's training plan for a year and a
//! budget (`optimize`).

pub mod idp;
pub mod optimize;
