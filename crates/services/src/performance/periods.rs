//! Evaluation periods: annual and periodic, opened and closed by BKPSDM.

use cakap_domain::status::PeriodStatus;
use cakap_store::performance as store;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Period {
    /// `2026` (annual), `2026-Q1` (quarterly) or `2026-03` (monthly).
    pub code: String,
    /// `annual` or `periodic`.
    pub kind: String,
    pub year: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// `open` or `closed`.
    pub status: String,
}

impl From<store::PeriodRow> for Period {
    fn from(r: store::PeriodRow) -> Self {
        Period {
            code: r.code,
            kind: r.kind,
            year: r.year,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            status: r.status.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewPeriod {
    /// `annual` or `periodic` (a quarter or a month, as the tenant is set up).
    pub kind: String,
    pub year: i64,
    /// For a periodic period: the quarter (1–4) or the month (1–12).
    pub number: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeriodPatch {
    /// `open` or `closed`.
    pub status: String,
}

pub async fn periods(db: &Db, actor: &Actor) -> ServiceResult<Vec<Period>> {
    let mut c = db.conn().await?;
    Ok(store::periods(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(Period::from)
        .collect())
}

/// The code and dates of a period.
fn period_shape(
    kind: &str,
    year: i64,
    number: Option<u32>,
    frequency: &str,
) -> ServiceResult<(String, NaiveDate, NaiveDate)> {
    let y = i32::try_from(year)
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ServiceError::invalid("year", "performance.year"))?;
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let last_day = |y: i32, m: u32| {
        let next = if m == 12 {
            date(y + 1, 1, 1)
        } else {
            date(y, m + 1, 1)
        };
        next.and_then(|d| d.pred_opt())
    };
    let bad_number = || ServiceError::invalid("number", "performance.period_number");
    let (code, start, end) = match (kind, frequency) {
        ("annual", _) => (format!("{y}"), date(y, 1, 1), date(y, 12, 31)),
        ("periodic", "monthly") => {
            let m = number
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(bad_number)?;
            (format!("{y}-{m:02}"), date(y, m, 1), last_day(y, m))
        }
        ("periodic", _) => {
            let q = number
                .filter(|q| (1..=4).contains(q))
                .ok_or_else(bad_number)?;
            let m = (q - 1) * 3 + 1;
            (format!("{y}-Q{q}"), date(y, m, 1), last_day(y, m + 2))
        }
        _ => return Err(ServiceError::invalid("kind", "performance.period_kind")),
    };
    match (start, end) {
        (Some(s), Some(e)) => Ok((code, s, e)),
        _ => Err(bad_number()),
    }
}

/// Opens a period (`admin`).
pub async fn create_period(db: &Db, actor: &Actor, input: &NewPeriod) -> ServiceResult<Period> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let settings = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (code, start, end) = period_shape(
        input.kind.trim(),
        input.year,
        input.number,
        &settings.period_frequency,
    )?;
    if store::period(&mut c, actor.tenant_id, &code)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "code" });
    }
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let p = store::NewPeriod {
        code: &code,
        kind: input.kind.trim(),
        year: input.year,
        starts_on: &fmt(start),
        ends_on: &fmt(end),
    };
    store::insert_period(&mut c, actor.tenant_id, &p).await?;
    let period = store::period(&mut c, actor.tenant_id, &code)
        .await?
        .map(Period::from)
        .ok_or(ServiceError::NotFound)?;
    c.record("create", "period", &code, None, Some(&period))
        .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(period)
}

/// Opens or closes a period (`admin`): nothing is planned or rated in a closed one.
pub async fn set_period_status(
    db: &Db,
    actor: &Actor,
    code: &str,
    patch: &PeriodPatch,
) -> ServiceResult<Period> {
    actor.require_admin()?;
    let status: PeriodStatus = patch
        .status
        .parse()
        .map_err(|()| ServiceError::invalid("status", "performance.period_status"))?;
    let mut c = Change::begin(db, actor).await?;
    let before = store::period(&mut c, actor.tenant_id, code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    store::set_period_status(&mut c, actor.tenant_id, before.id, status).await?;
    let after = Period {
        status: status.to_string(),
        ..Period::from(before.clone())
    };
    let before = Period::from(before);
    c.record("update", "period", code, Some(&before), Some(&after))
        .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(after)
}
