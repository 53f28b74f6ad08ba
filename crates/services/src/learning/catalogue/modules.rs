//! Course modules: Markdown content, order, progress.

use super::super::{markdown, own_employee, require_author};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};
use cakap_domain::status::EnrolmentStatus;
use cakap_store::Conn;
use cakap_store::learning::{self as store};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::*;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Module {
    pub id: i64,
    pub course: String,
    pub position: i64,
    pub title: String,
    pub minutes: i64,
    /// Sanitised HTML of the module text.
    pub html: String,
    /// The author's Markdown (authors only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markdown: Option<String>,
    /// Whether the caller has finished it.
    pub done: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ModuleInput {
    pub title: String,
    /// Markdown; images may come from the course's files (`/learn/files/{id}`), links may
    /// go anywhere over http(s). HTML is sanitised.
    pub markdown: String,
    #[serde(default)]
    pub minutes: i64,
}

/// Authors and the auditor read every course's module text; others only when enrolled.
pub(super) fn reads_every_course(actor: &Actor) -> bool {
    require_author(actor).is_ok() || actor.role == cakap_domain::Role::Auditor
}

/// Whether the caller may read a course's module text: its authors, the auditor, and
/// whoever is enrolled (or has completed it).
pub(super) async fn may_read(c: &mut Conn, actor: &Actor, course: i64) -> ServiceResult<bool> {
    if reads_every_course(actor) {
        return Ok(true);
    }
    let Some(employee) = actor.employee_id else {
        return Ok(false);
    };
    let enrolment = store::active_enrollment(c, actor.tenant_id, course, employee).await?;
    Ok(may_read_with(actor, enrolment.as_ref()))
}

/// [`may_read`] with the caller's enrolment in the course already read.
pub(super) fn may_read_with(actor: &Actor, enrolment: Option<&store::EnrollmentRow>) -> bool {
    reads_every_course(actor) || enrolment.is_some_and(|e| e.status.active())
}

/// The modules of a course with the caller's progress; text only for those who may read it.
pub async fn modules(db: &Db, actor: &Actor, code: &str) -> ServiceResult<Vec<Module>> {
    let mut c = db.conn().await?;
    let course = row(&mut c, actor, code).await?;
    let readable = may_read(&mut c, actor, course.id).await?;
    let done = match actor.employee_id {
        Some(e) => store::done_modules(&mut c, actor.tenant_id, e, course.id).await?,
        None => Vec::new(),
    };
    modules_of(&mut c, actor.tenant_id, &course, readable, &done).await
}

/// A course's modules as its page lists them: text only when `readable`, `done` the ids of
/// those the caller finished.
pub(super) async fn modules_of(
    c: &mut Conn,
    tenant: i64,
    course: &CourseRow,
    readable: bool,
    done: &[i64],
) -> ServiceResult<Vec<Module>> {
    Ok(store::modules(c, tenant, course.id)
        .await?
        .into_iter()
        .map(|m| Module {
            id: m.id,
            course: course.code.clone(),
            position: m.position,
            title: m.title,
            minutes: m.minutes,
            html: if readable { m.html } else { String::new() },
            markdown: None,
            done: done.contains(&m.id),
        })
        .collect())
}

/// One module to read (enrolled learners, authors, the auditor).
pub async fn module(db: &Db, actor: &Actor, id: i64) -> ServiceResult<(Course, Module)> {
    let mut c = db.conn().await?;
    let m = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let course = by_id(&mut c, actor, m.course_id).await?;
    if !may_read(&mut c, actor, course.id).await? {
        return Err(ServiceError::Forbidden);
    }
    let done = match actor.employee_id {
        Some(e) => store::done_modules(&mut c, actor.tenant_id, e, course.id)
            .await?
            .contains(&m.id),
        None => false,
    };
    let author = require_author(actor).is_ok();
    let out = Module {
        id: m.id,
        course: course.code.clone(),
        position: m.position,
        title: m.title,
        minutes: m.minutes,
        html: m.html,
        markdown: author.then_some(m.body),
        done,
    };
    Ok((course, out))
}

pub(super) fn check_module(i: &ModuleInput) -> ServiceResult<(String, String)> {
    let title = validate::text("title", &i.title, 200)?;
    if i.markdown.len() > 200_000 {
        return Err(ServiceError::Invalid {
            field: "markdown",
            key: "error.too_long",
            args: vec![("max", "200000".into())],
        });
    }
    if !(0..=6000).contains(&i.minutes) {
        return Err(ServiceError::invalid("minutes", "learning.minutes_range"));
    }
    Ok((title, markdown::to_html(&i.markdown)))
}

pub async fn add_module(
    db: &Db,
    actor: &Actor,
    code: &str,
    i: &ModuleInput,
) -> ServiceResult<Module> {
    require_author(actor)?;
    let (title, html) = check_module(i)?;
    let mut c = Change::begin(db, actor).await?;
    let course = row(&mut c, actor, code).await?;
    let d = store::ModuleData {
        title: &title,
        body: &i.markdown,
        html: &html,
        minutes: i.minutes,
    };
    let id = store::insert_module(&mut c, actor.tenant_id, course.id, &d).await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    reindex(&mut c, actor.tenant_id, course.id).await?;
    let m = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let out = Module {
        id,
        course: course.code.clone(),
        position: m.position,
        title,
        minutes: i.minutes,
        html,
        markdown: Some(i.markdown.clone()),
        done: false,
    };
    c.record("create", "module", &id.to_string(), None, Some(&out))
        .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

pub async fn update_module(
    db: &Db,
    actor: &Actor,
    id: i64,
    i: &ModuleInput,
) -> ServiceResult<Module> {
    require_author(actor)?;
    let (title, html) = check_module(i)?;
    let mut c = Change::begin(db, actor).await?;
    let before = store::module(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let course = by_id(&mut c, actor, before.course_id).await?;
    let d = store::ModuleData {
        title: &title,
        body: &i.markdown,
        html: &html,
        minutes: i.minutes,
    };
    store::update_module(&mut c, actor.tenant_id, id, &d).await?;
    store::add_course_author(&mut c, actor.tenant_id, course.id, actor.user_id).await?;
    reindex(&mut c, actor.tenant_id, course.id).await?;
    let out = Module {
        id,
        course: course.code,
        position: before.position,
        title,
        minutes: i.minutes,
        html,
        markdown: Some(i.markdown.clone()),
        done: false,
    };
    c.record(
        "update",
        "module",
        &id.to_string(),
        Some(&serde_json::json!({"title": before.title, "markdown": before.body})),
        Some(&serde_json::json!({"title": out.title, "markdown": i.markdown})),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// Marks a module read by the caller; completes the course when that was the last step.
/// Returns whether the course is now completed.
pub async fn mark_done(db: &Db, actor: &Actor, module: i64) -> ServiceResult<bool> {
    let employee = own_employee(actor)?;
    let mut c = Change::begin(db, actor).await?;
    // Progress of one learner is written one at a time, so two last modules sent together
    // (after reading offline) cannot both miss the completion.
    c.lock(cakap_store::LockSpace::Learner, employee).await?;
    let m = store::module(&mut c, actor.tenant_id, module)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let enrollment = store::active_enrollment(&mut c, actor.tenant_id, m.course_id, employee)
        .await?
        .filter(|e| e.status.active())
        .ok_or(ServiceError::Forbidden)?;
    store::mark_done(&mut c, actor.tenant_id, employee, module).await?;
    let completed = super::super::offerings::try_complete(&mut c, actor, &enrollment).await?;
    c.finish(super::super::completion(completed)).await?;
    Ok(completed || enrollment.status == EnrolmentStatus::Completed)
}
