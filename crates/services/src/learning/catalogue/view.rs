//! Everything a course's page shows its reader, read on one connection (docs/architecture.md,
//! "Fast pages"): the course, its modules with the reader's progress, the reader's enrolment
//! and what it still needs, prerequisites they lack, their quiz attempts, and the course's
//! open classes from the per-change cache.

use std::sync::Arc;

use cakap_store::learning::{self as store, AttemptRow};

use super::modules::{may_read_with, modules_of};
use super::{Course, Module, full, row};
use crate::learning::offerings::{self, Enrollment, Offering, Requirements};
use crate::{Actor, Db, ServiceResult};

/// The course page's reading.
pub struct CourseView {
    pub course: Course,
    /// Text only for those who may read it.
    pub modules: Vec<Module>,
    /// The reader's enrolment in the course, if any, with what completion still needs.
    pub enrolment: Option<(Enrollment, Requirements)>,
    /// Prerequisites the reader still lacks, "CODE Title" each.
    pub missing: Vec<String>,
    /// The reader's quiz attempts, oldest first.
    pub attempts: Vec<AttemptRow>,
    /// The course's open classes.
    pub offerings: Arc<Vec<Offering>>,
}

/// The course `code` as its page shows it to `actor`; 404 as [`super::get`] when the course
/// is retired and the reader is no author.
pub async fn view(db: &Db, actor: &Actor, code: &str) -> ServiceResult<CourseView> {
    let tenant = actor.tenant_id;
    let (view_without_classes, id) = {
        let mut c = db.conn().await?;
        let course = row(&mut c, actor, code).await?;
        let id = course.id;
        let (enrolment, done, attempts, missing) = match actor.employee_id {
            Some(e) => (
                store::active_enrollment(&mut c, tenant, id, e).await?,
                store::done_modules(&mut c, tenant, e, id).await?,
                store::attempts_of(&mut c, tenant, id, e).await?,
                offerings::missing_of(&mut c, tenant, id, e).await?,
            ),
            None => Default::default(),
        };
        let readable = may_read_with(actor, enrolment.as_ref());
        let modules = modules_of(&mut c, tenant, &course, readable, &done).await?;
        let passed = attempts.iter().any(|a| a.passed == Some(true));
        let enrolment = enrolment.map(|e| {
            let needs = offerings::requirements_from(&e, &course, done.len() as i64, passed);
            (Enrollment::from(e), needs)
        });
        let course = full(&mut c, tenant, course).await?;
        (
            CourseView {
                course,
                modules,
                enrolment,
                missing,
                attempts,
                offerings: Arc::default(),
            },
            id,
        )
    };
    // The connection is back in the pool before a cache fill may need one.
    let offerings = offerings::listed(db, tenant, Some(id), true).await?;
    Ok(CourseView {
        offerings,
        ..view_without_classes
    })
}
