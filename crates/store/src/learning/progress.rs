//! Module progress of a learner.

use crate::{Conn, Result, execute, fetch_all, now_ms};

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
