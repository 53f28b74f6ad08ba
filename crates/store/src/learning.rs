//! Training and e-learning: courses and their modules, files and questions; offerings and
//! enrolments; module progress; quiz attempts; other development activities; certificates.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

// ---------------------------------------------------------------- courses

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct CourseRow {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub description: String,
    pub jalur: String,
    pub mode: String,
    pub jp: i64,
    pub cost: i64,
    pub pass_mark: i64,
    pub time_limit: Option<i64>,
    pub max_attempts: i64,
    pub review: String,
    pub active: bool,
    pub modules: i64,
    pub questions: i64,
    /// The user who created it (none for courses older than the record).
    pub created_by: Option<i64>,
}

const COURSE: &str = "SELECT c.id, c.code, c.title, c.description, c.jalur, c.mode, c.jp, c.cost, \
    c.pass_mark, c.time_limit, c.max_attempts, c.review, c.active, c.created_by, \
    (SELECT COUNT(*) FROM course_modules m WHERE m.tenant_id = c.tenant_id AND m.course_id = c.id) AS modules, \
    (SELECT COUNT(*) FROM questions q WHERE q.tenant_id = c.tenant_id AND q.course_id = c.id) AS questions \
    FROM courses c";

/// Courses whose search text holds every term (as a word start), newest code order.
pub async fn courses(
    c: &mut Conn,
    tenant: i64,
    terms: &[String],
    mode: Option<&str>,
    include_inactive: bool,
    limit: i64,
    offset: i64,
) -> Result<(Vec<CourseRow>, i64)> {
    let mut filter = Dynamic::new(" WHERE c.tenant_id = $1");
    filter.args.push(Arg::I64(tenant));
    for t in terms {
        filter.push(
            " AND c.search_text LIKE ? ESCAPE '\\'",
            [Arg::Text(format!("% {}%", like_escape(t)))],
        );
    }
    if let Some(m) = mode {
        filter.push(" AND c.mode = ?", [Arg::Text(m.into())]);
    }
    if !include_inactive {
        filter.sql.push_str(" AND c.active = TRUE");
    }
    let mut count = Dynamic::new("SELECT COUNT(*) FROM courses c");
    count.sql.push_str(&filter.sql);
    count.args = filter.args.clone();
    let total = count.fetch_i64(c).await?;
    let mut list = Dynamic::new(COURSE);
    list.sql.push_str(&filter.sql);
    list.args = filter.args;
    list.push(
        " ORDER BY c.title, c.id LIMIT ? OFFSET ?",
        [Arg::I64(limit), Arg::I64(offset)],
    );
    Ok((list.fetch_all(c).await?, total))
}

pub async fn course(c: &mut Conn, tenant: i64, code: &str) -> Result<Option<CourseRow>> {
    Ok(fetch_optional!(
        c,
        CourseRow,
        sqlx::AssertSqlSafe(format!("{COURSE} WHERE c.tenant_id = $1 AND c.code = $2")),
        tenant,
        code
    )?)
}

pub async fn course_by_id(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<CourseRow>> {
    Ok(fetch_optional!(
        c,
        CourseRow,
        sqlx::AssertSqlSafe(format!("{COURSE} WHERE c.tenant_id = $1 AND c.id = $2")),
        tenant,
        id
    )?)
}

pub struct CourseData<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub jalur: &'a str,
    pub mode: &'a str,
    pub jp: i64,
    pub cost: i64,
    pub pass_mark: i64,
    pub time_limit: Option<i64>,
    pub max_attempts: i64,
    pub review: &'a str,
    pub active: bool,
}

pub async fn insert_course(c: &mut Conn, tenant: i64, d: &CourseData<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO courses (tenant_id, code, title, description, jalur, mode, jp, cost, \
         pass_mark, time_limit, max_attempts, review, active, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        tenant,
        d.code,
        d.title,
        d.description,
        d.jalur,
        d.mode,
        d.jp,
        d.cost,
        d.pass_mark,
        d.time_limit,
        d.max_attempts,
        d.review,
        d.active,
        now_ms()
    )?)
}

pub async fn update_course(c: &mut Conn, tenant: i64, id: i64, d: &CourseData<'_>) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE courses SET title = $1, description = $2, jalur = $3, mode = $4, jp = $5, \
         cost = $6, pass_mark = $7, time_limit = $8, max_attempts = $9, review = $10, \
         active = $11, updated_at = $12 WHERE tenant_id = $13 AND id = $14",
        d.title,
        d.description,
        d.jalur,
        d.mode,
        d.jp,
        d.cost,
        d.pass_mark,
        d.time_limit,
        d.max_attempts,
        d.review,
        d.active,
        now_ms(),
        tenant,
        id
    )?)
}

