//! The xAPI Learning Record Store's tables (docs/interfaces.md#xapi): clients, statements with
//! the agents and activities they name, attachments, activity definitions and documents.

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClientRow {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub key: String,
    pub secret_hash: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

const CLIENT: &str =
    "SELECT id, tenant_id, name, key, secret_hash, created_at, revoked_at FROM xapi_clients";

pub async fn insert_client(
    c: &mut Conn,
    tenant: i64,
    name: &str,
    key: &str,
    secret_hash: &str,
) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO xapi_clients (tenant_id, name, key, secret_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        tenant,
        name,
        key,
        secret_hash,
        now_ms()
    )?)
}

/// The live client whose key and secret hash these are, whichever tenant it belongs to
/// (keys are random), with its tenant's code: one query per request, the secret matched
/// by its hash as API tokens are.
pub async fn client_by_credentials(
    c: &mut Conn,
    key: &str,
    secret_hash: &str,
) -> Result<Option<(ClientRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        client: ClientRow,
        tenant_code: String,
    }
    Ok(fetch_optional!(
        c,
        Row,
        "SELECT x.id, x.tenant_id, x.name, x.key, x.secret_hash, x.created_at, x.revoked_at, \
         t.code AS tenant_code FROM xapi_clients x JOIN tenants t ON t.id = x.tenant_id \
         WHERE x.key = $1 AND x.secret_hash = $2 AND x.revoked_at IS NULL",
        key,
        secret_hash
    )?
    .map(|r| (r.client, r.tenant_code)))
}

pub async fn clients(c: &mut Conn, tenant: i64) -> Result<Vec<ClientRow>> {
    Ok(fetch_all!(
        c,
        ClientRow,
        sqlx::AssertSqlSafe(format!("{CLIENT} WHERE tenant_id = $1 ORDER BY name")),
        tenant
    )?)
}

pub async fn revoke_client(c: &mut Conn, tenant: i64, name: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE xapi_clients SET revoked_at = $3 WHERE tenant_id = $1 AND name = $2 \
         AND revoked_at IS NULL",
        tenant,
        name,
        now_ms()
    )?)
}

pub struct NewStatement<'a> {
    pub id: &'a str,
    pub statement: &'a str,
    pub verb_id: &'a str,
    pub ref_id: Option<&'a str>,
    pub registration: Option<&'a str>,
    pub stored_ms: i64,
    pub client_id: i64,
    /// `pending` for a completion still to credit, else none.
    pub outcome: Option<&'a str>,
}

pub async fn insert_statement(c: &mut Conn, tenant: i64, s: &NewStatement<'_>) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO xapi_statements (tenant_id, id, statement, verb_id, ref_id, registration, \
         stored_ms, client_id, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING seq",
        tenant,
        s.id,
        s.statement,
        s.verb_id,
        s.ref_id,
        s.registration,
        s.stored_ms,
        s.client_id,
        s.outcome
    )?)
}

pub async fn add_agent(
    c: &mut Conn,
    tenant: i64,
    seq: i64,
    ifi: &str,
    related: bool,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO xapi_statement_agents (tenant_id, seq, ifi, related) VALUES ($1, $2, $3, $4) \
         ON CONFLICT DO NOTHING",
        tenant,
        seq,
        ifi,
        related
    )?;
    Ok(())
}

pub async fn add_activity(
    c: &mut Conn,
    tenant: i64,
    seq: i64,
    activity: &str,
    related: bool,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO xapi_statement_activities (tenant_id, seq, activity_id, related) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        tenant,
        seq,
        activity,
        related
    )?;
    Ok(())
}

/// Keeps the latest definition sent for an activity (the Activities resource).
pub async fn put_activity(c: &mut Conn, tenant: i64, id: &str, definition: &str) -> Result<()> {
    execute!(
        c,
        "INSERT INTO xapi_activities (tenant_id, id, definition) VALUES ($1, $2, $3) \
         ON CONFLICT (tenant_id, id) DO UPDATE SET definition = excluded.definition",
        tenant,
        id,
        definition
    )?;
    Ok(())
}

pub async fn activity(c: &mut Conn, tenant: i64, id: &str) -> Result<Option<String>> {
    Ok(fetch_optional!(
        c,
        (String,),
        "SELECT definition FROM xapi_activities WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?
    .map(|r| r.0))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatementRow {
    pub seq: i64,
    pub id: String,
    pub statement: String,
    pub verb_id: String,
    pub ref_id: Option<String>,
    pub voided: bool,
    pub stored_ms: i64,
}

const STATEMENT: &str =
    "SELECT seq, id, statement, verb_id, ref_id, voided, stored_ms FROM xapi_statements";

pub async fn statement(c: &mut Conn, tenant: i64, id: &str) -> Result<Option<StatementRow>> {
    Ok(fetch_optional!(
        c,
        StatementRow,
        sqlx::AssertSqlSafe(format!("{STATEMENT} WHERE tenant_id = $1 AND id = $2")),
        tenant,
        id
    )?)
}

pub async fn void(c: &mut Conn, tenant: i64, id: &str) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE xapi_statements SET voided = TRUE WHERE tenant_id = $1 AND id = $2",
        tenant,
        id
    )?)
}

