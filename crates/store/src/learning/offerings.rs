//! Offerings (classes) and enrolments.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct OfferingRow {
    pub id: i64,
    pub code: String,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub mode: String,
    pub jp: i64,
    pub cost: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub kecamatan: Option<String>,
    pub place: Option<String>,
    pub seats: Option<i64>,
    pub instructor_id: Option<i64>,
    pub instructor: Option<String>,
    pub budget_line: Option<String>,
    pub self_enrol: bool,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::OfferingStatus,
    /// Enrolled or completed.
    pub taken: i64,
    pub waitlisted: i64,
}

pub(super) const OFFERING: &str = "SELECT o.id, o.code, o.course_id, c.code AS course_code, \
    c.title AS course_title, c.mode, c.jp, c.cost, o.starts_on, o.ends_on, o.kecamatan, o.place, \
    o.seats, o.instructor_id, us.username AS instructor, o.budget_line, o.self_enrol, o.status, \
    (SELECT COUNT(*) FROM enrollments en WHERE en.tenant_id = o.tenant_id \
       AND en.offering_id = o.id AND en.status IN ('enrolled', 'completed')) AS taken, \
    (SELECT COUNT(*) FROM enrollments en WHERE en.tenant_id = o.tenant_id \
       AND en.offering_id = o.id AND en.status = 'waitlisted') AS waitlisted \
    FROM offerings o JOIN courses c ON c.tenant_id = o.tenant_id AND c.id = o.course_id \
    LEFT JOIN users us ON us.tenant_id = o.tenant_id AND us.id = o.instructor_id";

/// Offerings of a course (or all), soonest first; `open_only` hides closed ones.
pub async fn offerings(
    c: &mut Conn,
    tenant: i64,
    course: Option<i64>,
    open_only: bool,
) -> Result<Vec<OfferingRow>> {
    // The seats of every class counted in one pass over the enrolments (two subqueries per
    // class were most of the class list's time).
    let mut d = Dynamic::new(
        "SELECT o.id, o.code, o.course_id, c.code AS course_code, \
         c.title AS course_title, c.mode, c.jp, c.cost, o.starts_on, o.ends_on, o.kecamatan, \
         o.place, o.seats, o.instructor_id, us.username AS instructor, o.budget_line, \
         o.self_enrol, o.status, CAST(COALESCE(n.taken, 0) AS BIGINT) AS taken, \
         CAST(COALESCE(n.waitlisted, 0) AS BIGINT) AS waitlisted \
         FROM offerings o JOIN courses c ON c.tenant_id = o.tenant_id AND c.id = o.course_id \
         LEFT JOIN users us ON us.tenant_id = o.tenant_id AND us.id = o.instructor_id \
         LEFT JOIN (SELECT offering_id, \
             SUM(CASE WHEN status IN ('enrolled', 'completed') THEN 1 ELSE 0 END) AS taken, \
             SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted \
           FROM enrollments WHERE tenant_id = ",
    );
    d.push(
        "? GROUP BY offering_id) n ON n.offering_id = o.id",
        [Arg::I64(tenant)],
    );
    d.push(" WHERE o.tenant_id = ?", [Arg::I64(tenant)]);
    if let Some(course) = course {
        d.push(" AND o.course_id = ?", [Arg::I64(course)]);
    }
    if open_only {
        d.sql.push_str(" AND o.status = 'open'");
    }
    d.sql.push_str(" ORDER BY o.starts_on, o.code");
    d.fetch_all(c).await
}

pub async fn offering(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<OfferingRow>> {
    Ok(fetch_optional!(
        c,
        OfferingRow,
        sqlx::AssertSqlSafe(format!("{OFFERING} WHERE o.tenant_id = $1 AND o.id = $2")),
        tenant,
        id
    )?)
}

pub async fn offering_by_code(
    c: &mut Conn,
    tenant: i64,
    code: &str,
) -> Result<Option<OfferingRow>> {
    Ok(fetch_optional!(
        c,
        OfferingRow,
        sqlx::AssertSqlSafe(format!("{OFFERING} WHERE o.tenant_id = $1 AND o.code = $2")),
        tenant,
        code
    )?)
}

pub struct OfferingData<'a> {
    pub course_id: i64,
    pub code: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub kecamatan: Option<&'a str>,
    pub place: Option<&'a str>,
    pub seats: Option<i64>,
    pub instructor_id: Option<i64>,
    pub budget_line: Option<&'a str>,
    pub self_enrol: bool,
}

pub async fn insert_offering(c: &mut Conn, tenant: i64, d: &OfferingData<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO offerings (tenant_id, course_id, code, starts_on, ends_on, kecamatan, place, \
         seats, instructor_id, budget_line, self_enrol, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open') RETURNING id",
        tenant,
        d.course_id,
        d.code,
        d.starts_on,
        d.ends_on,
        d.kecamatan,
        d.place,
        d.seats,
        d.instructor_id,
        d.budget_line,
        d.self_enrol
    )?)
}

pub async fn set_offering_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: cakap_domain::status::OfferingStatus,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE offerings SET status = $1 WHERE tenant_id = $2 AND id = $3",
        status.as_str(),
        tenant,
        id
    )?)
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct EnrollmentRow {
    pub id: i64,
    pub offering_id: i64,
    pub offering_code: String,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub mode: String,
    pub starts_on: String,
    pub ends_on: String,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_path: String,
    pub unit_name: String,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::EnrolmentStatus,
    pub attended: bool,
    pub completed_on: Option<String>,
    pub jp: i64,
    pub enrolled_at: i64,
    pub certificate: Option<String>,
}