/// Records who created a course; they are also its first author.
pub async fn set_course_creator(c: &mut Conn, tenant: i64, course: i64, user: i64) -> Result<()> {
    execute!(
        c,
        "UPDATE courses SET created_by = $1 WHERE tenant_id = $2 AND id = $3",
        user,
        tenant,
        course
    )?;
    add_course_author(c, tenant, course, user).await
}

/// Records that a user wrote part of a course (once).
pub async fn add_course_author(c: &mut Conn, tenant: i64, course: i64, user: i64) -> Result<()> {
    execute!(
        c,
        "INSERT INTO course_authors (tenant_id, course_id, user_id) VALUES ($1, $2, $3) \
         ON CONFLICT (tenant_id, course_id, user_id) DO NOTHING",
        tenant,
        course,
        user
    )?;
    Ok(())
}

/// Whether a user wrote part of a course.
pub async fn is_course_author(c: &mut Conn, tenant: i64, course: i64, user: i64) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM course_authors \
         WHERE tenant_id = $1 AND course_id = $2 AND user_id = $3",
        tenant,
        course,
        user
    )? > 0)
}

/// Whether an employee, through any of their accounts, wrote part of a course or teaches one
/// of its classes.
pub async fn is_course_staff(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM users u WHERE u.tenant_id = $1 AND u.employee_id = $3 AND ( \
           EXISTS (SELECT 1 FROM course_authors ca WHERE ca.tenant_id = u.tenant_id \
             AND ca.course_id = $2 AND ca.user_id = u.id) \
           OR EXISTS (SELECT 1 FROM offerings o WHERE o.tenant_id = u.tenant_id \
             AND o.course_id = $2 AND o.instructor_id = u.id))",
        tenant,
        course,
        employee
    )? > 0)
}

/// Enrolments in any class of a course, whatever their status.
pub async fn course_enrollments(c: &mut Conn, tenant: i64, course: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM enrollments en \
         JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         WHERE en.tenant_id = $1 AND o.course_id = $2",
        tenant,
        course
    )?)
}