/// A statement query's filters (the Statement resource's GET parameters, resolved).
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub agent: Option<String>,
    pub related_agents: bool,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub related_activities: bool,
    pub registration: Option<String>,
}

impl Filter {
    pub fn narrows(&self) -> bool {
        self.agent.is_some()
            || self.verb.is_some()
            || self.activity.is_some()
            || self.registration.is_some()
    }
}

/// One page of unvoided statements stored after `since_ms` and up to `until_ms`, past
/// `cursor` in the order asked; `limit` of them.
pub struct Page {
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub ascending: bool,
    pub cursor: Option<i64>,
    pub limit: i64,
}

/// A page of statements; with a filter, those matching it and those referring to a match by
/// StatementRef (a chain of references followed to its end: a recursive query, each
/// statement once), voided ones matching but never returned.
pub async fn page(
    c: &mut Conn,
    tenant: i64,
    filter: Option<&Filter>,
    p: &Page,
) -> Result<Vec<StatementRow>> {
    let mut q = Dynamic::new("");
    if let Some(f) = filter.filter(|f| f.agent.is_none() && f.activity.is_none()) {
        return columns_page(c, tenant, f, p).await;
    }
    if let Some(f) = filter {
        // The base of the matches is driven by the most selective index: the agent's or the
        // activity's rows when asked for, joined to their statements.
        q.push(
            "WITH RECURSIVE hit(seq, id) AS (SELECT s.seq, s.id FROM ",
            [],
        );
        if let Some(a) = &f.agent {
            let related = if f.related_agents {
                ""
            } else {
                " AND a.related = FALSE"
            };
            q.push(
                &format!(
                    "xapi_statement_agents a JOIN xapi_statements s ON s.tenant_id = a.tenant_id \
                     AND s.seq = a.seq AND a.tenant_id = ? AND a.ifi = ?{related} "
                ),
                [Arg::I64(tenant), Arg::Text(a.clone())],
            );
        }
        if let Some(x) = &f.activity {
            let related = if f.related_activities {
                ""
            } else {
                " AND x.related = FALSE"
            };
            let head = if f.agent.is_some() { "JOIN " } else { "" };
            q.push(
                &format!(
                    "{head}xapi_statement_activities x{} ",
                    if f.agent.is_some() {
                        " ON x.tenant_id = a.tenant_id AND x.seq = a.seq"
                    } else {
                        ""
                    }
                ),
                [],
            );
            if f.agent.is_none() {
                q.push(
                    "JOIN xapi_statements s ON s.tenant_id = x.tenant_id AND s.seq = x.seq ",
                    [],
                );
            }
            q.push(
                &format!("AND x.tenant_id = ? AND x.activity_id = ?{related} "),
                [Arg::I64(tenant), Arg::Text(x.clone())],
            );
        }
        if f.agent.is_none() && f.activity.is_none() {
            q.push("xapi_statements s ", []);
        }
        q.push("WHERE s.tenant_id = ?", [Arg::I64(tenant)]);
        if let Some(v) = &f.verb {
            q.push(" AND s.verb_id = ?", [Arg::Text(v.clone())]);
        }
        if let Some(r) = &f.registration {
            q.push(" AND s.registration = ?", [Arg::Text(r.clone())]);
        }
        q.push(
            " UNION SELECT r.seq, r.id FROM xapi_statements r JOIN hit h ON r.ref_id = h.id \
             WHERE r.tenant_id = ?) ",
            [Arg::I64(tenant)],
        );
    }
    q.push(
        &format!("{STATEMENT} WHERE tenant_id = ? AND voided = FALSE"),
        [Arg::I64(tenant)],
    );
    if filter.is_some() {
        q.push(" AND seq IN (SELECT seq FROM hit)", []);
    }
    window(&mut q, p);
    q.fetch_all(c).await
}

