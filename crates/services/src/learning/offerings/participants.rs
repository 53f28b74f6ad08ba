//! Who is in a class: the participants as each role may see them, and a class's page read on
//! one connection.

use cakap_domain::Role;
use cakap_store::Conn;
use cakap_store::learning as store;

use super::{Enrollment, Offering};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// The participants of a class: `admin`, the auditor, its instructor; a `pimpinan` sees
/// their own staff in it.
pub async fn participants(db: &Db, actor: &Actor, offering: i64) -> ServiceResult<Vec<Enrollment>> {
    let mut c = db.conn().await?;
    let o = store::offering(&mut c, actor.tenant_id, offering)
        .await?
        .ok_or(ServiceError::NotFound)?;
    participants_on(&mut c, actor, &o)
        .await?
        .ok_or(ServiceError::Forbidden)
}

/// A class's page: the class, and its [`participants`] when the actor may see them (None
/// when [`participants`] would refuse), on one connection.
pub async fn with_participants(
    db: &Db,
    actor: &Actor,
    offering: i64,
) -> ServiceResult<(Offering, Option<Vec<Enrollment>>)> {
    let mut c = db.conn().await?;
    let o = store::offering(&mut c, actor.tenant_id, offering)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let people = participants_on(&mut c, actor, &o).await?;
    Ok((Offering::from(o), people))
}

/// The participants of an existing class the actor may see (all, or a `pimpinan`'s staff);
/// None for anyone else.
async fn participants_on(
    c: &mut Conn,
    actor: &Actor,
    o: &store::OfferingRow,
) -> ServiceResult<Option<Vec<Enrollment>>> {
    let all = matches!(actor.role, Role::Admin | Role::Auditor)
        || (actor.role == Role::Instruktur && o.instructor_id == Some(actor.user_id));
    if !all && actor.role != Role::Pimpinan {
        return Ok(None);
    }
    Ok(Some(
        store::enrollments_of_offering(c, actor.tenant_id, o.id)
            .await?
            .into_iter()
            .filter(|e| all || actor.sees_employee(e.employee_id, &e.unit_path))
            .map(Enrollment::from)
            .collect(),
    ))
}
