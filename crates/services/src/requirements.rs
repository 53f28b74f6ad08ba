//! Position standards: which level of which competency a position requires
//! (PermenPANRB 38/2017). New positions start from the default managerial and sosial-kultural
//! levels of their kind (docs/domain.md#default-levels).

use std::collections::HashSet;

use cakap_domain::{Jenjang, Level, PositionKind};
use cakap_store::{competencies, positions, requirements as store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
pub struct RequirementItem {
    /// Competency code, e.g. `M.01`.
    pub competency: String,
    /// Required level 1–5.
    pub level: i64,
}

async fn visible_position(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<positions::PositionRow> {
    positions::by_id(c, actor.tenant_id, id)
        .await?
        .filter(|p| actor.sees_unit_path(&p.unit_path))
        .ok_or(ServiceError::NotFound)
}

pub async fn get(db: &Db, actor: &Actor, position: i64) -> ServiceResult<Vec<RequirementItem>> {
    let mut c = db.conn().await?;
    visible_position(&mut c, actor, position).await?;
    get_in(&mut c, actor, position).await
}

/// Replaces the whole set (`admin`). Every competency must exist, once, at level 1–5.
pub async fn put(
    db: &Db,
    actor: &Actor,
    position: i64,
    items: &[RequirementItem],
) -> ServiceResult<Vec<RequirementItem>> {
    actor.require_admin()?;
    let mut seen = HashSet::new();
    for item in items {
        Level::new(item.level).map_err(|e| ServiceError::domain("level", &e))?;
        if !seen.insert(item.competency.trim().to_string()) {
            return Err(ServiceError::Invalid {
                field: "competency",
                key: "competency.duplicate_in_set",
                args: vec![("value", item.competency.clone())],
            });
        }
    }
    let mut c = Change::begin(db, actor).await?;
    visible_position(&mut c, actor, position).await?;
    let before = get_in(&mut c, actor, position).await?;
    let mut set = Vec::with_capacity(items.len());
    for item in items {
        let k = competencies::by_code(&mut c, actor.tenant_id, item.competency.trim())
            .await?
            .filter(|k| k.active)
            .ok_or_else(|| ServiceError::Invalid {
                field: "competency",
                key: "error.unknown_competency",
                args: vec![("value", item.competency.clone())],
            })?;
        set.push((k.id, item.level));
    }
    store::replace(&mut c, actor.tenant_id, position, &set).await?;
    let after = get_in(&mut c, actor, position).await?;
    c.record(
        "update",
        "requirements",
        &position.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Standards]).await?;
    Ok(after)
}

/// Gives position `to` the standard of position `from` (`admin`), replacing its own.
pub async fn copy(
    db: &Db,
    actor: &Actor,
    to: i64,
    from: i64,
) -> ServiceResult<Vec<RequirementItem>> {
    actor.require_admin()?;
    let items = get(db, actor, from).await.map_err(|e| match e {
        ServiceError::NotFound => ServiceError::invalid("from", "error.unknown_position"),
        e => e,
    })?;
    put(db, actor, to, &items).await
}

async fn get_in(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    position: i64,
) -> ServiceResult<Vec<RequirementItem>> {
    Ok(store::of_position(c, actor.tenant_id, position)
        .await?
        .into_iter()
        .map(|r| RequirementItem {
            competency: r.code,
            level: r.level,
        })
        .collect())
}

/// The default standard of a new position: every managerial and sosial-kultural competency
/// of the dictionary at the level its kind (and jenjang) calls for.
pub fn defaults(
    kind: PositionKind,
    jenjang: Option<Jenjang>,
    dictionary: &[competencies::CompetencyRow],
) -> Vec<(i64, i64)> {
    let level = i64::from(kind.default_required_level(jenjang));
    dictionary
        .iter()
        .filter(|k| k.active && (k.kind == "manajerial" || k.kind == "sosial_kultural"))
        .map(|k| (k.id, level))
        .collect()
}
