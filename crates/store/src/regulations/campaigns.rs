//! Read-and-acknowledge campaigns: targets, acknowledgements, compliance, reminders' counts
//! (docs/domain.md#regulations).

use cakap_domain::regulation::Jenis;

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

pub struct NewCampaign<'a> {
    pub regulation_id: i64,
    pub version: i64,
    pub due_on: &'a str,
    pub course_id: Option<i64>,
    pub audience: &'a str,
    pub assigned_on: &'a str,
}

pub async fn insert_campaign(
    c: &mut Conn,
    tenant: i64,
    n: &NewCampaign<'_>,
    by: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO campaigns (tenant_id, regulation_id, version, due_on, course_id, audience, \
         assigned_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        tenant,
        n.regulation_id,
        n.version,
        n.due_on,
        n.course_id,
        n.audience,
        n.assigned_on,
        by,
        now_ms()
    )?)
}

/// Who a campaign targets: active employees matching every dimension given (any of the
/// values within one). An empty audience with `all` false matches nobody.
#[derive(Debug, Default)]
pub struct Audience {
    pub all: bool,
    /// Unit paths: each unit with its subtree.
    pub unit_paths: Vec<String>,
    pub position_kinds: Vec<String>,
    pub competency_ids: Vec<i64>,
}

/// Targets a campaign at its audience in one statement; yields how many it targets.
pub async fn insert_targets(c: &mut Conn, tenant: i64, campaign: i64, a: &Audience) -> Result<u64> {
    let mut q = Dynamic::new(
        "INSERT INTO campaign_targets (tenant_id, campaign_id, employee_id, unit_id) \
         SELECT e.tenant_id, $2, e.id, e.unit_id FROM employees e \
         JOIN units u ON u.tenant_id = e.tenant_id AND u.id = e.unit_id \
         LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id \
         WHERE e.tenant_id = $1 AND e.active",
    );
    q.args.push(Arg::I64(tenant));
    q.args.push(Arg::I64(campaign));
    if !a.all {
        if a.unit_paths.is_empty() && a.position_kinds.is_empty() && a.competency_ids.is_empty() {
            q.sql.push_str(" AND 1 = 0");
        }
        if !a.unit_paths.is_empty() {
            q.sql.push_str(" AND (");
            for (i, p) in a.unit_paths.iter().enumerate() {
                let or = if i == 0 { "" } else { " OR " };
                q.push(
                    &format!("{or}u.path LIKE ? ESCAPE '\\'"),
                    [Arg::Text(format!("{}%", like_escape(p)))],
                );
            }
            q.sql.push(')');
        }
        if !a.position_kinds.is_empty() {
            q.sql.push_str(" AND p.kind IN (");
            for (i, k) in a.position_kinds.iter().enumerate() {
                let sep = if i == 0 { "?" } else { ", ?" };
                q.push(sep, [Arg::Text(k.clone())]);
            }
            q.sql.push(')');
        }
        if !a.competency_ids.is_empty() {
            q.sql.push_str(
                " AND EXISTS (SELECT 1 FROM assessments s WHERE s.tenant_id = e.tenant_id \
                 AND s.employee_id = e.id AND s.competency_id IN (",
            );
            for (i, k) in a.competency_ids.iter().enumerate() {
                let sep = if i == 0 { "?" } else { ", ?" };
                q.push(sep, [Arg::I64(*k)]);
            }
            q.sql.push_str("))");
        }
    }
    q.execute(c).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub regulation_id: i64,
    #[sqlx(try_from = "String")]
    pub jenis: Jenis,
    pub nomor: String,
    pub tahun: i64,
    pub judul: String,
    pub abstrak: Option<String>,
    pub version: i64,
    pub due_on: String,
    pub assigned_on: String,
    pub course_id: Option<i64>,
    pub course_code: Option<String>,
    pub course_title: Option<String>,
    pub audience: String,
    pub created_by: String,
    pub targeted: i64,
    pub acknowledged: i64,
}

const CAMPAIGN: &str = "SELECT k.id, k.regulation_id, r.jenis, r.nomor, r.tahun, r.judul, r.abstrak, \
    k.version, k.due_on, k.assigned_on, k.course_id, co.code AS course_code, co.title AS course_title, \
    k.audience, k.created_by, \
    (SELECT COUNT(*) FROM campaign_targets t WHERE t.tenant_id = k.tenant_id AND t.campaign_id = k.id) AS targeted, \
    (SELECT COUNT(*) FROM acknowledgements a WHERE a.tenant_id = k.tenant_id AND a.campaign_id = k.id \
     AND a.version = k.version) AS acknowledged \
    FROM campaigns k JOIN regulations r ON r.tenant_id = k.tenant_id AND r.id = k.regulation_id \
    LEFT JOIN courses co ON co.tenant_id = k.tenant_id AND co.id = k.course_id";

