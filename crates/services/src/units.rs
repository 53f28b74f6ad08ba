//! Units (OPD and sub-units) as a tree, each with its kecamatan.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use cakap_store::units::{self as store, UnitRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::validate::{self, double_option};
use crate::{Actor, Db, Page, ServiceError, ServiceResult};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// Code of the parent unit; null for an OPD at the top.
    pub parent: Option<String>,
    /// Kemendagri kecamatan code, e.g. `11.12.01`.
    pub kecamatan: Option<String>,
    /// Depth in the tree (0 for an OPD); for indenting.
    pub depth: usize,
    /// Optimistic-concurrency version: send it back with a PATCH.
    pub version: i64,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Unit {
            depth: r.path.matches('/').count().saturating_sub(2),
            code: r.code,
            name: r.name,
            parent: r.parent_code,
            kecamatan: r.kecamatan,
            version: r.version,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub kecamatan: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct UnitPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub parent: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub kecamatan: Option<Option<String>>,
    pub version: Option<i64>,
}

type Tree = Arc<Vec<UnitRow>>;

/// The tenant's unit tree, kept 30 s: it is read on almost every page (filters, forms) and
/// changes rarely. Changes made through this server refresh it at once; another server
/// behind the same database sees them within the time to live.
struct UnitTree;

impl cache::Spec for UnitTree {
    type Key = ();
    type Value = Tree;
    const TOPICS: &'static [Topic] = &[Topic::Units];
    const TTL: Duration = Duration::from_secs(30);
    const MAX: usize = 1_000;
}

/// Every unit of the tenant in tree order, from memory when fresh.
pub async fn tree(db: &Db, tenant: i64) -> ServiceResult<Tree> {
    cache::of::<UnitTree>(db)
        .get_or_fill(tenant, &(), || async {
            let mut c = db.conn().await?;
            Ok(Arc::new(store::list(&mut c, tenant, "").await?))
        })
        .await
}

/// Kecamatan per unit path, inherited from the nearest ancestor that names one (DOMAIN §12:
/// where a person works is their unit's kecamatan, or its nearest ancestor's).
pub fn kecamatan_by_path(tree: &[UnitRow]) -> HashMap<&str, Option<&str>> {
    let mut kecamatan: HashMap<&str, Option<&str>> = HashMap::with_capacity(tree.len());
    let mut by_depth: Vec<&UnitRow> = tree.iter().collect();
    by_depth.sort_by_key(|u| u.path.len());
    for u in by_depth {
        let parent = u
            .path
            .strip_suffix('/')
            .and_then(|p| p.rfind('/'))
            .map(|i| &u.path[..=i]);
        let inherited = parent.and_then(|p| kecamatan.get(p).copied().flatten());
        kecamatan.insert(u.path.as_str(), u.kecamatan.as_deref().or(inherited));
    }
    kecamatan
}

/// The units the actor may see, in tree order.
pub async fn list(db: &Db, actor: &Actor) -> ServiceResult<Page<Unit>> {
    let scope = actor.unit_scope();
    let items: Vec<Unit> = tree(db, actor.tenant_id)
        .await?
        .iter()
        .filter(|u| u.path.starts_with(&scope))
        .cloned()
        .map(Unit::from)
        .collect();
    let total = items.len() as i64;
    Ok(Page {
        items,
        total,
        page: 1,
        per_page: total.max(1),
    })
}

pub async fn get(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Unit> {
    tree(db, actor.tenant_id)
        .await?
        .iter()
        .find(|u| u.code == code && actor.sees_unit_path(&u.path))
        .cloned()
        .map(Unit::from)
        .ok_or(ServiceError::NotFound)
}

/// The unit path a query looks under: the subtree of `unit` when the actor sees it, or the
/// actor's whole scope when no unit is named.
pub async fn scope(db: &Db, actor: &Actor, unit: Option<&str>) -> ServiceResult<String> {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        None => Ok(actor.unit_scope()),
        Some(code) => Ok(cached(db, actor, code).await?.path),
    }
}

/// A unit in the actor's scope, from the cached tree (another unit or tenant answers "not
/// found"). For reads: a change reads the unit it is about on its own connection.
pub(crate) async fn cached(db: &Db, actor: &Actor, code: &str) -> ServiceResult<UnitRow> {
    let code = code.trim();
    tree(db, actor.tenant_id)
        .await?
        .iter()
        .find(|u| u.code == code && actor.sees_unit_path(&u.path))
        .cloned()
        .ok_or(ServiceError::NotFound)
}

