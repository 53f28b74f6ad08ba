//! Cakap's use cases. Every function takes the acting [`Actor`] and enforces authorization
//! and tenant scoping here, once, so handlers and the CLI stay thin.

pub mod actor;
pub mod annual;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod cache;
pub mod change;
pub mod competencies;
pub mod dashboard;
pub mod employees;
pub mod equity;
pub mod error;
pub mod exports;
pub mod files;
pub mod gaps;
pub mod imports;
pub mod jobs;
pub mod leadership;
pub mod learning;
pub mod mail;
pub mod national;
pub mod notifications;
pub mod pdf;
pub mod performance;
pub mod plans;
pub mod points;
pub mod positions;
pub mod readiness;
pub mod recognition;
pub mod regulations;
pub mod requirements;
pub mod service_quality;
pub mod standings;
pub mod talent;
pub mod tpp;
pub mod units;
pub mod validate;
pub mod wib;
pub mod xapi;

pub use actor::Actor;
pub use cakap_store::Db;
pub use error::{ServiceError, ServiceResult};

/// Lists in the API and the pages share this shape.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// The highest page number a list answers (an empty page past the end): far beyond any real
/// list, and small enough that `(page - 1) * per_page` can never overflow into a negative
/// OFFSET (`page=9223372036854775807` once did, a 500 on PostgreSQL).
pub const MAX_PAGE: i64 = 1_000_000;

/// Page numbers from 1 to [`MAX_PAGE`]; `per_page` between 1 and 200 (default 50).
pub fn paging(page: Option<i64>, per_page: Option<i64>) -> (i64, i64) {
    (
        page.unwrap_or(1).clamp(1, MAX_PAGE),
        per_page.unwrap_or(50).clamp(1, 200),
    )
}

/// Opens the database, applies migrations and makes sure the default tenant exists.
pub async fn open(url: &str) -> Result<Db, cakap_store::StoreError> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let mut c = db.conn().await?;
    if cakap_store::tenants::by_code(&mut c, DEFAULT_TENANT.0)
        .await?
        .is_none()
    {
        cakap_store::tenants::insert(&mut c, DEFAULT_TENANT.0, DEFAULT_TENANT.1).await?;
    }
    Ok(db)
}

/// Kemendagri code and name of the first tenant.
pub const DEFAULT_TENANT: (&str, &str) = ("11.12", "Kabupaten Aceh Barat Daya");

#[cfg(test)]
mod paging_tests {
    use super::*;

    #[test]
    fn paging_clamps_so_the_offset_cannot_overflow() {
        assert_eq!(paging(None, None), (1, 50));
        assert_eq!(paging(Some(-5), Some(0)), (1, 1));
        assert_eq!(paging(Some(i64::MAX), Some(i64::MAX)), (MAX_PAGE, 200));
        let (page, per_page) = paging(Some(i64::MAX), Some(200));
        assert!((page - 1).checked_mul(per_page).is_some_and(|o| o > 0));
    }
}
