//! The competency dictionary (PermenPANRB 38/2017): read side. Editing and versioning come
//! with the competency-core capability.

use cakap_store::competencies as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Actor, Db, Page, ServiceResult};

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