pub async fn campaign(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<CampaignRow>> {
    Ok(fetch_optional!(
        c,
        CampaignRow,
        sqlx::AssertSqlSafe(format!("{CAMPAIGN} WHERE k.tenant_id = $1 AND k.id = $2")),
        tenant,
        id
    )?)
}

/// A campaign as its targeted people read it: [`CampaignRow`] without the counts (a pass over
/// every target), with whether the regulation's current version has a file.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignHead {
    pub id: i64,
    pub regulation_id: i64,
    #[sqlx(try_from = "String")]
    pub jenis: Jenis,
    pub nomor: String,
    pub tahun: i64,
    pub judul: String,
    pub abstrak: Option<String>,
    pub version: i64,
    pub due_on: String,
    pub course_id: Option<i64>,
    pub course_code: Option<String>,
    pub course_title: Option<String>,
    pub has_file: bool,
}

pub async fn campaign_head(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<CampaignHead>> {
    Ok(fetch_optional!(
        c,
        CampaignHead,
        "SELECT k.id, k.regulation_id, r.jenis, r.nomor, r.tahun, r.judul, r.abstrak, k.version, \
         k.due_on, k.course_id, co.code AS course_code, co.title AS course_title, \
         EXISTS (SELECT 1 FROM regulation_files f WHERE f.tenant_id = r.tenant_id \
          AND f.regulation_id = r.id AND f.version = r.version) AS has_file \
         FROM campaigns k JOIN regulations r ON r.tenant_id = k.tenant_id AND r.id = k.regulation_id \
         LEFT JOIN courses co ON co.tenant_id = k.tenant_id AND co.id = k.course_id \
         WHERE k.tenant_id = $1 AND k.id = $2",
        tenant,
        id
    )?)
}

/// The campaigns of a regulation, newest first.
pub async fn campaigns_of(c: &mut Conn, tenant: i64, regulation: i64) -> Result<Vec<CampaignRow>> {
    Ok(fetch_all!(
        c,
        CampaignRow,
        sqlx::AssertSqlSafe(format!(
            "{CAMPAIGN} WHERE k.tenant_id = $1 AND k.regulation_id = $2 ORDER BY k.id DESC"
        )),
        tenant,
        regulation
    )?)
}

/// The newest campaigns of the tenant.
pub async fn recent_campaigns(c: &mut Conn, tenant: i64, limit: i64) -> Result<Vec<CampaignRow>> {
    Ok(fetch_all!(
        c,
        CampaignRow,
        sqlx::AssertSqlSafe(format!(
            "{CAMPAIGN} WHERE k.tenant_id = $1 ORDER BY k.id DESC LIMIT $2"
        )),
        tenant,
        limit
    )?)
}

/// Moves a campaign to a regulation's new version and due date (an amendment asks again).
pub async fn reissue(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
    due_on: &str,
) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE campaigns SET version = $1, due_on = $2 WHERE tenant_id = $3 AND id = $4",
        version,
        due_on,
        tenant,
        campaign
    )?)
}

/// Targeted and acknowledged per unit (as targeted) under `scope`, by unit path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnitCompliance {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub path: String,
    pub targeted: i64,
    pub acknowledged: i64,
}

pub async fn compliance(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
    scope: &str,
) -> Result<Vec<UnitCompliance>> {
    Ok(fetch_all!(
        c,
        UnitCompliance,
        "SELECT u.id AS unit_id, u.code, u.name, u.path, CAST(COUNT(*) AS BIGINT) AS targeted, \
         CAST(COUNT(a.employee_id) AS BIGINT) AS acknowledged FROM campaign_targets t \
         JOIN units u ON u.tenant_id = t.tenant_id AND u.id = t.unit_id \
         LEFT JOIN acknowledgements a ON a.tenant_id = t.tenant_id AND a.campaign_id = t.campaign_id \
         AND a.employee_id = t.employee_id AND a.version = $3 \
         WHERE t.tenant_id = $1 AND t.campaign_id = $2 AND u.path LIKE $4 ESCAPE '\\' \
         GROUP BY u.id, u.code, u.name, u.path ORDER BY u.path",
        tenant,
        campaign,
        version,
        format!("{}%", like_escape(scope))
    )?)
}