/// A page filtered by statement columns only (verb, registration), read lazily: the
/// statements are walked in order and the walk stops at a page, whatever the number of
/// matches. Those referring to a match (a chain followed to its end) are the few statements
/// with a StatementRef, each checked by its target.
async fn columns_page(
    c: &mut Conn,
    tenant: i64,
    f: &Filter,
    p: &Page,
) -> Result<Vec<StatementRow>> {
    let mut cond = Dynamic::new("");
    let mut conds = Vec::new();
    let mut args = Vec::new();
    if let Some(v) = &f.verb {
        conds.push("{t}.verb_id = ?");
        args.push(Arg::Text(v.clone()));
    }
    if let Some(r) = &f.registration {
        conds.push("{t}.registration = ?");
        args.push(Arg::Text(r.clone()));
    }
    let on = |t: &str| conds.join(" AND ").replace("{t}", t);
    cond.push(
        &format!(
            "WITH RECURSIVE refs(seq, id) AS (SELECT r.seq, r.id FROM xapi_statements r \
             WHERE r.tenant_id = ? AND r.ref_id IS NOT NULL AND EXISTS (SELECT 1 FROM \
             xapi_statements t WHERE t.tenant_id = r.tenant_id AND t.id = r.ref_id AND {}) \
             UNION SELECT r.seq, r.id FROM xapi_statements r JOIN refs x ON r.ref_id = x.id \
             WHERE r.tenant_id = ?) ",
            on("t")
        ),
        std::iter::once(Arg::I64(tenant))
            .chain(args.iter().cloned())
            .chain(std::iter::once(Arg::I64(tenant))),
    );
    cond.push(
        &format!(
            "{STATEMENT} WHERE tenant_id = ? AND voided = FALSE AND (({}) OR seq IN (SELECT seq FROM refs))",
            on("xapi_statements")
        ),
        std::iter::once(Arg::I64(tenant)).chain(args.iter().cloned()),
    );
    window(&mut cond, p);
    cond.fetch_all(c).await
}

/// The time window, the cursor, the order and the size of a page.
fn window(q: &mut Dynamic, p: &Page) {
    if let Some(s) = p.since_ms {
        q.push(" AND stored_ms > ?", [Arg::I64(s)]);
    }
    if let Some(u) = p.until_ms {
        q.push(" AND stored_ms <= ?", [Arg::I64(u)]);
    }
    if let Some(cur) = p.cursor {
        q.push(
            if p.ascending {
                " AND seq > ?"
            } else {
                " AND seq < ?"
            },
            [Arg::I64(cur)],
        );
    }
    q.push(
        &format!(
            " ORDER BY seq {} LIMIT ?",
            if p.ascending { "ASC" } else { "DESC" }
        ),
        [Arg::I64(p.limit)],
    );
}

pub async fn put_attachment(
    c: &mut Conn,
    tenant: i64,
    sha2: &str,
    content_type: &str,
    data: &[u8],
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO xapi_attachments (tenant_id, sha2, content_type, data) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (tenant_id, sha2) DO NOTHING",
        tenant,
        sha2,
        content_type,
        data
    )?;
    Ok(())
}

pub async fn attachment(
    c: &mut Conn,
    tenant: i64,
    sha2: &str,
) -> Result<Option<(String, Vec<u8>)>> {
    Ok(fetch_optional!(
        c,
        (String, Vec<u8>),
        "SELECT content_type, data FROM xapi_attachments WHERE tenant_id = $1 AND sha2 = $2",
        tenant,
        sha2
    )?)
}

