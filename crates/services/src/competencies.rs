//! The competency dictionary (PermenPANRB 38/2017): a descriptor per level, versioned on
//! every change, retired rather than deleted.

use cakap_store::competencies as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, Page, ServiceError, ServiceResult, validate};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Competency {
    pub code: String,
    pub name: String,
    /// `teknis`, `manajerial` or `sosial_kultural`.
    pub kind: String,
    /// The descriptor of each level, 1 to 5.
    pub descriptors: Vec<String>,
    /// Needed in a disaster response (crisis-readiness roster).
    pub crisis: bool,
    pub active: bool,
    pub version: i64,
}

impl From<store::CompetencyRow> for Competency {
    fn from(r: store::CompetencyRow) -> Self {
        Competency {
            code: r.code,
            name: r.name,
            kind: r.kind,
            descriptors: vec![r.level1, r.level2, r.level3, r.level4, r.level5],
            crisis: r.crisis,
            active: r.active,
            version: r.version,
        }
    }
}

/// The whole dictionary: every role may read it.
pub async fn list(db: &Db, actor: &Actor) -> ServiceResult<Page<Competency>> {
    let mut c = db.conn().await?;
    let items: Vec<Competency> = store::list(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(Competency::from)
        .collect();
    let total = items.len() as i64;
    Ok(Page {
        items,
        total,
        page: 1,
        per_page: total.max(1),
    })
}

/// (code, name) of the active competencies, in dictionary order: a form's select, without
/// the descriptors [`list`] reads.
pub async fn active_names(db: &Db, actor: &Actor) -> ServiceResult<Vec<(String, String)>> {
    let mut c = db.conn().await?;
    Ok(store::active_names(&mut c, actor.tenant_id).await?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewCompetency {
    pub code: String,
    pub name: String,
    /// `teknis`, `manajerial` or `sosial_kultural`.
    pub kind: String,
    /// Exactly five: the descriptor of levels 1 to 5.
    pub descriptors: Vec<String>,
    #[serde(default)]
    pub crisis: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CompetencyPatch {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub descriptors: Option<Vec<String>>,
    pub crisis: Option<bool>,
    /// `false` retires the competency: it stays in history but can no longer be required
    /// or assessed.
    pub active: Option<bool>,
    pub version: Option<i64>,
}

pub(crate) fn check_kind(kind: &str) -> ServiceResult<&'static str> {
    kind.parse::<cakap_domain::competency::CompetencyKind>()
        .map(|k| k.as_str())
        .map_err(|()| ServiceError::invalid("kind", "competency.unknown_kind"))
}

pub(crate) fn check_descriptors(d: &[String]) -> ServiceResult<Vec<String>> {
    if d.len() != 5 {
        return Err(ServiceError::Invalid {
            field: "descriptors",
            key: "competency.five_descriptors",
            args: vec![("found", d.len().to_string())],
        });
    }
    d.iter()
        .map(|s| validate::text("descriptors", s, 1000))
        .collect()
}

pub async fn get(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Competency> {
    let mut c = db.conn().await?;
    store::by_code(&mut c, actor.tenant_id, code)
        .await?
        .map(Competency::from)
        .ok_or(ServiceError::NotFound)
}

/// Adds a competency to the dictionary (`admin`).
pub async fn create(db: &Db, actor: &Actor, input: &NewCompetency) -> ServiceResult<Competency> {
    actor.require_admin()?;
    let code = validate::code("code", &input.code)?;
    let name = validate::text("name", &input.name, 200)?;
    let kind = check_kind(&input.kind)?;
    let d = check_descriptors(&input.descriptors)?;
    let mut c = Change::begin(db, actor).await?;
    if store::by_code(&mut c, actor.tenant_id, &code)
        .await?
        .is_some()
    {
        return Err(ServiceError::Duplicate { field: "code" });
    }
    let position = 200 + store::list(&mut c, actor.tenant_id).await?.len() as i64;
    store::insert(
        &mut c,
        actor.tenant_id,
        &store::NewCompetency {
            code: &code,
            name: &name,
            kind,
            crisis: input.crisis,
            descriptors: [&d[0], &d[1], &d[2], &d[3], &d[4]],
            position,
        },
    )
    .await?;
    let created = Competency::from(
        store::by_code(&mut c, actor.tenant_id, &code)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("create", "competency", &code, None, Some(&created))
        .await?;
    c.finish(&[Topic::Competencies]).await?;
    Ok(created)
}

/// Changes a competency as a new version (`admin`); the old one is kept in the history.
pub async fn update(
    db: &Db,
    actor: &Actor,
    code: &str,
    patch: &CompetencyPatch,
) -> ServiceResult<Competency> {
    actor.require_admin()?;
    let mut c = Change::begin(db, actor).await?;
    let current = store::by_code(&mut c, actor.tenant_id, code)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let before = Competency::from(current.clone());
    let name = match &patch.name {
        Some(n) => validate::text("name", n, 200)?,
        None => current.name.clone(),
    };
    let kind = check_kind(patch.kind.as_deref().unwrap_or(&current.kind))?;
    let d = match &patch.descriptors {
        Some(d) => check_descriptors(d)?,
        None => before.descriptors.clone(),
    };
    let saved = store::update(
        &mut c,
        actor.tenant_id,
        &current,
        patch.version.unwrap_or(current.version),
        &store::CompetencyData {
            name: &name,
            kind,
            crisis: patch.crisis.unwrap_or(current.crisis),
            descriptors: [&d[0], &d[1], &d[2], &d[3], &d[4]],
            active: patch.active.unwrap_or(current.active),
        },
        &actor.username,
    )
    .await?;
    if !saved {
        return Err(ServiceError::Conflict { key: "error.stale" });
    }
    let after = Competency::from(
        store::by_code(&mut c, actor.tenant_id, code)
            .await?
            .ok_or(ServiceError::NotFound)?,
    );
    c.record("update", "competency", code, Some(&before), Some(&after))
        .await?;
    c.finish(&[Topic::Competencies]).await?;
    Ok(after)
}