/// A targeted person and whether (and when) they acknowledged the campaign's version.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TargetRow {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub acknowledged_at: Option<i64>,
}

/// The people targeted under `scope`, those still owing first, by name; `owing` only those.
pub async fn targets(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
    scope: &str,
    owing: bool,
    limit: i64,
) -> Result<Vec<TargetRow>> {
    Ok(fetch_all!(
        c,
        TargetRow,
        "SELECT e.id AS employee_id, e.nip, e.name, u.code AS unit_code, u.name AS unit_name, \
         u.path AS unit_path, a.at AS acknowledged_at FROM campaign_targets t \
         JOIN employees e ON e.tenant_id = t.tenant_id AND e.id = t.employee_id \
         JOIN units u ON u.tenant_id = t.tenant_id AND u.id = t.unit_id \
         LEFT JOIN acknowledgements a ON a.tenant_id = t.tenant_id AND a.campaign_id = t.campaign_id \
         AND a.employee_id = t.employee_id AND a.version = $3 \
         WHERE t.tenant_id = $1 AND t.campaign_id = $2 AND u.path LIKE $4 ESCAPE '\\' \
         AND ($5 = FALSE OR a.at IS NULL) \
         ORDER BY CASE WHEN a.at IS NULL THEN 0 ELSE 1 END, e.name, e.id LIMIT $6",
        tenant,
        campaign,
        version,
        format!("{}%", like_escape(scope)),
        owing,
        limit
    )?)
}

pub async fn is_target(c: &mut Conn, tenant: i64, campaign: i64, employee: i64) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM campaign_targets WHERE tenant_id = $1 \
         AND campaign_id = $2 AND employee_id = $3",
        tenant,
        campaign,
        employee
    )? > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AckRow {
    pub version: i64,
    pub at: i64,
    pub address: String,
}

pub async fn acknowledgement(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    employee: i64,
    version: i64,
) -> Result<Option<AckRow>> {
    Ok(fetch_optional!(
        c,
        AckRow,
        "SELECT version, at, address FROM acknowledgements WHERE tenant_id = $1 \
         AND campaign_id = $2 AND employee_id = $3 AND version = $4",
        tenant,
        campaign,
        employee,
        version
    )?)
}

/// Records an acknowledgement; `false` when this version was already acknowledged.
pub async fn insert_ack(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    employee: i64,
    version: i64,
    user: i64,
    address: &str,
) -> Result<bool> {
    Ok(execute!(
        c,
        "INSERT INTO acknowledgements (tenant_id, campaign_id, employee_id, version, at, user_id, \
         address) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (tenant_id, campaign_id, employee_id, version) DO NOTHING",
        tenant,
        campaign,
        employee,
        version,
        now_ms(),
        user,
        address
    )? == 1)
}

/// A campaign as one targeted person sees it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MineRow {
    pub campaign_id: i64,
    pub regulation_id: i64,
    #[sqlx(try_from = "String")]
    pub jenis: Jenis,
    pub nomor: String,
    pub tahun: i64,
    pub judul: String,
    pub version: i64,
    pub due_on: String,
    pub acknowledged_at: Option<i64>,
}

/// The campaigns targeting an employee: owed first (by due date), then the acknowledged.
pub async fn mine(c: &mut Conn, tenant: i64, employee: i64, limit: i64) -> Result<Vec<MineRow>> {
    Ok(fetch_all!(
        c,
        MineRow,
        "SELECT k.id AS campaign_id, r.id AS regulation_id, r.jenis, r.nomor, r.tahun, r.judul, \
         k.version, k.due_on, a.at AS acknowledged_at FROM campaign_targets t \
         JOIN campaigns k ON k.tenant_id = t.tenant_id AND k.id = t.campaign_id \
         JOIN regulations r ON r.tenant_id = k.tenant_id AND r.id = k.regulation_id \
         LEFT JOIN acknowledgements a ON a.tenant_id = t.tenant_id AND a.campaign_id = t.campaign_id \
         AND a.employee_id = t.employee_id AND a.version = k.version \
         WHERE t.tenant_id = $1 AND t.employee_id = $2 AND r.status = 'berlaku' \
         ORDER BY CASE WHEN a.at IS NULL THEN 0 ELSE 1 END, k.due_on, k.id DESC LIMIT $3",
        tenant,
        employee,
        limit
    )?)
}