pub(super) const ENROLLMENT: &str = "SELECT en.id, en.offering_id, o.code AS offering_code, o.course_id, \
    c.code AS course_code, c.title AS course_title, c.mode, o.starts_on, o.ends_on, \
    en.employee_id, e.nip, e.name, u.path AS unit_path, u.name AS unit_name, en.status, \
    en.attended, en.completed_on, en.jp, en.enrolled_at, ce.code AS certificate \
    FROM enrollments en \
    JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
    JOIN courses c ON c.tenant_id = o.tenant_id AND c.id = o.course_id \
    JOIN employees e ON e.tenant_id = en.tenant_id AND e.id = en.employee_id \
    JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
    LEFT JOIN certificates ce ON ce.tenant_id = en.tenant_id AND ce.enrollment_id = en.id";

/// Who an enrolment is for and where it stands: (employee, NIP, name, course, status). A
/// lookup by keys only, cheap enough to run once per completion in a bulk load.
pub async fn holder(
    c: &mut Conn,
    tenant: i64,
    id: i64,
) -> Result<Option<(i64, String, String, i64, String)>> {
    Ok(fetch_optional!(
        c,
        (i64, String, String, i64, String),
        "SELECT en.employee_id, e.nip, e.name, o.course_id, en.status FROM enrollments en \
         JOIN employees e ON e.tenant_id = en.tenant_id AND e.id = en.employee_id \
         JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         WHERE en.tenant_id = $1 AND en.id = $2",
        tenant,
        id
    )?)
}

pub async fn enrollment(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<EnrollmentRow>> {
    Ok(fetch_optional!(
        c,
        EnrollmentRow,
        sqlx::AssertSqlSafe(format!(
            "{ENROLLMENT} WHERE en.tenant_id = $1 AND en.id = $2"
        )),
        tenant,
        id
    )?)
}

/// An employee's enrolments, newest first.
pub async fn enrollments_of_employee(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
) -> Result<Vec<EnrollmentRow>> {
    Ok(fetch_all!(
        c,
        EnrollmentRow,
        sqlx::AssertSqlSafe(format!(
            "{ENROLLMENT} WHERE en.tenant_id = $1 AND en.employee_id = $2 \
             ORDER BY en.enrolled_at DESC, en.id DESC"
        )),
        tenant,
        employee
    )?)
}

/// The participants of an offering: enrolled first, then the waitlist in order.
pub async fn enrollments_of_offering(
    c: &mut Conn,
    tenant: i64,
    offering: i64,
) -> Result<Vec<EnrollmentRow>> {
    Ok(fetch_all!(
        c,
        EnrollmentRow,
        sqlx::AssertSqlSafe(format!(
            "{ENROLLMENT} WHERE en.tenant_id = $1 AND en.offering_id = $2 \
             ORDER BY CASE en.status WHEN 'completed' THEN 0 WHEN 'enrolled' THEN 1 \
             WHEN 'waitlisted' THEN 2 ELSE 3 END, en.enrolled_at, en.id"
        )),
        tenant,
        offering
    )?)
}

/// The employee's live enrolment in any offering of `course` (enrolled or completed).
pub async fn active_enrollment(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> Result<Option<EnrollmentRow>> {
    Ok(fetch_optional!(
        c,
        EnrollmentRow,
        sqlx::AssertSqlSafe(format!(
            "{ENROLLMENT} WHERE en.tenant_id = $1 AND o.course_id = $2 AND en.employee_id = $3 \
             AND en.status IN ('enrolled', 'completed', 'waitlisted') \
             ORDER BY CASE en.status WHEN 'completed' THEN 0 WHEN 'enrolled' THEN 1 ELSE 2 END, \
             en.id DESC LIMIT 1"
        )),
        tenant,
        course,
        employee
    )?)
}

/// Enrols, or re-enrols after a cancellation (the row is kept: one per offering and person).
pub async fn upsert_enrollment(
    c: &mut Conn,
    tenant: i64,
    offering: i64,
    employee: i64,
    status: cakap_domain::status::EnrolmentStatus,
    by: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO enrollments (tenant_id, offering_id, employee_id, status, enrolled_at, \
         enrolled_by) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (tenant_id, offering_id, employee_id) DO UPDATE SET status = excluded.status, \
         enrolled_at = excluded.enrolled_at, enrolled_by = excluded.enrolled_by RETURNING id",
        tenant,
        offering,
        employee,
        status.as_str(),
        now_ms(),
        by
    )?)
}

pub async fn set_enrollment_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: cakap_domain::status::EnrolmentStatus,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE enrollments SET status = $1 WHERE tenant_id = $2 AND id = $3",
        status.as_str(),
        tenant,
        id
    )?)
}

pub async fn set_attended(c: &mut Conn, tenant: i64, id: i64, attended: bool) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE enrollments SET attended = $1 WHERE tenant_id = $2 AND id = $3",
        attended,
        tenant,
        id
    )?)
}

/// Marks an enrolment completed with its JP, once: false when it already was.
pub async fn complete(c: &mut Conn, tenant: i64, id: i64, on: &str, jp: i64) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE enrollments SET status = 'completed', completed_on = $1, jp = $2 \
         WHERE tenant_id = $3 AND id = $4 AND status = 'enrolled'",
        on,
        jp,
        tenant,
        id
    )? == 1)
}

/// The longest-waiting person on an offering's waitlist.
pub async fn first_waitlisted(c: &mut Conn, tenant: i64, offering: i64) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT id FROM enrollments WHERE tenant_id = $1 AND offering_id = $2 \
         AND status = 'waitlisted' ORDER BY enrolled_at, id LIMIT 1",
        tenant,
        offering
    )?
    .map(|r| r.0))
}
