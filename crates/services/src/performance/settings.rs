//! The tenant's evaluation settings: what a periodic period is, the potential thresholds.

use cakap_store::performance as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// How the tenant runs evaluations and reads potential scores.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// `quarterly` or `monthly`: what a periodic period is.
    pub period_frequency: String,
    /// Lowest potential score that is *tinggi* (default 90).
    pub potensi_high: i64,
    /// Lowest potential score that is *menengah* (default 78).
    pub potensi_mid: i64,
}

pub async fn settings(db: &Db, actor: &Actor) -> ServiceResult<Settings> {
    let mut c = db.conn().await?;
    let s = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok(Settings {
        period_frequency: s.period_frequency,
        potensi_high: s.potensi_high,
        potensi_mid: s.potensi_mid,
    })
}

/// Changes the tenant's settings (`admin`): frequency `quarterly` or `monthly`, thresholds
/// with 0 < menengah < tinggi ≤ 100.
pub async fn set_settings(db: &Db, actor: &Actor, input: &Settings) -> ServiceResult<Settings> {
    actor.require_admin()?;
    let frequency = match input.period_frequency.trim() {
        f @ ("quarterly" | "monthly") => f.to_string(),
        _ => {
            return Err(ServiceError::invalid(
                "period_frequency",
                "performance.frequency",
            ));
        }
    };
    if !(0 < input.potensi_mid
        && input.potensi_mid < input.potensi_high
        && input.potensi_high <= 100)
    {
        return Err(ServiceError::invalid("potensi_high", "talent.thresholds"));
    }
    let mut c = Change::begin(db, actor).await?;
    let before = store::settings(&mut c, actor.tenant_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let after = store::Settings {
        period_frequency: frequency,
        potensi_high: input.potensi_high,
        potensi_mid: input.potensi_mid,
    };
    store::set_settings(&mut c, actor.tenant_id, &after).await?;
    c.record(
        "update",
        "settings",
        "performance",
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(Settings {
        period_frequency: after.period_frequency,
        potensi_high: after.potensi_high,
        potensi_mid: after.potensi_mid,
    })
}
