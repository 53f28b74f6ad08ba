//! Training and e-learning (docs/domain.md#learning): the catalogue and its e-learning content
//! (`catalogue`), classes and enrolment with completion (`offerings`), quizzes graded on the
//! server (`quiz`), other development activities (`activities`), JP and the 20-JP right
//! (`jp`), signed certificates (`certificates`).
//!
//! Who may do what: `admin` (BKPSDM) runs the catalogue and the classes; `instruktur` authors
//! courses, modules and questions and takes attendance in their own classes; a `pimpinan`
//! enrols and approves for their unit's staff; every ASN enrols themself where a class is
//! open, learns, takes quizzes and records their own activities. What a course credits, and
//! who is never credited for it, is guarded in `guards`.

pub mod activities;
pub mod catalogue;
pub mod certificates;
mod guards;
pub mod jp;
pub mod keys;
pub mod markdown;
pub mod offerings;
pub mod quiz;

use cakap_domain::Role;

use crate::{Actor, ServiceError, ServiceResult};

/// Course authors: BKPSDM and the trainers.
pub(crate) fn require_author(actor: &Actor) -> ServiceResult<()> {
    actor.require_any(&[Role::Admin, Role::Instruktur])
}

/// The caller's own employee id: learning is done by a person.
pub(crate) fn own_employee(actor: &Actor) -> ServiceResult<i64> {
    actor.employee_id.ok_or(ServiceError::Forbidden)
}

/// Today in the server's calendar, `YYYY-MM-DD`.
pub(crate) fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// Random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> ServiceResult<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| ServiceError::Internal(format!("random source: {e}")))?;
    Ok(buf)
}

/// What a learning write changed: enrolments and JP always; assessment results too when it
/// completed a course (the completion records the course's target levels).
pub(crate) fn completion(completed: bool) -> &'static [crate::cache::Topic] {
    use crate::cache::Topic;
    // Progress short of a completion (a quiz started, a module read) changes nothing any
    // cache holds: clearing on it would let every learner empty the tenant's caches.
    if completed {
        &[Topic::Learning, Topic::Assessments]
    } else {
        &[]
    }
}
