//! Enrolments: seats and waitlist, attendance, completion and credit.

use super::super::{certificates, guards, own_employee, today};
use crate::cache::Topic;
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};
use cakap_domain::Role;
use cakap_domain::learning::Mode;
use cakap_domain::status::{EnrolmentStatus, OfferingStatus};
use cakap_store::learning::{self as store, CourseRow, EnrollmentRow};
use cakap_store::{Conn, LockSpace, assessments};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Enrollment {
    pub id: i64,
    pub offering: String,
    pub course: String,
    pub course_title: String,
    pub mode: String,
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// `enrolled`, `waitlisted`, `completed` or `cancelled`.
    pub status: String,
    pub attended: bool,
    pub completed_on: Option<String>,
    pub jp: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// Certificate code once completed.
    pub certificate: Option<String>,
}

impl From<EnrollmentRow> for Enrollment {
    fn from(e: EnrollmentRow) -> Enrollment {
        Enrollment {
            id: e.id,
            offering: e.offering_code,
            course: e.course_code,
            course_title: e.course_title,
            mode: e.mode,
            nip: e.nip,
            name: e.name,
            unit: e.unit_name,
            status: e.status.to_string(),
            attended: e.attended,
            completed_on: e.completed_on,
            jp: e.jp,
            starts_on: e.starts_on,
            ends_on: e.ends_on,
            certificate: e.certificate,
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EnrollInput {
    /// Offering (class) code.
    pub offering: String,
    /// Who to enrol; none: the caller. A `pimpinan` enrols their staff, `admin` anyone.
    #[serde(default)]
    pub nips: Vec<String>,
}

/// Most people enrolled in one call.
pub const MAX_BULK: usize = 500;

/// Enrols the caller or the given people. Each gets a seat while there are seats, else a
/// place on the waitlist. Everything is checked first; any refusal and nobody is enrolled.
/// Nobody is enrolled in a course they wrote or teach, and where self-enrolment is off only
/// `admin` enrols themself (a `pimpinan` naming their own NIP is self-enrolment).
pub async fn enroll(db: &Db, actor: &Actor, i: &EnrollInput) -> ServiceResult<Vec<Enrollment>> {
    if i.nips.len() > MAX_BULK {
        return Err(ServiceError::invalid("nips", "assessment.batch_too_large"));
    }
    let mut c = Change::begin(db, actor).await?;
    let found = store::offering_by_code(&mut c, actor.tenant_id, i.offering.trim())
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Seats are counted under the offering's lock, so two people cannot take the last one.
    c.lock(LockSpace::Offering, found.id).await?;
    let o = store::offering(&mut c, actor.tenant_id, found.id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if o.status != OfferingStatus::Open {
        return Err(ServiceError::Conflict {
            key: "learning.offering_closed",
        });
    }
    let mut people = Vec::new();
    let mut named: Vec<(i64, String)> = Vec::new();
    if i.nips.is_empty() {
        let employee = own_employee(actor)?;
        if !o.self_enrol && actor.role != Role::Admin {
            return Err(ServiceError::Conflict {
                key: "learning.no_self_enrol",
            });
        }
        people.push(employee);
    } else {
        if !matches!(actor.role, Role::Admin | Role::Pimpinan) {
            return Err(ServiceError::Forbidden);
        }
        for nip in &i.nips {
            // Outside the caller's unit reads as unknown: a pimpinan cannot probe NIPs.
            let e = crate::actor::visible_row(&mut c, actor, nip)
                .await
                .map_err(|e| match e {
                    ServiceError::NotFound => ServiceError::Invalid {
                        field: "nips",
                        key: "error.unknown_nip",
                        args: vec![("value", nip.chars().take(40).collect())],
                    },
                    other => other,
                })?;
            if actor.employee_id == Some(e.id) && !o.self_enrol && actor.role != Role::Admin {
                return Err(ServiceError::Conflict {
                    key: "learning.no_self_enrol",
                });
            }
            if !people.contains(&e.id) {
                people.push(e.id);
                named.push((e.id, e.nip.clone()));
            }
        }
    }
    // One enrolment per course and person, checked under the learner's lock.
    let mut locked = people.clone();
    locked.sort_unstable();
    for employee in &locked {
        c.lock(LockSpace::Learner, *employee).await?;
    }
    let mut out = Vec::new();
    let mut taken = o.taken;
    for employee in people {
        if let Some(existing) =
            store::active_enrollment(&mut c, actor.tenant_id, o.course_id, employee).await?
        {
            // Enrolling twice is harmless for oneself; in bulk it names the person.
            if i.nips.is_empty() {
                return Ok(vec![existing.into()]);
            }
            return Err(ServiceError::Invalid {
                field: "nips",
                key: "learning.already_enrolled",
                args: vec![("value", existing.nip)],
            });
        }
        if guards::is_staff(&mut c, actor.tenant_id, o.course_id, employee).await? {
            if i.nips.is_empty() {
                return Err(ServiceError::Conflict {
                    key: "learning.own_course",
                });
            }
            let nip = named
                .iter()
                .find(|(id, _)| *id == employee)
                .map(|(_, nip)| nip.clone())
                .unwrap_or_default();
            return Err(ServiceError::Invalid {
                field: "nips",
                key: "learning.own_course_nip",
                args: vec![("value", nip)],
            });
        }
        let missing =
            store::missing_prerequisites(&mut c, actor.tenant_id, o.course_id, employee).await?;
        if let Some(p) = missing.first() {
            return Err(ServiceError::Invalid {
                field: "offering",
                key: "learning.prerequisite_missing",
                args: vec![("value", format!("{} {}", p.code, p.title))],
            });
        }
        let status = if o.seats.is_some_and(|s| taken >= s) {
            EnrolmentStatus::Waitlisted
        } else {
            taken += 1;
            EnrolmentStatus::Enrolled
        };
        let id = store::upsert_enrollment(
            &mut c,
            actor.tenant_id,
            o.id,
            employee,
            status,
            &actor.username,
        )
        .await?;
        let e: Enrollment = store::enrollment(&mut c, actor.tenant_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?
            .into();
        c.record("create", "enrollment", &id.to_string(), None, Some(&e))
            .await?;
        out.push(e);
    }
    c.finish(&[Topic::Learning]).await?;
    Ok(out)
}

/// The enrolment if the caller may act on it: its learner, `admin`, the `pimpinan` over the
/// learner, the class's instructor.
pub(super) async fn visible_enrollment(
    c: &mut Conn,
    actor: &Actor,
    id: i64,
) -> ServiceResult<EnrollmentRow> {
    let e = store::enrollment(c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let ok = actor.sees_employee(e.employee_id, &e.unit_path)
        || (actor.role == Role::Instruktur && instructs(c, actor, e.offering_id).await?);
    if ok {
        Ok(e)
    } else {
        Err(ServiceError::NotFound)
    }
}

pub(super) async fn instructs(c: &mut Conn, actor: &Actor, offering: i64) -> ServiceResult<bool> {
    Ok(store::offering(c, actor.tenant_id, offering)
        .await?
        .is_some_and(|o| o.instructor_id == Some(actor.user_id)))
}

/// Cancels an enrolment that is not completed; the first on the waitlist takes the seat.
pub async fn cancel(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Enrollment> {
    let mut c = Change::begin(db, actor).await?;
    let seen = visible_enrollment(&mut c, actor, id).await?;
    // The learner, BKPSDM, or the head over the learner; nobody else (the auditor reads).
    let may = actor.employee_id == Some(seen.employee_id)
        || actor.role == Role::Admin
        || (actor.role == Role::Pimpinan && actor.sees_employee(seen.employee_id, &seen.unit_path));
    if !may {
        return Err(ServiceError::Forbidden);
    }
    c.lock(LockSpace::Offering, seen.offering_id).await?;
    let e = store::enrollment(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !e.status.cancellable() {
        return Err(ServiceError::Conflict {
            key: "learning.not_cancellable",
        });
    }
    let before: Enrollment = e.clone().into();
    store::set_enrollment_status(&mut c, actor.tenant_id, id, EnrolmentStatus::Cancelled).await?;
    if e.status == EnrolmentStatus::Enrolled
        && let Some(next) = store::first_waitlisted(&mut c, actor.tenant_id, e.offering_id).await?
    {
        store::set_enrollment_status(&mut c, actor.tenant_id, next, EnrolmentStatus::Enrolled)
            .await?;
        c.record(
            "update",
            "enrollment",
            &next.to_string(),
            Some(&serde_json::json!({"status": "waitlisted"})),
            Some(&serde_json::json!({"status": "enrolled"})),
        )
        .await?;
    }
    let after = Enrollment {
        status: "cancelled".into(),
        ..before.clone()
    };
    c.record(
        "update",
        "enrollment",
        &id.to_string(),
        Some(&before),
        Some(&after),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    Ok(after)
}

/// The caller's own enrolments (the learner dashboard).
pub async fn mine(db: &Db, actor: &Actor) -> ServiceResult<Vec<Enrollment>> {
    let Some(employee) = actor.employee_id else {
        return Ok(Vec::new());
    };
    let mut c = db.conn().await?;
    Ok(
        store::enrollments_of_employee(&mut c, actor.tenant_id, employee)
            .await?
            .into_iter()
            .map(Enrollment::from)
            .collect(),
    )
}

/// Records attendance (`admin` or the class's instructor); completes klasikal courses.
/// Returns the enrolment after the change.
pub async fn set_attendance(
    db: &Db,
    actor: &Actor,
    id: i64,
    attended: bool,
) -> ServiceResult<Enrollment> {
    let mut c = Change::begin(db, actor).await?;
    let seen = store::enrollment(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    c.lock(LockSpace::Learner, seen.employee_id).await?;
    let e = store::enrollment(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Nobody marks their own attendance: it would credit their own JP.
    let allowed = actor.may_decide_on(e.employee_id, &e.nip)
        && (actor.role == Role::Admin
            || (actor.role == Role::Instruktur && instructs(&mut c, actor, e.offering_id).await?));
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    if e.status != EnrolmentStatus::Enrolled && e.status != EnrolmentStatus::Completed {
        return Err(ServiceError::Conflict {
            key: "learning.not_enrolled",
        });
    }
    if e.status == EnrolmentStatus::Completed && !attended {
        return Err(ServiceError::Conflict {
            key: "learning.already_completed",
        });
    }
    store::set_attended(&mut c, actor.tenant_id, id, attended).await?;
    crate::audit::record(
        &mut c,
        actor,
        "update",
        "enrollment",
        &id.to_string(),
        Some(&serde_json::json!({"attended": e.attended})),
        Some(&serde_json::json!({"attended": attended})),
    )
    .await?;
    let fresh = store::enrollment(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let completed = try_complete(&mut c, actor, &fresh).await?;
    let out = store::enrollment(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    // Attendance is on the class's roster (cached, `participants`) even when it completes
    // nothing; only BKPSDM and the instructor record it, so no learner can clear caches here.
    c.finish(if completed {
        &[Topic::Learning, Topic::Assessments]
    } else {
        &[Topic::Learning]
    })
    .await?;
    Ok(out.into())
}

/// What is still missing for a course to be completed.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Requirements {
    pub modules_done: i64,
    pub modules_total: i64,
    pub quiz_needed: bool,
    pub quiz_passed: bool,
    pub attendance_needed: bool,
    pub attended: bool,
}

impl Requirements {
    pub fn met(&self) -> bool {
        self.modules_done >= self.modules_total
            && (!self.quiz_needed || self.quiz_passed)
            && (!self.attendance_needed || self.attended)
    }
}

pub(super) async fn requirements(
    c: &mut Conn,
    tenant: i64,
    e: &EnrollmentRow,
) -> ServiceResult<Requirements> {
    let course = store::course_by_id(c, tenant, e.course_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    requirements_of(c, tenant, e, &course, None).await
}

/// What completion needs of this enrolment; `quiz_passed` when the caller already knows.
pub(super) async fn requirements_of(
    c: &mut Conn,
    tenant: i64,
    e: &EnrollmentRow,
    course: &CourseRow,
    quiz_passed: Option<bool>,
) -> ServiceResult<Requirements> {
    let mode: Mode = course.mode.parse().unwrap_or(Mode::Klasikal);
    if !mode.needs_modules() {
        return Ok(requirements_from(e, course, 0, false));
    }
    let done = store::done_modules(c, tenant, e.employee_id, course.id)
        .await?
        .len() as i64;
    let passed = match quiz_passed {
        Some(p) => p,
        None => store::attempts_of(c, tenant, course.id, e.employee_id)
            .await?
            .iter()
            .any(|a| a.passed == Some(true)),
    };
    Ok(requirements_from(e, course, done, passed))
}

/// What completion needs of this enrolment, from what was already read of it: the modules
/// its learner finished and whether they passed the quiz (both unused in classroom modes).
pub(crate) fn requirements_from(
    e: &EnrollmentRow,
    course: &CourseRow,
    modules_done: i64,
    quiz_passed: bool,
) -> Requirements {
    let mode: Mode = course.mode.parse().unwrap_or(Mode::Klasikal);
    let mut r = Requirements {
        attendance_needed: mode.needs_attendance(),
        attended: e.attended,
        ..Requirements::default()
    };
    if mode.needs_modules() {
        r.modules_total = course.modules;
        r.modules_done = modules_done;
        r.quiz_needed = course.questions > 0;
        r.quiz_passed = quiz_passed;
    }
    r
}

/// Completes an enrolment whose requirements are now all met: JP, `course` assessments,
/// certificate. Inside the caller's transaction; true when it completed just now.
pub(crate) async fn try_complete(
    c: &mut Conn,
    actor: &Actor,
    e: &EnrollmentRow,
) -> ServiceResult<bool> {
    if e.status != EnrolmentStatus::Enrolled {
        return Ok(false);
    }
    let course = store::course_by_id(c, actor.tenant_id, e.course_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    complete_if_met(c, actor, e, &course, None).await
}

/// [`try_complete`] with the course already read and, from a quiz just passed, its result.
pub(crate) async fn complete_if_met(
    c: &mut Conn,
    actor: &Actor,
    e: &EnrollmentRow,
    course: &CourseRow,
    quiz_passed: Option<bool>,
) -> ServiceResult<bool> {
    let tenant = actor.tenant_id;
    if e.status != EnrolmentStatus::Enrolled
        || !requirements_of(c, tenant, e, course, quiz_passed)
            .await?
            .met()
    {
        return Ok(false);
    }
    credit(c, actor, e, course, &today()).await
}

/// Credits a completion on `on`: JP on the enrolment, `course` assessments where the course
/// raises a level, the certificate, the audit entry. False when it was already completed.
async fn credit(
    c: &mut Conn,
    actor: &Actor,
    e: &EnrollmentRow,
    course: &CourseRow,
    on: &str,
) -> ServiceResult<bool> {
    let tenant = actor.tenant_id;
    // Whoever wrote or teaches the course is never credited for it; the step that would
    // complete it is refused as a whole.
    guards::refuse_staff(c, tenant, course.id, e.employee_id).await?;
    // The JP are kept on the enrolment (and the levels as assessments, both in the signed
    // certificate): a later edit of the course never changes what was credited.
    if !store::complete(c, tenant, e.id, on, course.jp).await? {
        return Ok(false);
    }
    for k in store::course_competencies(c, tenant, course.id).await? {
        let results =
            store::counting_results(c, tenant, e.employee_id, k.competency_id, on).await?;
        if effective_level(&results, on).is_some_and(|b| i64::from(b.get()) >= k.level) {
            continue;
        }
        let note = format!("{} {}", course.code, course.title);
        assessments::insert(
            c,
            tenant,
            &assessments::NewAssessment {
                employee_id: e.employee_id,
                competency_id: k.competency_id,
                competency_version: k.version,
                level: k.level,
                method: "course",
                assessed_on: on,
                valid_until: None,
                assessor: Some(&e.offering_code),
                note: Some(&note),
                created_by: &actor.username,
            },
        )
        .await?;
    }
    let code = certificates::issue(c, tenant, &e.into(), course, on).await?;
    crate::audit::record(
        c,
        actor,
        "complete",
        "enrollment",
        &e.id.to_string(),
        Some(&serde_json::json!({"status": e.status})),
        Some(&serde_json::json!({"status": "completed", "jp": course.jp, "certificate": code})),
    )
    .await?;
    Ok(true)
}

/// The code of the offering that holds a course's completions reported by other platforms
/// (an xAPI statement, a Moodle report): closed, never open for enrolment.
pub fn external_offering_code(course_code: &str) -> String {
    format!("{course_code}-LUAR")
}

/// What a completion reported by another platform did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum External {
    Credited,
    /// The course was completed already: nothing changes.
    Already,
    /// The person wrote or teaches the course: never credited for it.
    Staff,
}

/// Completes `course` for an employee from a completion reported by another platform on
/// `on`: their open enrolment if they have one, else an enrolment in the course's external
/// offering (made on first use, closed). Inside the caller's transaction. A waitlisted
/// enrolment in a class stays as it is; the class's own rules decide it later.
pub(crate) async fn complete_external(
    c: &mut Conn,
    actor: &Actor,
    course: &CourseRow,
    employee_id: i64,
    on: &str,
) -> ServiceResult<External> {
    let tenant = actor.tenant_id;
    if guards::is_staff(c, tenant, course.id, employee_id).await? {
        return Ok(External::Staff);
    }
    let existing = store::active_enrollment(c, tenant, course.id, employee_id).await?;
    let enrollment = match existing {
        Some(e) if e.status == EnrolmentStatus::Completed => return Ok(External::Already),
        Some(e) if e.status == EnrolmentStatus::Enrolled => e,
        _ => {
            let offering = external_offering(c, actor, course, on).await?;
            let id = store::upsert_enrollment(
                c,
                tenant,
                offering,
                employee_id,
                EnrolmentStatus::Enrolled,
                &actor.username,
            )
            .await?;
            store::enrollment(c, tenant, id)
                .await?
                .ok_or(ServiceError::NotFound)?
        }
    };
    Ok(if credit(c, actor, &enrollment, course, on).await? {
        External::Credited
    } else {
        External::Already
    })
}

/// The course's external offering (`CODE-LUAR`), made closed on first use and audited. A
/// class of another course holding that code is refused, never enrolled into.
async fn external_offering(
    c: &mut Conn,
    actor: &Actor,
    course: &CourseRow,
    on: &str,
) -> ServiceResult<i64> {
    let tenant = actor.tenant_id;
    let code = external_offering_code(&course.code);
    if let Some(o) = store::offering_by_code(c, tenant, &code).await? {
        return if o.course_id == course.id {
            Ok(o.id)
        } else {
            Err(ServiceError::Conflict {
                key: "learning.external_offering",
            })
        };
    }
    let id = store::insert_offering(
        c,
        tenant,
        &store::OfferingData {
            course_id: course.id,
            code: &code,
            starts_on: on,
            ends_on: on,
            kecamatan: None,
            place: None,
            seats: None,
            instructor_id: None,
            budget_line: None,
            self_enrol: false,
        },
    )
    .await?;
    store::set_offering_status(c, tenant, id, OfferingStatus::Closed).await?;
    crate::audit::record(
        c,
        actor,
        "create",
        "offering",
        &code,
        None,
        Some(&serde_json::json!({"course": course.code, "status": "closed", "external": true})),
    )
    .await?;
    Ok(id)
}

/// An enrolment with what is still needed, for the learner's course page.
pub async fn status(db: &Db, actor: &Actor, id: i64) -> ServiceResult<(Enrollment, Requirements)> {
    let mut c = db.conn().await?;
    let e = visible_enrollment(&mut c, actor, id).await?;
    let r = requirements(&mut c, actor.tenant_id, &e).await?;
    Ok((e.into(), r))
}

/// The caller's enrolment in a course, if any, with what is still needed.
pub async fn in_course(
    db: &Db,
    actor: &Actor,
    course: i64,
) -> ServiceResult<Option<(Enrollment, Requirements)>> {
    let Some(employee) = actor.employee_id else {
        return Ok(None);
    };
    let mut c = db.conn().await?;
    match store::active_enrollment(&mut c, actor.tenant_id, course, employee).await? {
        Some(e) => {
            let r = requirements(&mut c, actor.tenant_id, &e).await?;
            Ok(Some((e.into(), r)))
        }
        None => Ok(None),
    }
}

/// The prerequisites `employee` still lacks for a course, "CODE Title" each.
pub(crate) async fn missing_of(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> ServiceResult<Vec<String>> {
    Ok(store::missing_prerequisites(c, tenant, course, employee)
        .await?
        .into_iter()
        .map(|p| format!("{} {}", p.code, p.title))
        .collect())
}

/// The effective level on `on` of stored results, by the domain's one rule.
pub(super) fn effective_level(
    results: &[store::ResultRow],
    on: &str,
) -> Option<cakap_domain::Level> {
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let list: Vec<cakap_domain::competency::Assessment> = results
        .iter()
        .filter_map(|r| {
            Some(cakap_domain::competency::Assessment {
                level: cakap_domain::Level::new(r.level).ok()?,
                method: r.method.parse().ok()?,
                assessed_on: day(&r.assessed_on)?,
                valid_until: r.valid_until.as_deref().and_then(day),
            })
        })
        .collect();
    cakap_domain::competency::effective_level(&list, day(on)?)
}
