//! JP per person and year, and the 20-JP report.

use crate::{Conn, Result, fetch_all};

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

/// JP per employee of a period, as a derived table `(employee_id, jp)` over `$1` (tenant),
/// `$3`–`$4` (dates): completed courses by completion date and approved activities by end
/// date (docs/domain.md#jp-right). The one definition the 20-JP report and equity share.
#[macro_export]
macro_rules! jp_of_period {
    () => {
        "(SELECT employee_id, SUM(jp) AS jp FROM ( \
         SELECT employee_id, jp FROM enrollments WHERE tenant_id = $1 \
           AND status = 'completed' AND completed_on >= $3 AND completed_on <= $4 \
         UNION ALL \
         SELECT employee_id, jp FROM activities WHERE tenant_id = $1 \
           AND status = 'approved' AND ended_on >= $3 AND ended_on <= $4) x \
         GROUP BY employee_id)"
    };
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
        concat!(
            "SELECT e.id AS employee_id, e.nip, e.name, u.id AS unit_id, u.code AS unit_code, \
         u.name AS unit_name, u.path AS unit_path, CAST(COALESCE(j.jp, 0) AS BIGINT) AS jp \
         FROM employees e JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN ",
            crate::jp_of_period!(),
            " j ON j.employee_id = e.id \
         WHERE e.tenant_id = $1 AND e.active = TRUE AND u.path LIKE $2 \
         ORDER BY u.path, e.name, e.id"
        ),
        tenant,
        format!("{scope}%"),
        from,
        to
    )?)
}