pub async fn set_search_text(c: &mut Conn, tenant: i64, id: i64, text: &str) -> Result<()> {
    execute!(
        c,
        "UPDATE courses SET search_text = $1 WHERE tenant_id = $2 AND id = $3",
        text,
        tenant,
        id
    )?;
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct CourseCompetency {
    pub competency_id: i64,
    pub code: String,
    pub name: String,
    /// The dictionary version in force (results name it).
    pub version: i64,
    pub level: i64,
}

pub async fn course_competencies(
    c: &mut Conn,
    tenant: i64,
    course: i64,
) -> Result<Vec<CourseCompetency>> {
    Ok(fetch_all!(
        c,
        CourseCompetency,
        "SELECT cc.competency_id, k.code, k.name, k.version, cc.level FROM course_competencies cc \
         JOIN competencies k ON k.tenant_id = cc.tenant_id AND k.id = cc.competency_id \
         WHERE cc.tenant_id = $1 AND cc.course_id = $2 ORDER BY k.code",
        tenant,
        course
    )?)
}

/// Replaces the competencies a course develops, with the level it brings them to.
pub async fn set_course_competencies(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    items: &[(i64, i64)],
) -> Result<()> {
    execute!(
        c,
        "DELETE FROM course_competencies WHERE tenant_id = $1 AND course_id = $2",
        tenant,
        course
    )?;
    for (competency, level) in items {
        execute!(
            c,
            "INSERT INTO course_competencies (tenant_id, course_id, competency_id, level) \
             VALUES ($1, $2, $3, $4)",
            tenant,
            course,
            competency,
            level
        )?;
    }
    Ok(())
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct CourseRef {
    pub id: i64,
    pub code: String,
    pub title: String,
}

pub async fn prerequisites(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<CourseRef>> {
    Ok(fetch_all!(
        c,
        CourseRef,
        "SELECT c.id, c.code, c.title FROM course_prerequisites p \
         JOIN courses c ON c.tenant_id = p.tenant_id AND c.id = p.prerequisite_id \
         WHERE p.tenant_id = $1 AND p.course_id = $2 ORDER BY c.code",
        tenant,
        course
    )?)
}

pub async fn set_prerequisites(c: &mut Conn, tenant: i64, course: i64, ids: &[i64]) -> Result<()> {
    execute!(
        c,
        "DELETE FROM course_prerequisites WHERE tenant_id = $1 AND course_id = $2",
        tenant,
        course
    )?;
    for id in ids {
        execute!(
            c,
            "INSERT INTO course_prerequisites (tenant_id, course_id, prerequisite_id) \
             VALUES ($1, $2, $3)",
            tenant,
            course,
            id
        )?;
    }
    Ok(())
}

/// Prerequisites of `course` the employee has not completed.
pub async fn missing_prerequisites(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> Result<Vec<CourseRef>> {
    Ok(fetch_all!(
        c,
        CourseRef,
        "SELECT c.id, c.code, c.title FROM course_prerequisites p \
         JOIN courses c ON c.tenant_id = p.tenant_id AND c.id = p.prerequisite_id \
         WHERE p.tenant_id = $1 AND p.course_id = $2 AND NOT EXISTS ( \
           SELECT 1 FROM enrollments en JOIN offerings o \
             ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
           WHERE en.tenant_id = p.tenant_id AND o.course_id = p.prerequisite_id \
             AND en.employee_id = $3 AND en.status = 'completed') \
         ORDER BY c.code",
        tenant,
        course,
        employee
    )?)
}

// ---------------------------------------------------------------- modules and files

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ModuleRow {
    pub id: i64,
    pub course_id: i64,
    pub position: i64,
    pub title: String,
    pub body: String,
    pub html: String,
    pub minutes: i64,
}

const MODULE: &str =
    "SELECT id, course_id, position, title, body, html, minutes FROM course_modules";

pub async fn modules(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<ModuleRow>> {
    Ok(fetch_all!(
        c,
        ModuleRow,
        sqlx::AssertSqlSafe(format!(
            "{MODULE} WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, id"
        )),
        tenant,
        course
    )?)
}

pub async fn module(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<ModuleRow>> {
    Ok(fetch_optional!(
        c,
        ModuleRow,
        sqlx::AssertSqlSafe(format!("{MODULE} WHERE tenant_id = $1 AND id = $2")),
        tenant,
        id
    )?)
}

pub struct ModuleData<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub minutes: i64,
}

pub async fn insert_module(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    d: &ModuleData<'_>,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO course_modules (tenant_id, course_id, position, title, body, html, minutes, \
         updated_at) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules \
         WHERE tenant_id = $1 AND course_id = $2), $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        course,
        d.title,
        d.body,
        d.html,
        d.minutes,
        now_ms()
    )?)
}

pub async fn update_module(c: &mut Conn, tenant: i64, id: i64, d: &ModuleData<'_>) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE course_modules SET title = $1, body = $2, html = $3, minutes = $4, \
         updated_at = $5 WHERE tenant_id = $6 AND id = $7",
        d.title,
        d.body,
        d.html,
        d.minutes,
        now_ms(),
        tenant,
        id
    )?)
}

pub struct NewFile<'a> {
    pub filename: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
    pub uploaded_by: i64,
}

pub async fn insert_file(c: &mut Conn, tenant: i64, course: i64, f: &NewFile<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO course_files (tenant_id, course_id, filename, content_type, size, sha256, \
         data, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        tenant,
        course,
        f.filename,
        f.content_type,
        f.data.len() as i64,
        f.sha256,
        f.data,
        f.uploaded_by
    )?)
}

/// (files, bytes) a user has uploaded to courses.
pub async fn uploaded_files(c: &mut Conn, tenant: i64, user: i64) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        c,
        (i64, i64),
        "SELECT COUNT(*), CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM course_files \
         WHERE tenant_id = $1 AND uploaded_by = $2",
        tenant,
        user
    )?
    .unwrap_or((0, 0)))
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct FileRow {
    pub id: i64,
    pub course_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
}

