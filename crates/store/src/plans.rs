//! Development plans: IDPs and their items; training plans and their assignments; the set
//! reads the optimizer's instance is built from.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

// ---------------------------------------------------------------- IDP

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdpRow {
    pub id: i64,
    pub employee_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::IdpStatus,
    pub return_reason: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub updated_at: i64,
}

pub async fn idp(c: &mut Conn, tenant: i64, employee: i64, year: i64) -> Result<Option<IdpRow>> {
    Ok(fetch_optional!(
        c,
        IdpRow,
        "SELECT id, employee_id, year, status, return_reason, decided_by, decided_at, updated_at \
         FROM idps WHERE tenant_id = $1 AND employee_id = $2 AND year = $3",
        tenant,
        employee,
        year
    )?)
}

/// The IDP of the year, made (as a draft) when there is none.
pub async fn ensure_idp(c: &mut Conn, tenant: i64, employee: i64, year: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO idps (tenant_id, employee_id, year, status, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4) \
         ON CONFLICT (tenant_id, employee_id, year) DO UPDATE SET updated_at = excluded.updated_at \
         RETURNING id",
        tenant,
        employee,
        year,
        now_ms()
    )?)
}

pub async fn set_idp_status(
    c: &mut Conn,
    tenant: i64,
    id: i64,
    status: cakap_domain::status::IdpStatus,
    decided_by: Option<&str>,
    reason: Option<&str>,
) -> Result<u64> {
    let decided_at = decided_by.map(|_| now_ms());
    Ok(execute!(
        c,
        "UPDATE idps SET status = $3, decided_by = $4, decided_at = $5, return_reason = $6, \
         updated_at = $7 WHERE tenant_id = $1 AND id = $2",
        tenant,
        id,
        status.as_str(),
        decided_by,
        decided_at,
        reason,
        now_ms()
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IdpItemRow {
    pub id: i64,
    pub position: i64,
    pub source: String,
    pub competency: Option<String>,
    pub competency_name: Option<String>,
    pub gap: i64,
    pub jalur: String,
    pub course: Option<String>,
    pub offering: Option<String>,
    pub title: String,
    pub target_date: String,
    pub jp: i64,
    /// The person's best enrolment status in the item's course this year, if any.
    pub enrollment: Option<String>,
    /// Approved activities of the item's form this year.
    pub activities_done: i64,
}

/// Items with their progress: a course item follows the enrolment (any class of the course
/// in the year), another item follows approved activities of its form.
pub async fn idp_items(
    c: &mut Conn,
    tenant: i64,
    idp: i64,
    employee: i64,
    year: i64,
) -> Result<Vec<IdpItemRow>> {
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    Ok(fetch_all!(
        c,
        IdpItemRow,
        "SELECT i.id, i.position, i.source, k.code AS competency, k.name AS competency_name, i.gap, \
         i.jalur, co.code AS course, o.code AS offering, i.title, i.target_date, i.jp, \
         (SELECT MIN(CASE en.status WHEN 'completed' THEN 'a_completed' WHEN 'enrolled' \
             THEN 'b_enrolled' WHEN 'waitlisted' THEN 'c_waitlisted' END) \
          FROM enrollments en JOIN offerings eo ON eo.tenant_id = en.tenant_id \
            AND eo.id = en.offering_id \
          WHERE en.tenant_id = $1 AND en.employee_id = $3 AND eo.course_id = i.course_id \
            AND en.status IN ('completed', 'enrolled', 'waitlisted') \
            AND eo.starts_on >= $4 AND eo.starts_on <= $5) AS enrollment, \
         (SELECT COUNT(*) FROM activities a WHERE a.tenant_id = $1 AND a.employee_id = $3 \
            AND i.course_id IS NULL AND a.jalur = i.jalur AND a.status = 'approved' \
            AND a.ended_on >= $4 AND a.ended_on <= $5) AS activities_done \
         FROM idp_items i \
         LEFT JOIN competencies k ON k.tenant_id = i.tenant_id AND k.id = i.competency_id \
         LEFT JOIN courses co ON co.tenant_id = i.tenant_id AND co.id = i.course_id \
         LEFT JOIN offerings o ON o.tenant_id = i.tenant_id AND o.id = i.offering_id \
         WHERE i.tenant_id = $1 AND i.idp_id = $2 ORDER BY i.position, i.id",
        tenant,
        idp,
        employee,
        from,
        to
    )?)
}

#[derive(Debug, Clone)]
pub struct NewItem {
    pub source: String,
    pub competency_id: Option<i64>,
    pub gap: i64,
    pub jalur: String,
    pub course_id: Option<i64>,
    pub offering_id: Option<i64>,
    pub title: String,
    pub target_date: String,
    pub jp: i64,
}

/// Replaces the items of an IDP; `keep_planned` keeps those an approved training plan added.
pub async fn replace_items(
    c: &mut Conn,
    tenant: i64,
    idp: i64,
    items: &[NewItem],
    keep_planned: bool,
) -> Result<()> {
    if keep_planned {
        execute!(
            c,
            "DELETE FROM idp_items WHERE tenant_id = $1 AND idp_id = $2 AND source <> 'plan'",
            tenant,
            idp
        )?;
    } else {
        execute!(
            c,
            "DELETE FROM idp_items WHERE tenant_id = $1 AND idp_id = $2",
            tenant,
            idp
        )?;
    }
    add_items(c, tenant, idp, items).await
}

/// Appends items after the existing ones, in one statement.
pub async fn add_items(c: &mut Conn, tenant: i64, idp: i64, items: &[NewItem]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let next = fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COALESCE(MAX(position), 0) AS BIGINT) FROM idp_items \
         WHERE tenant_id = $1 AND idp_id = $2",
        tenant,
        idp
    )?;
    let mut d = Dynamic::new(
        "INSERT INTO idp_items (tenant_id, idp_id, position, source, competency_id, gap, jalur, \
         course_id, offering_id, title, target_date, jp) VALUES ",
    );
    let opt = |v: Option<i64>| v.map_or(Arg::Null, Arg::I64);
    for (n, it) in items.iter().enumerate() {
        d.push(
            if n == 0 {
                "(?, ?, ?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?)"
            } else {
                ", (?, ?, ?, ?, CAST(? AS BIGINT), ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), ?, ?, ?)"
            },
            [
                Arg::I64(tenant),
                Arg::I64(idp),
                Arg::I64(next + 1 + n as i64),
                Arg::Text(it.source.clone()),
                opt(it.competency_id),
                Arg::I64(it.gap),
                Arg::Text(it.jalur.clone()),
                opt(it.course_id),
                opt(it.offering_id),
                Arg::Text(it.title.clone()),
                Arg::Text(it.target_date.clone()),
                Arg::I64(it.jp),
            ],
        );
    }
    d.execute(c).await?;
    Ok(())
}

pub async fn delete_item(c: &mut Conn, tenant: i64, idp: i64, id: i64) -> Result<u64> {
    Ok(execute!(
        c,
        "DELETE FROM idp_items WHERE tenant_id = $1 AND idp_id = $2 AND id = $3 \
         AND source <> 'plan'",
        tenant,
        idp,
        id
    )?)
}

// ---------------------------------------------------------------- optimizer inputs

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CourseTarget {
    pub course_id: i64,
    pub competency_id: i64,
    pub level: i64,
}

pub async fn course_targets(c: &mut Conn, tenant: i64) -> Result<Vec<CourseTarget>> {
    Ok(fetch_all!(
        c,
        CourseTarget,
        "SELECT course_id, competency_id, level FROM course_competencies WHERE tenant_id = $1 \
         ORDER BY course_id, competency_id",
        tenant
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Taken {
    pub employee_id: i64,
    pub course_id: i64,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::EnrolmentStatus,
    pub starts_on: String,
    pub jp: i64,
}

/// Enrolments that count (enrolled, waitlisted or completed), with their course and class date.
pub async fn taken(c: &mut Conn, tenant: i64) -> Result<Vec<Taken>> {
    Ok(fetch_all!(
        c,
        Taken,
        "SELECT en.employee_id, o.course_id, en.status, o.starts_on, co.jp \
         FROM enrollments en JOIN offerings o ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         JOIN courses co ON co.tenant_id = o.tenant_id AND co.id = o.course_id \
         WHERE en.tenant_id = $1 AND en.status IN ('enrolled', 'waitlisted', 'completed')",
        tenant
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Prerequisite {
    pub course_id: i64,
    pub requires_id: i64,
}

pub async fn prerequisites(c: &mut Conn, tenant: i64) -> Result<Vec<Prerequisite>> {
    Ok(fetch_all!(
        c,
        Prerequisite,
        "SELECT course_id, prerequisite_id AS requires_id FROM course_prerequisites WHERE tenant_id = $1",
        tenant
    )?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Weakness {
    pub employee_id: i64,
    pub competency_id: i64,
}

/// Competencies named as weaknesses in evaluations of periods ending on or after `since`.
pub async fn weaknesses_since(c: &mut Conn, tenant: i64, since: &str) -> Result<Vec<Weakness>> {
    Ok(fetch_all!(
        c,
        Weakness,
        "SELECT DISTINCT pl.employee_id, f.competency_id FROM evaluation_findings f \
         JOIN performance_plans pl ON pl.tenant_id = f.tenant_id AND pl.id = f.plan_id \
         JOIN performance_periods pp ON pp.tenant_id = pl.tenant_id AND pp.id = pl.period_id \
         WHERE f.tenant_id = $1 AND f.kind = 'weakness' AND pl.status IN ('evaluated', 'final') \
           AND pp.ends_on >= $2",
        tenant,
        since
    )?)
}

// ---------------------------------------------------------------- training plans

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub year: i64,
    pub budget: i64,
    pub policy: String,
    pub max_jp: i64,
    #[sqlx(try_from = "String")]
    pub status: cakap_domain::status::PlanStatus,
    pub total_cost: i64,
    pub weighted_gap: f64,
    pub reaching: i64,
    pub bound: f64,
    pub bound_reaching: i64,
    pub optimality_gap: f64,
    pub method: String,
    pub solve_ms: i64,
    pub greedy_cost: i64,
    pub greedy_gap: f64,
    pub greedy_reaching: i64,
    pub people: i64,
    pub detail: String,
    pub created_by: String,
    pub created_at: i64,
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
}

const PLAN: &str = "SELECT id, year, budget, policy, max_jp, status, total_cost, weighted_gap, \
    reaching, bound, bound_reaching, optimality_gap, method, solve_ms, greedy_cost, greedy_gap, \
    greedy_reaching, people, detail, created_by, created_at, approved_by, approved_at \
    FROM training_plans";

pub async fn plan(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<PlanRow>> {
    let mut d = Dynamic::new(PLAN);
    d.push(
        " WHERE tenant_id = ? AND id = ?",
        [Arg::I64(tenant), Arg::I64(id)],
    );
    Ok(d.fetch_all(c).await?.into_iter().next())
}

/// Plans, newest first (of one year, or all).
pub async fn plans(c: &mut Conn, tenant: i64, year: Option<i64>) -> Result<Vec<PlanRow>> {
    let mut d = Dynamic::new(PLAN);
    d.push(" WHERE tenant_id = ?", [Arg::I64(tenant)]);
    if let Some(year) = year {
        d.push(" AND year = ?", [Arg::I64(year)]);
    }
    d.sql.push_str(" ORDER BY id DESC LIMIT 50");
    d.fetch_all(c).await
}

pub async fn insert_plan(c: &mut Conn, tenant: i64, p: &PlanRow) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO training_plans (tenant_id, year, budget, policy, max_jp, status, total_cost, \
         weighted_gap, reaching, bound, bound_reaching, optimality_gap, method, solve_ms, \
         greedy_cost, greedy_gap, greedy_reaching, people, detail, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
         $17, $18, $19, $20) RETURNING id",
        tenant,
        p.year,
        p.budget,
        &p.policy,
        p.max_jp,
        p.total_cost,
        p.weighted_gap,
        p.reaching,
        p.bound,
        p.bound_reaching,
        p.optimality_gap,
        &p.method,
        p.solve_ms,
        p.greedy_cost,
        p.greedy_gap,
        p.greedy_reaching,
        p.people,
        &p.detail,
        &p.created_by,
        p.created_at
    )?)
}

pub struct NewAssignment {
    pub employee_id: i64,
    pub offering_id: i64,
    pub cost: i64,
    pub jp: i64,
    pub benefit: f64,
    pub reason: String,
}

/// Saves a plan's assignments, 500 rows a statement.
pub async fn insert_assignments(
    c: &mut Conn,
    tenant: i64,
    plan: i64,
    rows: &[NewAssignment],
) -> Result<()> {
    for chunk in rows.chunks(500) {
        let mut d = Dynamic::new(
            "INSERT INTO training_plan_assignments (tenant_id, plan_id, employee_id, offering_id, \
             cost, jp, benefit, reason) VALUES ",
        );
        for (n, a) in chunk.iter().enumerate() {
            d.push(
                if n == 0 {
                    "(?, ?, ?, ?, ?, ?, ?, ?)"
                } else {
                    ", (?, ?, ?, ?, ?, ?, ?, ?)"
                },
                [
                    Arg::I64(tenant),
                    Arg::I64(plan),
                    Arg::I64(a.employee_id),
                    Arg::I64(a.offering_id),
                    Arg::I64(a.cost),
                    Arg::I64(a.jp),
                    Arg::F64(a.benefit),
                    Arg::Text(a.reason.clone()),
                ],
            );
        }
        d.execute(c).await?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssignmentRow {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_name: String,
    pub offering_id: i64,
    pub offering: String,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub starts_on: String,
    pub cost: i64,
    pub jp: i64,
    pub benefit: f64,
    pub reason: String,
}

pub async fn assignments(c: &mut Conn, tenant: i64, plan: i64) -> Result<Vec<AssignmentRow>> {
    Ok(fetch_all!(
        c,
        AssignmentRow,
        "SELECT a.employee_id, e.nip, e.name, u.name AS unit_name, a.offering_id, o.code AS offering, \
         o.course_id, co.code AS course_code, co.title AS course_title, o.starts_on, a.cost, a.jp, a.benefit, a.reason \
         FROM training_plan_assignments a \
         JOIN employees e ON e.tenant_id = a.tenant_id AND e.id = a.employee_id \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         JOIN offerings o ON o.tenant_id = a.tenant_id AND o.id = a.offering_id \
         JOIN courses co ON co.tenant_id = o.tenant_id AND co.id = o.course_id \
         WHERE a.tenant_id = $1 AND a.plan_id = $2 ORDER BY u.path, e.name, e.id, o.starts_on, o.code",
        tenant,
        plan
    )?)
}

/// Marks a draft approved; false when it was not a draft (approved twice, or by another).
pub async fn approve_plan(c: &mut Conn, tenant: i64, id: i64, by: &str) -> Result<bool> {
    Ok(execute!(
        c,
        "UPDATE training_plans SET status = 'approved', approved_by = $3, approved_at = $4 \
         WHERE tenant_id = $1 AND id = $2 AND status = 'draft'",
        tenant,
        id,
        by,
        now_ms()
    )? == 1)
}

/// Seats taken (enrolled or completed) per offering, for the capacity check at approval.
pub async fn seats_taken(c: &mut Conn, tenant: i64, offering: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT COUNT(*) FROM enrollments WHERE tenant_id = $1 AND offering_id = $2 \
         AND status IN ('enrolled', 'completed')",
        tenant,
        offering
    )?)
}
