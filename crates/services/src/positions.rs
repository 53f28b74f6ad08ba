//! Positions (jabatan): kind, jenjang and kelas, each in a unit.

use cakap_domain::{Jenjang, PositionKind};
use cakap_store::positions::{self as store, PositionRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::cache::Topic;
use crate::change::Change;
use crate::validate::{self, double_option};
use crate::{Actor, Db, Page, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Position {
    pub id: i64,
    pub name: String,
    /// Code of the unit the position belongs to.
    pub unit: String,
    pub unit_name: String,
    /// `jpt_utama`, `jpt_madya`, `jpt_pratama`, `administrator`, `pengawas`, `pelaksana`,
    /// `fungsional`.
    pub kind: String,
    /// For fungsional: `pemula` … `ahli_utama`.
    pub jenjang: Option<String>,
    /// Kelas jabatan 1–17.
    pub kelas: Option<i64>,
    pub version: i64,
}

impl From<PositionRow> for Position {
    fn from(r: PositionRow) -> Self {
        Position {
            id: r.id,
            name: r.name,
            unit: r.unit_code,
            unit_name: r.unit_name,
            kind: r.kind,
            jenjang: r.jenjang,
            kelas: r.kelas,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewPosition {
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub jenjang: Option<String>,
    pub kelas: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PositionPatch {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub jenjang: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>)]
    pub kelas: Option<Option<i64>>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct PositionQuery {
    /// Only positions of this unit.
    pub unit: Option<String>,
    pub page: Option<i64>,
    /// 1–200, default 50.
    pub per_page: Option<i64>,
}

pub async fn list(db: &Db, actor: &Actor, q: &PositionQuery) -> ServiceResult<Page<Position>> {
    let mut c = db.conn().await?;
    let unit = match q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(code) => Some(
            cakap_store::units::by_code(&mut c, actor.tenant_id, code)
                .await?
                .filter(|u| actor.sees_unit_path(&u.path))
                .ok_or(ServiceError::NotFound)?
                .id,
        ),
        None => None,
    };
    let (page, per_page) = crate::paging(q.page, q.per_page);
    let (rows, total) = store::list(
        &mut c,
        actor.tenant_id,
        &actor.unit_scope(),
        unit,
        per_page,
        (page - 1) * per_page,
    )
    .await?;
    Ok(Page {
        items: rows.into_iter().map(Position::from).collect(),
        total,
        page,
        per_page,
    })
}

pub async fn get(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Position> {
    let mut c = db.conn().await?;
    visible(&mut c, actor, id).await.map(Position::from)
}

async fn visible(c: &mut cakap_store::Conn, actor: &Actor, id: i64) -> ServiceResult<PositionRow> {
    store::by_id(c, actor.tenant_id, id)
        .await?
        .filter(|p| actor.sees_unit_path(&p.unit_path))
        .ok_or(ServiceError::NotFound)
}

/// Kind, jenjang and kelas checked together: a jenjang belongs to fungsional positions only.
pub fn check_kind(
    kind: &str,
    jenjang: Option<&str>,
    kelas: Option<i64>,
) -> ServiceResult<(PositionKind, Option<Jenjang>, Option<i64>)> {
    let kind: PositionKind = kind
        .parse()
        .map_err(|()| ServiceError::invalid("kind", "position.unknown_kind"))?;
    let jenjang = match jenjang.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(j) => Some(
            j.parse::<Jenjang>()
                .map_err(|()| ServiceError::invalid("jenjang", "position.unknown_jenjang"))?,
        ),
    };
    if jenjang.is_some() && kind != PositionKind::Fungsional {
        return Err(ServiceError::invalid(
            "jenjang",
            "position.jenjang_only_fungsional",
        ));
    }
    if kelas.is_some_and(|k| !(1..=17).contains(&k)) {
        return Err(ServiceError::invalid("kelas", "position.kelas_range"));
    }
    Ok((kind, jenjang, kelas))
}

async fn unit_for(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    code: &str,
) -> ServiceResult<cakap_store::units::UnitRow> {
    cakap_store::units::by_code(c, actor.tenant_id, code.trim())
        .await?
        .ok_or_else(|| ServiceError::invalid("unit", "error.unknown_unit"))
}

pub async fn create(db: &Db, actor: &Actor, input: &NewPosition) -> ServiceResult<Position> {
    actor.require_admin()?;
    let name = validate::text("name", &input.name, 200)?;
    let (kind, jenjang, kelas) = check_kind(&input.kind, input.jenjang.as_deref(), input.kelas)?;
    let mut c = Change::begin(db, actor).await?;
    let unit = unit_for(&mut c, actor, &input.unit).await?;
    if store::by_unit_and_name(&mut c, actor.tenant_id, unit.id, &name)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "name" });
    }
    let id = store::insert(
        &mut c,
        actor.tenant_id,
        &store::PositionData {
            unit_id: unit.id,
            name: &name,
            kind: kind.as_str(),
            jenjang: jenjang.map(Jenjang::as_str),
            kelas,
        },
    )
    .await?;
    // A new position starts from the default managerial and sosial-kultural standard.
    let dictionary = cakap_store::competencies::list(&mut c, actor.tenant_id).await?;
    let defaults = crate::requirements::defaults(kind, jenjang, &dictionary);
    let rows: Vec<(i64, i64, i64)> = defaults.iter().map(|(k, l)| (id, *k, *l)).collect();
    cakap_store::requirements::insert_many(&mut c, actor.tenant_id, &rows).await?;
    let position = Position::from(
        store::by_id(&mut c, actor.tenant_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("create", "position", &id.to_string(), None, Some(&position))
        .await?;
    c.finish(&[Topic::Standards]).await?;
    Ok(position)
}

pub async fn update(
    db: &Db,
    actor: &Actor,
    id: i64,
    patch: &PositionPatch,
) -> ServiceResult<Position> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let current = visible(&mut c, actor, id).await?;
    let before = Position::from(current.clone());
    let name = match &patch.name {
        Some(n) => validate::text("name", n, 200)?,
        None => current.name.clone(),
    };
    let (kind, jenjang, kelas) = check_kind(
        patch.kind.as_deref().unwrap_or(&current.kind),
        match &patch.jenjang {
            Some(j) => j.as_deref(),
            None => current.jenjang.as_deref(),
        },
        patch.kelas.unwrap_or(current.kelas),
    )?;
    let unit_id = match &patch.unit {
        Some(code) => unit_for(&mut c, actor, code).await?.id,
        None => current.unit_id,
    };
    // Holders sit in the position's unit: moving it would strand them.
    if unit_id != current.unit_id && store::holders(&mut c, actor.tenant_id, id).await? > 0 {
        return Err(ServiceError::Conflict {
            key: "position.has_holders",
        });
    }
    if let Some(other) = store::by_unit_and_name(&mut c, actor.tenant_id, unit_id, &name).await?
        && other.id != id
    {
        return Err(ServiceError::Duplicate { field: "name" });
    }
    let saved = store::update(
        &mut c,
        actor.tenant_id,
        id,
        patch.version.unwrap_or(current.version),
        &store::PositionData {
            unit_id,
            name: &name,
            kind: kind.as_str(),
            jenjang: jenjang.map(Jenjang::as_str),
            kelas,
        },
    )
    .await?;
    if !saved {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let after = Position::from(
        store::by_id(&mut c, actor.tenant_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record(
        "update",
        "position",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Standards]).await?;
    Ok(after)
}