pub async fn files(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<FileRow>> {
    Ok(fetch_all!(
        c,
        FileRow,
        "SELECT id, course_id, filename, content_type, size FROM course_files \
         WHERE tenant_id = $1 AND course_id = $2 ORDER BY id",
        tenant,
        course
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileData {
    pub course_id: i64,
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

pub async fn file(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<FileData>> {
    Ok(fetch_optional!(
        c,
        FileData,
        "SELECT course_id, filename, content_type, data FROM course_files \
         WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}

// ---------------------------------------------------------------- offerings and enrolments

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
    pub status: String,
    /// Enrolled or completed.
    pub taken: i64,
    pub waitlisted: i64,
}

const OFFERING: &str = "SELECT o.id, o.code, o.course_id, c.code AS course_code, \
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
    let mut d = Dynamic::new(OFFERING);
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

pub async fn set_offering_status(c: &mut Conn, tenant: i64, id: i64, status: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE offerings SET status = $1 WHERE tenant_id = $2 AND id = $3",
        status,
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
    pub status: String,
    pub attended: bool,
    pub completed_on: Option<String>,
    pub jp: i64,
    pub enrolled_at: i64,
    pub certificate: Option<String>,
}

const ENROLLMENT: &str = "SELECT en.id, en.offering_id, o.code AS offering_code, o.course_id, \
    c.code AS course_code, c.title AS course_title, c.mode, o.starts_on, o.ends_on, \
    en.employee_id, e.nip, e.name, u.path AS unit_path, u.name AS unit_name, en.status, \
    en.attended, en.completed_on, en.jp, en.enrolled_at, ce.code AS certificate \
    FROM enrollments en \
    JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
    JOIN courses c ON c.tenant_id = o.tenant_id AND c.id = o.course_id \
    JOIN employees e ON e.tenant_id = en.tenant_id AND e.id = en.employee_id \
    JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
    LEFT JOIN certificates ce ON ce.tenant_id = en.tenant_id AND ce.enrollment_id = en.id";

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
    status: &str,
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
        status,
        now_ms(),
        by
    )?)
}

pub async fn set_enrollment_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: &str,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE enrollments SET status = $1 WHERE tenant_id = $2 AND id = $3",
        status,
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

// ---------------------------------------------------------------- progress

pub async fn mark_done(c: &mut Conn, tenant: i64, employee: i64, module: i64) -> Result<()> {
    execute!(
        c,
        "INSERT INTO module_progress (tenant_id, employee_id, module_id, completed_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, employee_id, module_id) DO NOTHING",
        tenant,
        employee,
        module,
        now_ms()
    )?;
    Ok(())
}

/// The modules of `course` the employee has finished.
pub async fn done_modules(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    course: i64,
) -> Result<Vec<i64>> {
    Ok(fetch_all!(
        c,
        (i64,),
        "SELECT p.module_id FROM module_progress p \
         JOIN course_modules m ON m.tenant_id = p.tenant_id AND m.id = p.module_id \
         WHERE p.tenant_id = $1 AND p.employee_id = $2 AND m.course_id = $3",
        tenant,
        employee,
        course
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

/// Per course the employee is enrolled in: modules done of all.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CourseProgress {
    pub course_id: i64,
    pub done: i64,
    pub total: i64,
}

pub async fn progress(c: &mut Conn, tenant: i64, employee: i64) -> Result<Vec<CourseProgress>> {
    Ok(fetch_all!(
        c,
        CourseProgress,
        "SELECT m.course_id, \
         CAST(SUM(CASE WHEN p.module_id IS NULL THEN 0 ELSE 1 END) AS BIGINT) AS done, \
         COUNT(*) AS total \
         FROM course_modules m LEFT JOIN module_progress p ON p.tenant_id = m.tenant_id \
           AND p.module_id = m.id AND p.employee_id = $2 \
         WHERE m.tenant_id = $1 AND m.course_id IN (SELECT o.course_id FROM enrollments en \
           JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
           WHERE en.tenant_id = $1 AND en.employee_id = $2) \
         GROUP BY m.course_id",
        tenant,
        employee
    )?)
}

// ---------------------------------------------------------------- questions and attempts

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub position: i64,
    pub kind: String,
    pub prompt: String,
    /// JSON array of option texts.
    pub options: String,
    /// JSON `AnswerKey`.
    pub answer_key: String,
    pub points: i64,
}

pub async fn questions(c: &mut Conn, tenant: i64, course: i64) -> Result<Vec<QuestionRow>> {
    Ok(fetch_all!(
        c,
        QuestionRow,
        "SELECT id, position, kind, prompt, options, answer_key, points FROM questions \
         WHERE tenant_id = $1 AND course_id = $2 ORDER BY position, id",
        tenant,
        course
    )?)
}

pub struct NewQuestion<'a> {
    pub kind: &'a str,
    pub prompt: &'a str,
    pub options: &'a str,
    pub answer_key: &'a str,
    pub points: i64,
}

pub async fn insert_question(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    q: &NewQuestion<'_>,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO questions (tenant_id, course_id, position, kind, prompt, options, answer_key, \
         points) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM questions \
         WHERE tenant_id = $1 AND course_id = $2), $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        course,
        q.kind,
        q.prompt,
        q.options,
        q.answer_key,
        q.points
    )?)
}

/// Deletes a question no attempt has answered; false otherwise.
pub async fn delete_question(c: &mut Conn, tenant: i64, course: i64, id: i64) -> Result<bool> {
    Ok(execute!(
        c,
        "DELETE FROM questions WHERE tenant_id = $1 AND course_id = $2 AND id = $3 \
         AND NOT EXISTS (SELECT 1 FROM attempt_answers a WHERE a.tenant_id = $1 \
         AND a.question_id = $3)",
        tenant,
        course,
        id
    )? == 1)
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: i64,
    pub course_id: i64,
    pub employee_id: i64,
    pub number: i64,
    pub started_at: i64,
    pub deadline_at: Option<i64>,
    pub submitted_at: Option<i64>,
    pub score: Option<i64>,
    pub passed: Option<bool>,
    pub layout: String,
}

const ATTEMPT: &str = "SELECT id, course_id, employee_id, number, started_at, deadline_at, \
    submitted_at, score, passed, layout FROM quiz_attempts";

pub async fn attempt(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<AttemptRow>> {
    Ok(fetch_optional!(
        c,
        AttemptRow,
        sqlx::AssertSqlSafe(format!("{ATTEMPT} WHERE tenant_id = $1 AND id = $2")),
        tenant,
        id
    )?)
}

pub async fn attempts_of(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    employee: i64,
) -> Result<Vec<AttemptRow>> {
    Ok(fetch_all!(
        c,
        AttemptRow,
        sqlx::AssertSqlSafe(format!(
            "{ATTEMPT} WHERE tenant_id = $1 AND course_id = $2 AND employee_id = $3 ORDER BY number"
        )),
        tenant,
        course,
        employee
    )?)
}

pub async fn insert_attempt(c: &mut Conn, tenant: i64, a: &AttemptRow) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO quiz_attempts (tenant_id, course_id, employee_id, number, started_at, \
         deadline_at, layout) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        tenant,
        a.course_id,
        a.employee_id,
        a.number,
        a.started_at,
        a.deadline_at,
        &a.layout
    )?)
}

