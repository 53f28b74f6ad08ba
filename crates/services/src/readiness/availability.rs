//! Who is away (docs/domain.md#readiness): an ASN, their head or BKPSDM marks someone away
//! through a date, with a reason; away people count nowhere and are never proposed.

use cakap_domain::Role;
use cakap_store::readiness as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::READERS;
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};

/// `PUT /api/v1/employees/{nip}/availability`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct AvailabilityInput {
    pub available: bool,
    /// Away through this date (inclusive); null = until changed.
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Availability {
    pub nip: String,
    /// Available today.
    pub available: bool,
    pub until: Option<String>,
    pub reason: String,
    pub phone: Option<String>,
}

/// An ASN marks themself away or back; their head (`pimpinan` of their unit) or BKPSDM may
/// too. Anyone else's NIP is "not found".
pub async fn set_availability(
    db: &Db,
    actor: &Actor,
    nip: &str,
    input: &AvailabilityInput,
) -> ServiceResult<Availability> {
    let mut c = Change::begin(db, actor).await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    if !(actor.is_self(e.id, &e.nip) || matches!(actor.role, Role::Admin | Role::Pimpinan)) {
        return Err(ServiceError::Forbidden);
    }
    let reason = validate::optional_text("reason", Some(&input.reason), 200)?.unwrap_or_default();
    let today = crate::wib::today();
    let until = match input
        .until
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(u) if !input.available => {
            let d = validate::parse_date("until", u)?;
            if d < today {
                return Err(ServiceError::invalid("until", "readiness_error.until_past"));
            }
            Some(d.format("%Y-%m-%d").to_string())
        }
        _ => None,
    };
    if !input.available && reason.is_empty() {
        return Err(ServiceError::invalid("reason", "readiness_error.reason"));
    }
    let before = store::availability(&mut c, actor.tenant_id, e.id).await?;
    let out = Availability {
        nip: e.nip.clone(),
        available: input.available,
        until: until.clone(),
        reason: reason.clone(),
        phone: e.phone.clone(),
    };
    // Saying the same again writes nothing and keeps every cache (or anyone could empty the
    // tenant's readiness board at will).
    let same = match &before {
        Some(b) => b.available == input.available && b.until == until && b.reason == reason,
        None => input.available,
    };
    if same {
        return Ok(out);
    }
    store::set_availability(
        &mut c,
        actor.tenant_id,
        e.id,
        input.available,
        until.as_deref(),
        &reason,
        &actor.username,
    )
    .await?;
    c.record(
        "update",
        "availability",
        &e.nip,
        before
            .map(|b| serde_json::json!({"available": b.available, "until": b.until, "reason": b.reason}))
            .as_ref(),
        Some(&serde_json::json!({"available": out.available, "until": out.until, "reason": out.reason})),
    )
    .await?;
    c.finish(&[Topic::Readiness]).await?;
    Ok(out)
}

/// Someone's availability today.
pub async fn availability(db: &Db, actor: &Actor, nip: &str) -> ServiceResult<Availability> {
    let mut c = db.conn().await?;
    let e = crate::actor::visible_row(&mut c, actor, nip).await?;
    availability_of(&mut c, actor.tenant_id, &e).await
}

/// [`availability`] of an employee already found visible.
pub(crate) async fn availability_of(
    c: &mut cakap_store::Conn,
    tenant: i64,
    e: &cakap_store::employees::EmployeeRow,
) -> ServiceResult<Availability> {
    let today = crate::wib::today().format("%Y-%m-%d").to_string();
    let a = store::availability(c, tenant, e.id).await?;
    let away = a
        .as_ref()
        .is_some_and(|a| !a.available && a.until.as_deref().is_none_or(|u| u >= today.as_str()));
    Ok(Availability {
        nip: e.nip.clone(),
        available: !away,
        until: a.as_ref().filter(|_| away).and_then(|a| a.until.clone()),
        reason: a.filter(|_| away).map(|a| a.reason).unwrap_or_default(),
        phone: e.phone.clone(),
    })
}

/// Who is away today, under the actor's scope.
pub async fn away(db: &Db, actor: &Actor) -> ServiceResult<Vec<store::AwayRow>> {
    actor.require_any(READERS)?;
    let mut c = db.conn().await?;
    let today = crate::wib::today().format("%Y-%m-%d").to_string();
    Ok(store::away(&mut c, actor.tenant_id, &actor.unit_scope(), &today).await?)
}
