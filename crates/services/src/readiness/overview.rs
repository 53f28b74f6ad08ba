//! Everything the board page shows beside the map, for one reader's scope and hazard, read
//! once per change and kept (docs/architecture.md, caches): the trend, the certifications
//! expiring soon, who is away, the last drills and, for BKPSDM and the auditor, the last teams.
//! Opening the page then costs the session lookup and the rendering.

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use cakap_store::readiness as store;

use super::{Certification, HazardReadiness, Trend, drills::Drill};
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub struct Overview {
    pub readiness: HazardReadiness,
    pub trend: Trend,
    pub expiring: Vec<Certification>,
    pub away: Vec<store::AwayRow>,
    pub drills: Vec<Drill>,
    /// Empty for those who may not see teams.
    pub teams: Vec<store::TeamRow>,
}

struct Overviews;

impl cache::Spec for Overviews {
    /// (scope, hazard, sees teams)
    type Key = (String, String, bool);
    type Value = Arc<Overview>;
    const TOPICS: &'static [Topic] = &[
        Topic::People,
        Topic::Units,
        Topic::Competencies,
        Topic::Assessments,
        Topic::Readiness,
        Topic::Teams,
    ];
    /// The daily job's snapshot clears nothing: a minute late at most.
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 256;
}

/// The board page's content for the actor and hazard.
pub async fn overview(db: &Db, actor: &Actor, hazard: &str) -> ServiceResult<Arc<Overview>> {
    actor.require_any(super::READERS)?;
    let hazard = super::parse_hazard(hazard)?;
    let teams = matches!(actor.role, Role::Admin | Role::Auditor);
    let key = (actor.unit_scope(), hazard.as_str().to_string(), teams);
    cache::of::<Overviews>(db)
        .get_or_fill(actor.tenant_id, &key, || async {
            let readiness = super::board(db, actor.tenant_id)
                .await?
                .hazards
                .iter()
                .find(|h| h.hazard == hazard.as_str())
                .cloned()
                .ok_or(ServiceError::NotFound)?;
            Ok::<_, ServiceError>(Arc::new(Overview {
                readiness,
                trend: super::trend(db, actor, hazard.as_str()).await?,
                expiring: super::expiring(db, actor, 50).await?,
                away: super::away(db, actor).await?,
                drills: super::drills::list(db, actor, 5).await?,
                teams: if teams {
                    super::teams::recent(db, actor).await?
                } else {
                    Vec::new()
                },
            }))
        })
        .await
}