pub async fn save_answer(
    c: &mut Conn,
    tenant: i64,
    attempt: i64,
    question: i64,
    answer: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO attempt_answers (tenant_id, attempt_id, question_id, answer) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, attempt_id, question_id) \
         DO UPDATE SET answer = excluded.answer",
        tenant,
        attempt,
        question,
        answer
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AnswerRow {
    pub question_id: i64,
    pub answer: String,
    pub correct: Option<bool>,
}

pub async fn answers(c: &mut Conn, tenant: i64, attempt: i64) -> Result<Vec<AnswerRow>> {
    Ok(fetch_all!(
        c,
        AnswerRow,
        "SELECT question_id, answer, correct FROM attempt_answers \
         WHERE tenant_id = $1 AND attempt_id = $2",
        tenant,
        attempt
    )?)
}

/// Writes the answers of a graded attempt with their marks, in one statement.
pub async fn save_graded_answers(
    c: &mut Conn,
    tenant: i64,
    attempt: i64,
    marks: &[(i64, &str, bool)],
) -> Result<()> {
    if marks.is_empty() {
        return Ok(());
    }
    let mut d = Dynamic::new(
        "INSERT INTO attempt_answers (tenant_id, attempt_id, question_id, answer, correct) VALUES ",
    );
    for (i, (question, answer, correct)) in marks.iter().enumerate() {
        d.push(
            if i == 0 {
                "(?, ?, ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?, ?)"
            },
            [
                Arg::I64(tenant),
                Arg::I64(attempt),
                Arg::I64(*question),
                Arg::Text((*answer).to_string()),
                Arg::Bool(*correct),
            ],
        );
    }
    d.sql.push_str(
        " ON CONFLICT (tenant_id, attempt_id, question_id) DO UPDATE \
         SET answer = excluded.answer, correct = excluded.correct",
    );
    d.execute(c).await?;
    Ok(())
}