/// Whether an employee has completed (passed) a course.
pub async fn passed_course(c: &mut Conn, tenant: i64, employee: i64, course: i64) -> Result<bool> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM enrollments en JOIN offerings o \
         ON o.tenant_id = en.tenant_id AND o.id = en.offering_id \
         WHERE en.tenant_id = $1 AND en.employee_id = $2 AND o.course_id = $3 AND en.status = 'completed'",
        tenant,
        employee,
        course
    )? > 0)
}

/// The demo's acknowledgements, set-based: of each campaign target under a unit path in
/// `rates` (the first matching prefix; `default_pct` elsewhere) a deterministic share (by
/// employee id) acknowledged `version` at a time spread over `[from_ms, from_ms + span_ms)`,
/// recorded by `user` (0: loaded, not clicked) from `address`. `except` never acknowledges.
#[allow(clippy::too_many_arguments)]
pub async fn demo_acknowledge(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
    rates: &[(String, i64)],
    default_pct: i64,
    except: Option<i64>,
    from_ms: i64,
    span_ms: i64,
) -> Result<u64> {
    let mut q = Dynamic::new(
        "INSERT INTO acknowledgements (tenant_id, campaign_id, employee_id, version, at, user_id, \
         address) SELECT t.tenant_id, t.campaign_id, t.employee_id, $3, \
         $4 + (t.employee_id * 7907) % $5, 0, 'demo' FROM campaign_targets t \
         JOIN units u ON u.tenant_id = t.tenant_id AND u.id = t.unit_id \
         WHERE t.tenant_id = $1 AND t.campaign_id = $2 AND t.employee_id <> $6 \
         AND (t.employee_id * 7919) % 100 <",
    );
    q.args.extend([
        Arg::I64(tenant),
        Arg::I64(campaign),
        Arg::I64(version),
        Arg::I64(from_ms),
        Arg::I64(span_ms.max(1)),
        Arg::I64(except.unwrap_or(-1)),
    ]);
    if rates.is_empty() {
        q.push(" ?", [Arg::I64(default_pct)]);
    } else {
        q.sql.push_str(" CASE");
        for (path, pct) in rates {
            q.push(
                " WHEN u.path LIKE ? THEN ?",
                [Arg::Text(format!("{}%", like_escape(path))), Arg::I64(*pct)],
            );
        }
        q.push(" ELSE ? END", [Arg::I64(default_pct)]);
    }
    q.execute(c).await
}

/// People still owing a campaign's `version` who have an active account (whom a reminder
/// reaches).
pub async fn owing_with_accounts(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    version: i64,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "SELECT CAST(COUNT(*) AS BIGINT) FROM campaign_targets t JOIN users u \
         ON u.tenant_id = t.tenant_id AND u.employee_id = t.employee_id AND u.active \
         WHERE t.tenant_id = $1 AND t.campaign_id = $2 AND NOT EXISTS (SELECT 1 FROM \
         acknowledgements a WHERE a.tenant_id = t.tenant_id AND a.campaign_id = t.campaign_id \
         AND a.employee_id = t.employee_id AND a.version = $3)",
        tenant,
        campaign,
        version
    )?)
}

/// When the people under `scope` were last reminded of a campaign by a leader.
pub async fn last_nudge(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    scope: &str,
) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        c,
        (i64,),
        "SELECT at FROM campaign_nudges WHERE tenant_id = $1 AND campaign_id = $2 AND scope = $3",
        tenant,
        campaign,
        scope
    )?
    .map(|r| r.0))
}

pub async fn set_nudge(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    scope: &str,
    at: i64,
) -> Result<u64> {
    Ok(execute!(
        c,
        "INSERT INTO campaign_nudges (tenant_id, campaign_id, scope, at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, campaign_id, scope) DO UPDATE SET at = excluded.at",
        tenant,
        campaign,
        scope,
        at
    )?)
}

/// Regulations revoked by another (the targets of `mencabut`).
pub async fn revoked_ids(c: &mut Conn, tenant: i64) -> Result<Vec<i64>> {
    Ok(fetch_all!(
        c,
        (i64,),
        "SELECT to_id FROM regulation_relations WHERE tenant_id = $1 AND kind = 'mencabut'",
        tenant
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}
