//! A unit's predikat distribution against its curve (cached), the unit's own predikat,
//! and an employee's latest weaknesses.

use cakap_domain::performance::{CurveBreach, curve_breaches};
use cakap_domain::{Predikat, Role};
use cakap_store::performance as store;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;
use utoipa::ToSchema;

use super::*;
use crate::cache::{self, Topic};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// A curve rule broken, before translation.
#[derive(Debug, Clone)]
pub struct BreachRaw {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl From<CurveBreach> for BreachRaw {
    fn from(b: CurveBreach) -> Self {
        BreachRaw {
            key: b.key,
            args: vec![
                ("what", b.what),
                ("limit", b.limit.to_string()),
                (
                    "found",
                    format!("{:.1}", f64::from(b.found_permille) / 10.0),
                ),
            ],
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub nip: String,
    pub name: String,
}

/// The predikat of a unit's people for a period, against the unit's curve.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Distribution {
    pub unit: Option<String>,
    pub period: String,
    /// The unit's own predikat the curve is taken from.
    pub unit_predikat: String,
    /// Whether that predikat is the one recorded for the unit and period (otherwise it was
    /// asked for, or is the default `baik`).
    pub unit_predikat_recorded: bool,
    /// People per predikat (all five keys always present, best first).
    pub counts: Vec<(String, i64)>,
    pub rated: i64,
    /// People of the subtree without an evaluation for the period.
    pub unrated: Vec<Person>,
    /// Rules of the curve the ratings break: a warning, never a block.
    #[serde(skip)]
    pub breaches: Vec<BreachRaw>,
    /// The plans of the period in the subtree (for the page's list).
    #[serde(skip)]
    pub plans: Vec<PlanSummary>,
}

/// Distributions per (scope and unit, period, unit predikat), kept a minute.
struct Distributions;

impl cache::Spec for Distributions {
    type Key = (String, String, String);
    type Value = Arc<Distribution>;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units, Topic::Performance];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 256;
}

/// A unit's predikat as written: the employee words, or `istimewa` for the top one.
fn unit_predikat_of(p: &str) -> ServiceResult<Predikat> {
    match p.trim() {
        "istimewa" => Ok(Predikat::SangatBaik),
        p => p
            .parse()
            .map_err(|()| ServiceError::invalid("unit_predikat", "performance.unknown_predikat")),
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnitRating {
    pub unit: String,
    pub period: String,
    /// `istimewa` (or `sangat_baik`), `baik`, `butuh_perbaikan`, `kurang`, `sangat_kurang`.
    pub predikat: String,
}

/// Records a unit's own predikat for a period (`admin`): its people's curve follows it.
pub async fn set_unit_predikat(db: &Db, actor: &Actor, input: &UnitRating) -> ServiceResult<()> {
    actor.require_admin()?;
    let predikat = unit_predikat_of(&input.predikat)?;
    let mut c = Change::begin(db, actor).await?;
    let unit = cakap_store::units::by_code(&mut c, actor.tenant_id, input.unit.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("unit", "error.unknown_unit"))?;
    let period = store::period(&mut c, actor.tenant_id, input.period.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("period", "performance.unknown_period"))?;
    let before = store::unit_rating(&mut c, actor.tenant_id, unit.id, period.id).await?;
    store::set_unit_rating(
        &mut c,
        actor.tenant_id,
        unit.id,
        period.id,
        predikat.as_str(),
        &actor.username,
    )
    .await?;
    let entity = format!("{} {}", unit.code, period.code);
    let before = before.map(|p| serde_json::json!({ "predikat": p }));
    let after = serde_json::json!({ "predikat": predikat.as_str() });
    c.record(
        "update",
        "unit_rating",
        &entity,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Performance]).await?;
    Ok(())
}

pub async fn distribution(
    db: &Db,
    actor: &Actor,
    unit: Option<&str>,
    period: &str,
    unit_predikat: &str,
) -> ServiceResult<Arc<Distribution>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let asked = match unit_predikat.trim() {
        "" => None,
        p => Some(unit_predikat_of(p)?),
    };
    let scope = crate::units::scope(db, actor, unit).await?;
    let key = (
        format!("{scope}\u{0}{}", unit.unwrap_or("")),
        period.trim().to_string(),
        asked.map_or("", Predikat::as_str).to_string(),
    );
    cache::of::<Distributions>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let mut c = db.conn().await?;
            let p = store::period(&mut c, actor.tenant_id, period.trim())
                .await?
                .ok_or(ServiceError::NotFound)?;
            let recorded = match unit.map(str::trim).filter(|u| !u.is_empty()) {
                Some(code) => {
                    match cakap_store::units::by_code(&mut c, actor.tenant_id, code).await? {
                        Some(u) => store::unit_rating(&mut c, actor.tenant_id, u.id, p.id)
                            .await?
                            .and_then(|r| r.parse::<Predikat>().ok()),
                        None => None,
                    }
                }
                None => None,
            };
            let own = asked.or(recorded).unwrap_or(Predikat::Baik);
            let plans = store::plans(&mut c, actor.tenant_id, Some(p.id), &scope, None).await?;
            let people =
                cakap_store::employees::placements(&mut c, actor.tenant_id, &scope).await?;
            drop(c);
            let mut counts: Vec<(Predikat, u32)> = Predikat::ALL.iter().map(|p| (*p, 0)).collect();
            let mut rated_ids = std::collections::HashSet::new();
            for plan in &plans {
                let Some(pr) = plan
                    .predikat
                    .as_deref()
                    .filter(|_| plan.status.rated())
                    .and_then(|s| s.parse::<Predikat>().ok())
                else {
                    continue;
                };
                rated_ids.insert(plan.employee_id);
                if let Some(c) = counts.iter_mut().find(|c| c.0 == pr) {
                    c.1 += 1;
                }
            }
            let unrated = people
                .iter()
                .filter(|p| !rated_ids.contains(&p.id))
                .map(|p| Person {
                    nip: p.nip.clone(),
                    name: p.name.clone(),
                })
                .collect();
            let d = Arc::new(Distribution {
                plans: plans.into_iter().map(PlanSummary::from).collect(),
                unit: unit.map(str::to_string).filter(|u| !u.is_empty()),
                period: p.code,
                unit_predikat: own.as_str().into(),
                unit_predikat_recorded: asked.is_none() && recorded.is_some(),
                breaches: curve_breaches(own, &counts)
                    .into_iter()
                    .map(BreachRaw::from)
                    .collect(),
                rated: rated_ids.len() as i64,
                counts: counts
                    .into_iter()
                    .map(|(p, n)| (p.label().to_string(), i64::from(n)))
                    .collect(),
                unrated,
            });
            Ok(d)
        })
        .await
}

/// The weaknesses of an employee's latest evaluation (for the gap page and development plans).
pub async fn weaknesses(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Vec<Finding>> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    weaknesses_of(&mut c, actor.tenant_id, e.id).await
}

/// [`weaknesses`] of an employee already found visible.
pub(crate) async fn weaknesses_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    employee: i64,
) -> ServiceResult<Vec<Finding>> {
    Ok(store::latest_weaknesses(c, tenant, employee)
        .await?
        .into_iter()
        .map(|f| Finding {
            competency: f.code,
            name: f.name,
            comment: f.comment,
        })
        .collect())
}
