//! A campaign's compliance, for leaders: per unit within their scope, the people still owing,
//! the newest campaigns — each computed once per change and kept (docs/architecture.md#caches).

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use cakap_domain::regulation as rule;
use cakap_store::regulations as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::{date, today};
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Compliance of one unit (as targeted).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitCount {
    pub unit: String,
    pub targeted: i64,
    pub acknowledged: i64,
}

/// `GET /api/v1/campaigns/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Campaign {
    pub id: i64,
    pub regulation: i64,
    /// "Perbup No. 7 Tahun 2026".
    pub regulation_label: String,
    pub judul: String,
    pub version: i64,
    pub due_on: String,
    pub assigned_on: String,
    pub course: Option<String>,
    pub targeted: i64,
    pub acknowledged: i64,
    /// Still owing after the due date.
    pub overdue: i64,
    /// Per unit as targeted, in the reader's scope.
    pub units: Vec<UnitCount>,
}

/// A campaign's compliance over the reader's scope (`admin`, `auditor`, `pimpinan` over
/// their subtree); per unit, and the rows themselves for rolling up.
pub async fn get(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<(Campaign, Vec<store::UnitCompliance>)> {
    get_in(db, actor, id, &actor.unit_scope()).await
}

/// [`get`] over `scope`, a unit path inside the reader's own scope (the leadership view of a
/// sub-unit): none of it when nobody under `scope` is targeted.
pub async fn get_in(
    db: &Db,
    actor: &Actor,
    id: i64,
    scope: &str,
) -> ServiceResult<(Campaign, Vec<store::UnitCompliance>)> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    if !scope.starts_with(&actor.unit_scope()) {
        return Err(ServiceError::NotFound);
    }
    let cached = compliance(db, actor.tenant_id, id, scope).await?;
    let (k, rows) = (cached.0.clone(), cached.1.clone());
    if rows.is_empty() && !scope.is_empty() {
        // Nobody of the reader's units is targeted: not theirs to see.
        return Err(ServiceError::NotFound);
    }
    let targeted: i64 = rows.iter().map(|r| r.targeted).sum();
    let acknowledged: i64 = rows.iter().map(|r| r.acknowledged).sum();
    let due = date(&k.due_on);
    let overdue = if rule::overdue(due, today(), false) {
        targeted - acknowledged
    } else {
        0
    };
    let out = Campaign {
        id: k.id,
        regulation: k.regulation_id,
        regulation_label: crate::regulations::label(k.jenis.short(), &k.nomor, k.tahun),
        judul: k.judul,
        version: k.version,
        due_on: k.due_on,
        assigned_on: k.assigned_on,
        course: k.course_code,
        targeted,
        acknowledged,
        overdue,
        units: rows
            .iter()
            .map(|r| UnitCount {
                unit: r.code.clone(),
                targeted: r.targeted,
                acknowledged: r.acknowledged,
            })
            .collect(),
    };
    Ok((out, rows))
}

/// A campaign and its compliance per unit under a scope, computed once per change: the page
/// leaders open reads it from memory (docs/architecture.md#caches).
struct Compliance;

type ComplianceValue = Arc<(store::CampaignRow, Vec<store::UnitCompliance>)>;

impl cache::Spec for Compliance {
    type Key = (i64, String);
    type Value = ComplianceValue;
    const TOPICS: &'static [Topic] = &[Topic::Regulations, Topic::Units, Topic::People];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 256;
}

async fn compliance(db: &Db, tenant: i64, id: i64, scope: &str) -> ServiceResult<ComplianceValue> {
    cache::of::<Compliance>(db)
        .get_or_fill(tenant, &(id, scope.to_string()), || async {
            let mut c = db.conn().await?;
            let k = store::campaign(&mut c, tenant, id)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let rows = store::compliance(&mut c, tenant, id, k.version, scope).await?;
            Ok(Arc::new((k, rows)))
        })
        .await
}

/// The first people still owing a campaign under a scope, per (campaign, scope, limit).
struct Owing;

impl cache::Spec for Owing {
    type Key = (i64, String, i64);
    type Value = Arc<Vec<store::TargetRow>>;
    const TOPICS: &'static [Topic] = &[Topic::Regulations, Topic::Units, Topic::People];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 256;
}

/// The newest campaigns of a tenant with their counts (the register's page).
struct Recent;

impl cache::Spec for Recent {
    type Key = ();
    type Value = Arc<Vec<store::CampaignRow>>;
    const TOPICS: &'static [Topic] = &[Topic::Regulations, Topic::People];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 1_000;
}

/// The campaigns of one regulation with their counts (the regulation's page); the counts are
/// a pass over every target and acknowledgement of each campaign.
struct OfRegulation;

impl cache::Spec for OfRegulation {
    type Key = i64;
    type Value = Arc<Vec<store::CampaignRow>>;
    const TOPICS: &'static [Topic] = &[Topic::Regulations, Topic::People];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 1_000;
}

/// The people of a campaign under `scope` (a unit path inside the reader's own scope) who
/// still owe it, by name, at most `limit`.
pub async fn people(
    db: &Db,
    actor: &Actor,
    id: i64,
    scope: &str,
    limit: i64,
) -> ServiceResult<Vec<store::TargetRow>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    if !scope.starts_with(&actor.unit_scope()) {
        return Err(ServiceError::NotFound);
    }
    let tenant = actor.tenant_id;
    let rows = cache::of::<Owing>(db)
        .get_or_fill(tenant, &(id, scope.to_string(), limit), || async {
            let mut c = db.conn().await?;
            let k = store::campaign(&mut c, tenant, id)
                .await?
                .ok_or(ServiceError::NotFound)?;
            Ok::<_, ServiceError>(Arc::new(
                store::targets(&mut c, tenant, id, k.version, scope, true, limit).await?,
            ))
        })
        .await?;
    Ok(rows.as_ref().clone())
}

/// The newest campaigns (for the register's page).
pub async fn recent(db: &Db, actor: &Actor) -> ServiceResult<Arc<Vec<store::CampaignRow>>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let tenant = actor.tenant_id;
    cache::of::<Recent>(db)
        .get_or_fill(tenant, &(), || async {
            let mut c = db.conn().await?;
            Ok(Arc::new(store::recent_campaigns(&mut c, tenant, 20).await?))
        })
        .await
}

/// The campaigns of one regulation (for its page), computed once per change.
pub async fn of_regulation(
    db: &Db,
    actor: &Actor,
    regulation: i64,
) -> ServiceResult<Arc<Vec<store::CampaignRow>>> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    let tenant = actor.tenant_id;
    cache::of::<OfRegulation>(db)
        .get_or_fill(tenant, &regulation, || async {
            let mut c = db.conn().await?;
            Ok(Arc::new(
                store::campaigns_of(&mut c, tenant, regulation).await?,
            ))
        })
        .await
}