async fn visible(c: &mut cakap_store::Conn, actor: &Actor, code: &str) -> ServiceResult<UnitRow> {
    store::by_code(c, actor.tenant_id, code)
        .await?
        .filter(|u| actor.sees_unit_path(&u.path))
        .ok_or(ServiceError::NotFound)
}

async fn parent(
    c: &mut cakap_store::Conn,
    actor: &Actor,
    code: Option<&str>,
) -> ServiceResult<Option<UnitRow>> {
    match code.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(code) => store::by_code(c, actor.tenant_id, code)
            .await?
            .map(Some)
            .ok_or_else(|| ServiceError::invalid("parent", "error.unknown_unit")),
    }
}

pub async fn create(db: &Db, actor: &Actor, input: &NewUnit) -> ServiceResult<Unit> {
    actor.require_admin()?;
    let code = validate::code("code", &input.code)?;
    let name = validate::text("name", &input.name, 200)?;
    let kecamatan = validate::kecamatan(input.kecamatan.as_deref())?;
    let mut c = Change::begin(db, actor).await?;
    c.lock_tenant_tree(actor.tenant_id).await?;
    if store::by_code(&mut c, actor.tenant_id, &code)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "code" });
    }
    let parent = parent(&mut c, actor, input.parent.as_deref()).await?;
    let id = store::insert(
        &mut c,
        actor.tenant_id,
        &store::NewUnit {
            code: &code,
            name: &name,
            parent: parent.as_ref().map(|p| (p.id, p.path.as_str())),
            kecamatan: kecamatan.as_deref(),
        },
    )
    .await?;
    let unit = Unit::from(
        store::by_id(&mut c, actor.tenant_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("create", "unit", &code, None, Some(&unit)).await?;
    c.finish(&[Topic::Units]).await?;
    Ok(unit)
}

pub async fn update(db: &Db, actor: &Actor, code: &str, patch: &UnitPatch) -> ServiceResult<Unit> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    c.lock_tenant_tree(actor.tenant_id).await?;
    let current = visible(&mut c, actor, code).await?;
    let before = Unit::from(current.clone());
    let name = match &patch.name {
        Some(n) => validate::text("name", n, 200)?,
        None => current.name.clone(),
    };
    let kecamatan = match &patch.kecamatan {
        Some(k) => validate::kecamatan(k.as_deref())?,
        None => current.kecamatan.clone(),
    };
    let parent = match &patch.parent {
        Some(p) => parent(&mut c, actor, p.as_deref()).await?,
        None => match current.parent_id {
            Some(id) => store::by_id(&mut c, actor.tenant_id, id).await?,
            None => None,
        },
    };
    if parent
        .as_ref()
        .is_some_and(|p| p.path.starts_with(&current.path))
    {
        return Err(ServiceError::invalid("parent", "unit.parent_cycle"));
    }
    let version = patch.version.unwrap_or(current.version);
    let saved = store::update(
        &mut c,
        actor.tenant_id,
        &current,
        version,
        &store::UnitUpdate {
            name: &name,
            parent: parent.as_ref().map(|p| (p.id, p.path.as_str())),
            kecamatan: kecamatan.as_deref(),
        },
    )
    .await?;
    if !saved {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let after = Unit::from(
        store::by_id(&mut c, actor.tenant_id, current.id)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("update", "unit", code, Some(&before), Some(&after))
        .await?;
    c.finish(&[Topic::Units]).await?;
    Ok(after)
}

/// Deletes a unit that has no sub-units, positions or employees.
pub async fn delete(db: &Db, actor: &Actor, code: &str) -> ServiceResult<()> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    c.lock_tenant_tree(actor.tenant_id).await?;
    let current = visible(&mut c, actor, code).await?;
    if store::dependents(&mut c, actor.tenant_id, current.id).await? > 0 {
        return Err(ServiceError::Conflict { key: "unit.in_use" });
    }
    store::delete(&mut c, actor.tenant_id, current.id).await?;
    let before = Unit::from(current);
    c.record("delete", "unit", code, Some(&before), None)
        .await?;
    c.finish(&[Topic::Units]).await?;
    Ok(())
}
