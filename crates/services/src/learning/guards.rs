//! Guards on learning credit (security review, issue 12): who may change what a course
//! credits, who is never credited for a course, what the audit log may hold of a question,
//! and how much one person may upload.
//!
//! - A course's JP, mode, competency target levels and pass mark decide what everyone who
//!   completes it is credited. Only `admin` changes them, or the course's creator while
//!   nobody has enrolled yet.
//! - Whoever wrote any part of a course (its creator and every later editor of the course,
//!   its modules, files or questions) or teaches one of its classes is never enrolled in it
//!   nor credited for it: they know its answers and could raise its credit.
//! - What was credited is never rewritten: the JP are kept on the enrolment, the levels as
//!   `course` assessments and both in the signed certificate, all at completion.

use cakap_domain::Role;
use cakap_domain::learning::Mode;
use cakap_store::Conn;
use cakap_store::learning as store;

use super::catalogue::Question;
use crate::{Actor, ServiceError, ServiceResult};

/// What a course credits, before or after an edit — and what decides whether a learner
/// passes it: more attempts, or a looser review, after a learner has seen the keys on their
/// last attempt would hand them the answers.
pub(crate) struct Credit<'a> {
    pub jp: i64,
    pub mode: Mode,
    pub pass_mark: i64,
    /// (competency id, target level).
    pub targets: &'a [(i64, i64)],
    pub max_attempts: i64,
    pub review: &'a str,
}

/// Refuses an edit that changes what a course credits (JP, mode, targets, pass mark, attempts,
/// review), unless the caller is `admin`, or created the course and nobody has enrolled in it
/// yet. Names the first field changed.
pub(crate) async fn check_credit_change(
    c: &mut Conn,
    actor: &Actor,
    course: &store::CourseRow,
    before: &Credit<'_>,
    after: &Credit<'_>,
) -> ServiceResult<()> {
    let mut old_targets = before.targets.to_vec();
    let mut new_targets = after.targets.to_vec();
    old_targets.sort_unstable();
    new_targets.sort_unstable();
    let changed = if before.jp != after.jp {
        "jp"
    } else if before.mode != after.mode {
        "mode"
    } else if old_targets != new_targets {
        "competencies"
    } else if before.pass_mark != after.pass_mark {
        "pass_mark"
    } else if before.max_attempts != after.max_attempts {
        "max_attempts"
    } else if before.review != after.review {
        "review"
    } else {
        return Ok(());
    };
    if actor.role == Role::Admin {
        return Ok(());
    }
    let creator = course.created_by == Some(actor.user_id);
    if creator && store::course_enrollments(c, actor.tenant_id, course.id).await? == 0 {
        return Ok(());
    }
    Err(ServiceError::invalid(changed, "learning.credit_admin_only"))
}

/// Whether the employee wrote part of the course or teaches one of its classes.
pub(crate) async fn is_staff(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> ServiceResult<bool> {
    Ok(store::is_course_staff(c, tenant, course, employee).await?)
}

/// Refuses to credit a course to someone who wrote or teaches it.
pub(crate) async fn refuse_staff(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> ServiceResult<()> {
    if is_staff(c, tenant, course, employee).await? {
        return Err(ServiceError::Conflict {
            key: "learning.own_course",
        });
    }
    Ok(())
}

/// Whether the caller may read a course's question bank with its keys: `admin`, its authors
/// and the trainers of its classes. Any other trainer could otherwise read the keys of a
/// course and then take it.
pub(crate) async fn may_read_keys(c: &mut Conn, actor: &Actor, course: i64) -> ServiceResult<bool> {
    match actor.role {
        Role::Admin => Ok(true),
        Role::Instruktur => Ok(
            store::is_course_author(c, actor.tenant_id, course, actor.user_id).await?
                || store::offerings(c, actor.tenant_id, Some(course), false)
                    .await?
                    .iter()
                    .any(|o| o.instructor_id == Some(actor.user_id)),
        ),
        _ => Ok(false),
    }
}

/// A question as the audit log keeps it: everything but the right answer (its kind only).
pub(crate) fn audited_question(q: &Question) -> serde_json::Value {
    serde_json::json!({
        "id": q.id,
        "position": q.position,
        "kind": q.kind,
        "prompt": q.prompt,
        "options": q.options,
        "answer": {"kind": q.kind, "redacted": true},
        "points": q.points,
    })
}