/// Where a document lives: its kind (`state`, `activity`, `agent`) and keys ('' when unused).
#[derive(Debug, Clone, Default)]
pub struct DocKey {
    pub kind: &'static str,
    pub activity_id: String,
    pub agent: String,
    pub registration: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DocRow {
    pub doc_id: String,
    pub content_type: String,
    pub data: Vec<u8>,
    pub etag: String,
    pub updated_ms: i64,
}

pub async fn document(c: &mut Conn, tenant: i64, k: &DocKey, id: &str) -> Result<Option<DocRow>> {
    Ok(fetch_optional!(
        c,
        DocRow,
        "SELECT doc_id, content_type, data, etag, updated_ms FROM xapi_documents \
         WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 AND agent = $4 \
         AND registration = $5 AND doc_id = $6",
        tenant,
        k.kind,
        &k.activity_id,
        &k.agent,
        &k.registration,
        id
    )?)
}

/// Ids of the documents under `k` changed after `since_ms`.
pub async fn document_ids(
    c: &mut Conn,
    tenant: i64,
    k: &DocKey,
    since_ms: Option<i64>,
) -> Result<Vec<String>> {
    Ok(fetch_all!(
        c,
        (String,),
        "SELECT doc_id FROM xapi_documents WHERE tenant_id = $1 AND kind = $2 \
         AND activity_id = $3 AND agent = $4 AND registration = $5 AND updated_ms > $6 \
         ORDER BY doc_id",
        tenant,
        k.kind,
        &k.activity_id,
        &k.agent,
        &k.registration,
        since_ms.unwrap_or(i64::MIN)
    )?
    .into_iter()
    .map(|r| r.0)
    .collect())
}

pub async fn put_document(
    c: &mut Conn,
    tenant: i64,
    k: &DocKey,
    id: &str,
    content_type: &str,
    data: &[u8],
    etag: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO xapi_documents (tenant_id, kind, activity_id, agent, registration, doc_id, \
         content_type, data, etag, updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (tenant_id, kind, activity_id, agent, registration, doc_id) DO UPDATE SET \
         content_type = excluded.content_type, data = excluded.data, etag = excluded.etag, \
         updated_ms = excluded.updated_ms",
        tenant,
        k.kind,
        &k.activity_id,
        &k.agent,
        &k.registration,
        id,
        content_type,
        data,
        etag,
        now_ms()
    )?;
    Ok(())
}

/// Deletes one document (`id`) or, with `None`, every document under `k`.
pub async fn delete_documents(
    c: &mut Conn,
    tenant: i64,
    k: &DocKey,
    id: Option<&str>,
) -> Result<u64> {
    Ok(execute!(
        c,
        "DELETE FROM xapi_documents WHERE tenant_id = $1 AND kind = $2 AND activity_id = $3 \
         AND agent = $4 AND registration = $5 AND ($6 IS NULL OR doc_id = $6)",
        tenant,
        k.kind,
        &k.activity_id,
        &k.agent,
        &k.registration,
        id
    )?)
}

/// Records what Cakap did with a completing statement.
pub async fn set_outcome(
    c: &mut Conn,
    tenant: i64,
    seq: i64,
    outcome: &str,
    employee: Option<i64>,
    course: Option<i64>,
) -> Result<()> {
    execute!(
        c,
        "UPDATE xapi_statements SET outcome = $3, employee_id = $4, course_id = $5 \
         WHERE tenant_id = $1 AND seq = $2",
        tenant,
        seq,
        outcome,
        employee,
        course
    )?;
    Ok(())
}

/// Unvoided statements with one of `outcomes`, newest first, with their outcome.
pub async fn waiting(
    c: &mut Conn,
    tenant: i64,
    outcomes: &[&str],
    limit: i64,
) -> Result<Vec<(StatementRow, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        s: StatementRow,
        outcome: String,
    }
    let mut q = Dynamic::new(
        "SELECT seq, id, statement, verb_id, ref_id, voided, stored_ms, outcome FROM xapi_statements \
         WHERE tenant_id = $1 AND voided = FALSE",
    );
    q.args.push(Arg::I64(tenant));
    in_list(&mut q, "outcome", outcomes);
    q.push(" ORDER BY seq DESC LIMIT ?", [Arg::I64(limit)]);
    Ok(q.fetch_all::<Row>(c)
        .await?
        .into_iter()
        .map(|r| (r.s, r.outcome))
        .collect())
}

/// Ids of the unvoided statements with one of `outcomes`, oldest first.
pub async fn with_outcomes(
    c: &mut Conn,
    tenant: i64,
    outcomes: &[&str],
    limit: i64,
) -> Result<Vec<String>> {
    let mut q =
        Dynamic::new("SELECT id FROM xapi_statements WHERE tenant_id = $1 AND voided = FALSE");
    q.args.push(Arg::I64(tenant));
    in_list(&mut q, "outcome", outcomes);
    q.push(" ORDER BY seq LIMIT ?", [Arg::I64(limit)]);
    Ok(q.fetch_all::<(String,)>(c)
        .await?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

fn in_list(q: &mut Dynamic, column: &str, values: &[&str]) {
    q.push(&format!(" AND {column} IN ("), []);
    for (i, v) in values.iter().enumerate() {
        q.push(
            if i == 0 { "?" } else { ", ?" },
            [Arg::Text((*v).to_string())],
        );
    }
    q.push(")", []);
}

/// The unvoided completions waiting for `activity` to be mapped: (seq, id, statement,
/// employee).
pub async fn waiting_for_activity(
    c: &mut Conn,
    tenant: i64,
    activity: &str,
) -> Result<Vec<(i64, String, String, i64)>> {
    Ok(fetch_all!(
        c,
        (i64, String, String, i64),
        "SELECT s.seq, s.id, s.statement, s.employee_id FROM xapi_statements s WHERE s.tenant_id = $1 \
         AND s.outcome = 'unmapped' AND s.voided = FALSE AND s.employee_id IS NOT NULL \
         AND s.seq IN (SELECT seq FROM xapi_statement_activities WHERE tenant_id = $1 \
         AND activity_id = $2 AND related = FALSE) ORDER BY s.seq",
        tenant,
        activity
    )?)
}

/// Statements stored per outcome ('' for those that are not completions).
pub async fn outcome_counts(c: &mut Conn, tenant: i64) -> Result<Vec<(String, i64)>> {
    Ok(fetch_all!(
        c,
        (String, i64),
        "SELECT COALESCE(outcome, ''), COUNT(*) FROM xapi_statements WHERE tenant_id = $1 \
         GROUP BY COALESCE(outcome, '') ORDER BY 1",
        tenant
    )?)
}
