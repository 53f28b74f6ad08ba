//! Who is in a class: the participants as each role may see them, and a class's page.
//!
//! A class's enrolments are cached per change (`Rosters`): a class page is opened far more
//! often than anyone enrols, and on PostgreSQL the six-table join was planned anew on each
//! view. Each reader's share is filtered from the cached list.

use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use cakap_store::learning::{self as store, EnrollmentRow};

use super::{Enrollment, Offering};
use crate::cache::{self, Topic};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// The participants of a class: `admin`, the auditor, its instructor; a `pimpinan` sees
/// their own staff in it.
pub async fn participants(db: &Db, actor: &Actor, offering: i64) -> ServiceResult<Vec<Enrollment>> {
    let o = class(db, actor, offering).await?;
    visible(db, actor, &o).await?.ok_or(ServiceError::Forbidden)
}

/// A class's page: the class, and its [`participants`] when the actor may see them (None
/// when [`participants`] would refuse).
pub async fn with_participants(
    db: &Db,
    actor: &Actor,
    offering: i64,
) -> ServiceResult<(Offering, Option<Vec<Enrollment>>)> {
    let o = class(db, actor, offering).await?;
    let people = visible(db, actor, &o).await?;
    Ok((Offering::from(o), people))
}

/// The class with its seats taken, read now (its connection is given back before the roster
/// is read: a cache fill takes one of its own).
async fn class(db: &Db, actor: &Actor, offering: i64) -> ServiceResult<store::OfferingRow> {
    let mut c = db.conn().await?;
    store::offering(&mut c, actor.tenant_id, offering)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The participants of an existing class the actor may see (all, or a `pimpinan`'s staff);
/// None for anyone else.
async fn visible(
    db: &Db,
    actor: &Actor,
    o: &store::OfferingRow,
) -> ServiceResult<Option<Vec<Enrollment>>> {
    let all = matches!(actor.role, Role::Admin | Role::Auditor)
        || (actor.role == Role::Instruktur && o.instructor_id == Some(actor.user_id));
    if !all && actor.role != Role::Pimpinan {
        return Ok(None);
    }
    let tenant = actor.tenant_id;
    let id = o.id;
    let roster = cache::of::<Rosters>(db)
        .get_or_fill(tenant, &id, || async move {
            let mut c = db.conn().await?;
            Ok::<_, ServiceError>(Arc::new(
                store::enrollments_of_offering(&mut c, tenant, id).await?,
            ))
        })
        .await?;
    Ok(Some(
        roster
            .iter()
            .filter(|e| all || actor.sees_employee(e.employee_id, &e.unit_path))
            .cloned()
            .map(Enrollment::from)
            .collect(),
    ))
}

/// A class's enrolments, everyone's, with the name, unit and certificate shown beside each.
struct Rosters;

impl cache::Spec for Rosters {
    type Key = i64;
    type Value = Arc<Vec<EnrollmentRow>>;
    // Enrolments, completions and certificates finish with Learning; names and units are
    // People and Units.
    const TOPICS: &'static [Topic] = &[Topic::Learning, Topic::People, Topic::Units];
    const TTL: Duration = Duration::from_secs(300);
    // A class of the external catalogue can hold thousands: keep a few hundred classes.
    const MAX: usize = 256;
}