/// Records the grade of an attempt not yet submitted; false when it already was (a double
/// submit), so it counts once.
pub async fn submit_attempt(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    score: i64,
    passed: bool,
    at: i64,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE quiz_attempts SET submitted_at = $1, score = $2, passed = $3 \
         WHERE tenant_id = $4 AND id = $5 AND submitted_at IS NULL",
        at,
        score,
        passed,
        tenant,
        id
    )? == 1)
}

// ---------------------------------------------------------------- activities

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ActivityRow {
    pub id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_path: String,
    pub jalur: String,
    pub title: String,
    pub organizer: Option<String>,
    pub started_on: String,
    pub ended_on: String,
    pub hours: Option<f64>,
    pub days: i64,
    pub sessions: i64,
    pub international: bool,
    pub jp: i64,
    pub status: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub evidence_name: Option<String>,
}

const ACTIVITY: &str = "SELECT a.id, a.employee_id, e.nip, e.name, u.path AS unit_path, a.jalur, \
    a.title, a.organizer, a.started_on, a.ended_on, a.hours, a.days, a.sessions, a.international, \
    a.jp, a.status, a.decided_by, a.decision_note, a.evidence_name FROM activities a \
    JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
    JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id";

pub struct NewActivity<'a> {
    pub employee_id: i64,
    pub jalur: &'a str,
    pub title: &'a str,
    pub organizer: Option<&'a str>,
    pub started_on: &'a str,
    pub ended_on: &'a str,
    pub hours: Option<f64>,
    pub days: i64,
    pub sessions: i64,
    pub international: bool,
    pub jp: i64,
    pub status: &'a str,
    pub evidence: Option<(&'a str, &'a str, &'a [u8])>,
}

pub async fn insert_activity(c: &mut Conn, tenant: i64, a: &NewActivity<'_>) -> Result<i64> {
    let (name, ctype, data) = match a.evidence {
        Some((n, t, d)) => (Some(n), Some(t), Some(d)),
        None => (None, None, None),
    };
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO activities (tenant_id, employee_id, jalur, title, organizer, started_on, \
         ended_on, hours, days, sessions, international, jp, status, created_at, evidence_name, \
         evidence_type, evidence, evidence_size) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
         $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        tenant,
        a.employee_id,
        a.jalur,
        a.title,
        a.organizer,
        a.started_on,
        a.ended_on,
        a.hours,
        a.days,
        a.sessions,
        a.international,
        a.jp,
        a.status,
        now_ms(),
        name,
        ctype,
        data,
        data.map_or(0, |d| d.len() as i64)
    )?)
}

pub async fn activity(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<ActivityRow>> {
    Ok(fetch_optional!(
        c,
        ActivityRow,
        sqlx::AssertSqlSafe(format!("{ACTIVITY} WHERE a.tenant_id = $1 AND a.id = $2")),
        tenant,
        id
    )?)
}

/// Activities of one employee, or of everyone under `scope` (with a status), newest first.
pub async fn activities(
    c: &mut Conn,
    tenant: i64,
    employee: Option<i64>,
    scope: &str,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ActivityRow>> {
    let mut d = Dynamic::new(ACTIVITY);
    d.push(" WHERE a.tenant_id = ?", [Arg::I64(tenant)]);
    if let Some(e) = employee {
        d.push(" AND a.employee_id = ?", [Arg::I64(e)]);
    }
    if !scope.is_empty() {
        d.push(" AND u.path LIKE ?", [Arg::Text(format!("{scope}%"))]);
    }
    if let Some(s) = status {
        d.push(" AND a.status = ?", [Arg::Text(s.into())]);
    }
    d.push(
        " ORDER BY a.started_on DESC, a.id DESC LIMIT ?",
        [Arg::I64(limit)],
    );
    d.fetch_all(c).await
}

/// Sessions of coaching or mentoring already counted for the employee in a month (`YYYY-MM`).
pub async fn sessions_in_month(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    jalur: &str,
    month: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COALESCE(SUM(sessions), 0) AS BIGINT) FROM activities \
         WHERE tenant_id = $1 AND employee_id = $2 AND jalur = $3 AND started_on LIKE $4 \
         AND status <> 'rejected'",
        tenant,
        employee,
        jalur,
        format!("{month}%")
    )?)
}

/// Approves or rejects a submitted activity; false when it was decided already.
pub async fn decide_activity(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: &str,
    by: &str,
    note: Option<&str>,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE activities SET status = $1, decided_by = $2, decision_note = $3 \
         WHERE tenant_id = $4 AND id = $5 AND status = 'submitted'",
        status,
        by,
        note,
        tenant,
        id
    )? == 1)
}

