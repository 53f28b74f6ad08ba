//! Courses: the catalogue, authors, targets, prerequisites.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

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
    /// The activity an outside platform reports this course as (xAPI).
    pub xapi_activity_id: Option<String>,
    /// The short name of the Moodle course it stands for.
    pub moodle_shortname: Option<String>,
}

pub(super) const COURSE: &str = "SELECT c.id, c.code, c.title, c.description, c.jalur, c.mode, c.jp, c.cost, \
    c.pass_mark, c.time_limit, c.max_attempts, c.review, c.active, c.created_by, \
    c.xapi_activity_id, c.moodle_shortname, \
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

/// The course an outside activity (xAPI activity id) stands for.
pub async fn course_by_xapi_activity(
    c: &mut Conn,
    tenant: i64,
    activity: &str,
) -> Result<Option<CourseRow>> {
    Ok(fetch_optional!(
        c,
        CourseRow,
        sqlx::AssertSqlSafe(format!(
            "{COURSE} WHERE c.tenant_id = $1 AND c.xapi_activity_id = $2"
        )),
        tenant,
        activity
    )?)
}

/// The course a Moodle course short name stands for: the one mapped to it, else the course
/// whose code is that name.
pub async fn course_by_moodle_shortname(
    c: &mut Conn,
    tenant: i64,
    shortname: &str,
) -> Result<Option<CourseRow>> {
    Ok(fetch_optional!(
        c,
        CourseRow,
        sqlx::AssertSqlSafe(format!(
            "{COURSE} WHERE c.tenant_id = $1 AND (c.moodle_shortname = $2 OR c.code = $2) \
             ORDER BY CASE WHEN c.moodle_shortname = $2 THEN 0 ELSE 1 END LIMIT 1"
        )),
        tenant,
        shortname
    )?)
}

/// Sets both outside identities of a course (`None` clears one).
pub async fn set_course_links(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    xapi_activity_id: Option<&str>,
    moodle_shortname: Option<&str>,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE courses SET xapi_activity_id = $3, moodle_shortname = $4 WHERE tenant_id = $1 AND id = $2",
        tenant,
        course,
        xapi_activity_id,
        moodle_shortname
    )?)
}

pub async fn set_xapi_activity(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    activity: Option<&str>,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE courses SET xapi_activity_id = $3 WHERE tenant_id = $1 AND id = $2",
        tenant,
        course,
        activity
    )?)
}

/// Courses mapped to an outside activity: (code, title, activity id).
pub async fn xapi_mapped(c: &mut Conn, tenant: i64) -> Result<Vec<(String, String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String, String),
        "SELECT code, title, xapi_activity_id FROM courses WHERE tenant_id = $1 \
         AND xapi_activity_id IS NOT NULL ORDER BY code",
        tenant
    )?)
}

/// (code, title) of the active courses, by code.
pub async fn course_titles(c: &mut Conn, tenant: i64) -> Result<Vec<(String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String),
        "SELECT code, title FROM courses WHERE tenant_id = $1 AND active ORDER BY code",
        tenant
    )?)
}

/// (e-mail, name) of up to `limit` active people with an e-mail address and no account who
/// have never enrolled in `course`, by id: learners an outside platform could report on.
pub async fn reachable_non_takers(
    c: &mut Conn,
    tenant: i64,
    course: i64,
    limit: i64,
) -> Result<Vec<(String, String)>> {
    Ok(fetch_all!(
        c,
        (String, String),
        "SELECT e.email, e.name FROM employees e WHERE e.tenant_id = $1 AND e.active \
         AND e.email IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enrollments n \
         JOIN offerings o ON o.tenant_id = n.tenant_id AND o.id = n.offering_id \
         WHERE n.tenant_id = e.tenant_id AND n.employee_id = e.id AND o.course_id = $2) \
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.employee_id = e.id) \
         ORDER BY e.id LIMIT $3",
        tenant,
        course,
        limit
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