/// Attaches (or replaces) the evidence of an activity still waiting for its decision.
pub async fn set_activity_evidence(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    name: &str,
    content_type: &str,
    data: &[u8],
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE activities SET evidence_name = $1, evidence_type = $2, evidence = $3, \
         evidence_size = $4 WHERE tenant_id = $5 AND id = $6 AND status = 'submitted'",
        name,
        content_type,
        data,
        data.len() as i64,
        tenant,
        id
    )? == 1)
}

/// Evidence an employee holds on their activities: (files, bytes), and the bytes of one
/// activity's file (what replacing it frees).
pub async fn evidence_usage(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    replacing: Option<i64>,
) -> Result<(i64, i64, i64)> {
    Ok(fetch_optional!(
        c,
        (i64, i64, i64),
        "SELECT CAST(COALESCE(SUM(CASE WHEN evidence IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(evidence_size), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN id = $3 THEN evidence_size ELSE 0 END), 0) AS BIGINT) \
         FROM activities WHERE tenant_id = $1 AND employee_id = $2",
        tenant,
        employee,
        replacing.unwrap_or(-1)
    )?
    .unwrap_or((0, 0, 0)))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Evidence {
    pub evidence_name: Option<String>,
    pub evidence_type: Option<String>,
    pub evidence: Option<Vec<u8>>,
}

pub async fn activity_evidence(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<Evidence>> {
    Ok(fetch_optional!(
        c,
        Evidence,
        "SELECT evidence_name, evidence_type, evidence FROM activities \
         WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}

// ---------------------------------------------------------------- JP

/// One line of an employee's JP for a year: a completed course or an activity.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct JpItem {
    /// `course` or `activity`.
    pub source: String,
    pub id: i64,
    pub title: String,
    pub jalur: String,
    pub on_date: String,
    pub jp: i64,
    /// `completed`, `submitted`, `approved` or `rejected`.
    pub status: String,
}

/// Completed courses and every activity of the year (only approved ones count).
pub async fn jp_items(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    from: &str,
    to: &str,
) -> Result<Vec<JpItem>> {
    Ok(fetch_all!(
        c,
        JpItem,
        "SELECT 'course' AS source, en.id, c.title, c.jalur, en.completed_on AS on_date, en.jp, \
           en.status FROM enrollments en \
           JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
           JOIN courses c ON c.tenant_id = o.tenant_id AND c.id = o.course_id \
           WHERE en.tenant_id = $1 AND en.employee_id = $2 AND en.status = 'completed' \
           AND en.completed_on >= $3 AND en.completed_on <= $4 \
         UNION ALL \
         SELECT 'activity' AS source, a.id, a.title, a.jalur, a.ended_on AS on_date, a.jp, a.status \
           FROM activities a WHERE a.tenant_id = $1 AND a.employee_id = $2 \
           AND a.ended_on >= $3 AND a.ended_on <= $4 \
         ORDER BY on_date DESC, id DESC",
        tenant,
        employee,
        from,
        to
    )?)
}

/// JP of the year per active employee under `scope`.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct JpTotal {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub jp: i64,
}

pub async fn jp_totals(
    c: &mut Conn,
    tenant: i64,
    scope: &str,
    from: &str,
    to: &str,
) -> Result<Vec<JpTotal>> {
    Ok(fetch_all!(
        c,
        JpTotal,
        "SELECT e.id AS employee_id, e.nip, e.name, u.id AS unit_id, u.code AS unit_code, \
         u.name AS unit_name, u.path AS unit_path, CAST(COALESCE(j.jp, 0) AS BIGINT) AS jp \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN (SELECT employee_id, SUM(jp) AS jp FROM ( \
             SELECT employee_id, jp FROM enrollments WHERE tenant_id = $1 \
               AND status = 'completed' AND completed_on >= $3 AND completed_on <= $4 \
             UNION ALL \
             SELECT employee_id, jp FROM activities WHERE tenant_id = $1 \
               AND status = 'approved' AND ended_on >= $3 AND ended_on <= $4) x \
           GROUP BY employee_id) j ON j.employee_id = e.id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 \
         ORDER BY u.path, e.name, e.id",
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}

// ---------------------------------------------------------------- certificates

/// What signing a tenant's certificate needs, in one read: the tenant's name and code, and
/// its current key's id and public key (none when the tenant has no current key).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SigningIdentity {
    pub name: String,
    pub code: String,
    pub kid: Option<String>,
    pub public_key: Option<String>,
}

pub async fn signing_identity(c: &mut Conn, tenant: i64) -> Result<Option<SigningIdentity>> {
    Ok(fetch_optional!(
        c,
        SigningIdentity,
        "SELECT t.name, t.code, k.kid, k.public_key FROM tenants t \
         LEFT JOIN signing_keys k ON k.tenant_id = t.id AND k.retired_at IS NULL \
         WHERE t.id = $1",
        tenant
    )?)
}

pub struct NewCertificate<'a> {
    pub code: &'a str,
    pub enrollment_id: i64,
    pub employee_id: i64,
    pub payload: &'a str,
    pub signature: &'a str,
    /// The key that signed it.
    pub kid: &'a str,
}

pub async fn insert_certificate(c: &mut Conn, tenant: i64, n: &NewCertificate<'_>) -> Result<()> {
    execute!(
        c,
        "INSERT INTO certificates (code, tenant_id, enrollment_id, employee_id, payload, \
         signature, kid, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        n.code,
        tenant,
        n.enrollment_id,
        n.employee_id,
        n.payload,
        n.signature,
        n.kid,
        now_ms()
    )?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CertificateRow {
    pub code: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    pub enrollment_id: i64,
    pub employee_id: i64,
    pub payload: String,
    pub signature: String,
    /// The key that signed it (none: signed before keys had ids and never moved).
    pub kid: Option<String>,
    /// The published public key of `kid` (hex), from `signing_keys`.
    pub public_key: Option<String>,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
}

/// A certificate by its code, in any tenant (the public check has no tenant), with the
/// public key its `kid` names in its own tenant.
pub async fn certificate(c: &mut Conn, code: &str) -> Result<Option<CertificateRow>> {
    Ok(fetch_optional!(
        c,
        CertificateRow,
        "SELECT ce.code, ce.tenant_id, t.name AS tenant_name, ce.enrollment_id, ce.employee_id, \
         ce.payload, ce.signature, ce.kid, k.public_key, ce.revoked_at, ce.revoked_reason \
         FROM certificates ce JOIN tenants t ON t.id = ce.tenant_id \
         LEFT JOIN signing_keys k ON k.tenant_id = ce.tenant_id AND k.kid = ce.kid \
         WHERE ce.code = $1",
        code
    )?)
}

/// Revokes a certificate unless it already is; true when it changed.
pub async fn revoke_certificate(
    c: &mut Conn,
    tenant: i64,
    code: &str,
    reason: &str,
    by: &str,
) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE certificates SET revoked_at = $3, revoked_reason = $4, revoked_by = $5 \
         WHERE tenant_id = $1 AND code = $2 AND revoked_at IS NULL",
        tenant,
        code,
        now_ms(),
        reason,
        by
    )? == 1)
}

/// The id of an active trainer (or admin) account by username.
pub async fn instructor_id(c: &mut Conn, tenant: i64, username: &str) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT id FROM users WHERE tenant_id = $1 AND username = $2 \
         AND role IN ('instruktur', 'admin') AND active = TRUE",
        tenant,
        username
    )?
    .map(|r| r.0))
}

/// The results of one employee's competency that count on `on` (not self-assessments, not
/// expired, not in the future), for `cakap_domain::competency::effective_level`.
pub async fn counting_results(
    c: &mut Conn,
    tenant: i64,
    employee: i64,
    competency: i64,
    on: &str,
) -> Result<Vec<ResultRow>> {
    Ok(fetch_all!(
        c,
        ResultRow,
        "SELECT level, method, assessed_on, valid_until FROM assessments WHERE tenant_id = $1 \
         AND employee_id = $2 AND competency_id = $3 AND method <> 'self' AND assessed_on <= $4 \
         AND (valid_until IS NULL OR valid_until >= $4)",
        tenant,
        employee,
        competency,
        on
    )?)
}

/// One assessment result as the effective-level rule reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResultRow {
    pub level: i64,
    pub method: String,
    pub assessed_on: String,
    pub valid_until: Option<String>,
}

/// (id, NIP, name) of every employee of a tenant.
pub async fn employee_names(c: &mut Conn, tenant: i64) -> Result<Vec<(i64, String, String)>> {
    Ok(fetch_all!(
        c,
        (i64, String, String),
        "SELECT id, nip, name FROM employees WHERE tenant_id = $1",
        tenant
    )?)
}
