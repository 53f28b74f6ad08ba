//! `/xapi/statements`: POST (one or many, JSON or multipart/mixed with attachments), PUT with
//! `statementId`, GET one or a page.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{Extensions, HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cakap_services::xapi::statements::{self as svc, Format, Incoming, Query};
use cakap_services::xapi::{XapiError, credit, validate};
use serde_json::Value;

use super::{bool_param, client, fail, multipart, only, params, time_param};
use crate::AppState;

const QUERY_PARAMS: [&str; 14] = [
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
];

pub async fn post(
    State(s): State<AppState>,
    ext: Extensions,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let run = async {
        let p = params(q.as_deref())?;
        only(&p, &[])?;
        let stored = write(&s, &ext, &headers, &body, None).await?;
        Ok::<_, XapiError>(axum::Json(stored).into_response())
    };
    run.await.unwrap_or_else(fail)
}

pub async fn put(
    State(s): State<AppState>,
    ext: Extensions,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let run = async {
        let p = params(q.as_deref())?;
        only(&p, &["statementId"])?;
        let id = p
            .get("statementId")
            .ok_or_else(|| XapiError::bad("statementId is required"))?;
        if !validate::is_uuid(id) {
            return Err(XapiError::bad("statementId is not a UUID"));
        }
        write(&s, &ext, &headers, &body, Some(id)).await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    };
    run.await.unwrap_or_else(fail)
}

/// Reads the body (JSON, or multipart/mixed with attachments), stores it, and credits the
/// completions among what was new. Returns the ids in order.
async fn write(
    s: &AppState,
    ext: &Extensions,
    headers: &HeaderMap,
    body: &[u8],
    put_id: Option<&str>,
) -> Result<Vec<String>, XapiError> {
    let client = client(ext)?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut incoming = Incoming::default();
    let json: &[u8] = if cakap_services::xapi::documents::is_json(content_type) {
        body
    } else if content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("multipart/mixed"))
    {
        let parts = multipart::parse(content_type, body)?;
        incoming.attachments = parts.attachments;
        return finish(s, &client, incoming, &parts.json, put_id).await;
    } else {
        return Err(XapiError::bad(
            "statements are sent as application/json or multipart/mixed",
        ));
    };
    finish(s, &client, incoming, json, put_id).await
}

async fn finish(
    s: &AppState,
    client: &cakap_services::xapi::Client,
    mut incoming: Incoming,
    json: &[u8],
    put_id: Option<&str>,
) -> Result<Vec<String>, XapiError> {
    let v: Value =
        serde_json::from_slice(json).map_err(|_| XapiError::bad("the body is not JSON"))?;
    incoming.statements = match v {
        Value::Array(list) if put_id.is_none() => list,
        Value::Array(_) => return Err(XapiError::bad("PUT takes one statement")),
        one => vec![one],
    };
    let stored = svc::store(&s.db, client, incoming, put_id).await?;
    if !stored.completing.is_empty() {
        credit::apply(&s.db, client, s.config.public_url(), &stored.completing).await;
    }
    Ok(stored.ids)
}

pub async fn get(
    State(s): State<AppState>,
    ext: Extensions,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Response {
    read(&s, &ext, q.as_deref(), &headers)
        .await
        .unwrap_or_else(fail)
}

async fn read(
    s: &AppState,
    ext: &Extensions,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, XapiError> {
    let client = client(ext)?;
    let p = params(raw)?;
    let mut allowed = QUERY_PARAMS.to_vec();
    allowed.push("cursor");
    only(&p, &allowed)?;
    let q = query(&p)?;
    let languages = accept_language(headers);
    let with_attachments = bool_param(&p, "attachments")?;
    if q.statement_id.is_some() || q.voided_statement_id.is_some() {
        let row = svc::one(&s.db, &client, &q).await?;
        let statement = svc::render(&row, q.format, &languages);
        let mut res = if with_attachments {
            let hashes = svc::attachment_hashes(std::slice::from_ref(&statement));
            let files = svc::attachments(&s.db, &client, &hashes).await?;
            multipart::response(&statement, &files)
        } else {
            axum::Json(statement).into_response()
        };
        if let Some(v) = super::http_date(row.stored_ms) {
            res.headers_mut().insert(header::LAST_MODIFIED, v);
        }
        return Ok(res);
    }
    let found = svc::page(&s.db, &client, &q).await?;
    let statements: Vec<Value> = found
        .statements
        .iter()
        .map(|r| svc::render(r, q.format, &languages))
        .collect();
    let more = match found.next {
        Some(cursor) => {
            let mut pairs: Vec<(&str, String)> = p
                .iter()
                .filter(|(k, _)| k.as_str() != "cursor")
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            pairs.sort();
            pairs.push(("cursor", cursor.to_string()));
            let qs = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            format!("/xapi/statements?{qs}")
        }
        None => String::new(),
    };
    let last = found.statements.iter().map(|r| r.stored_ms).max();
    let result = serde_json::json!({"statements": statements, "more": more});
    let mut res = if with_attachments {
        let hashes = svc::attachment_hashes(&statements);
        let files = svc::attachments(&s.db, &client, &hashes).await?;
        multipart::response(&result, &files)
    } else {
        axum::Json(result).into_response()
    };
    if let Some(v) = last.and_then(super::http_date) {
        res.headers_mut().insert(header::LAST_MODIFIED, v);
    }
    Ok(res)
}

fn query(p: &std::collections::HashMap<String, String>) -> Result<Query, XapiError> {
    let mut q = Query {
        limit: svc::MAX_LIMIT,
        ..Query::default()
    };
    for (k, slot) in [
        ("statementId", &mut q.statement_id),
        ("voidedStatementId", &mut q.voided_statement_id),
    ] {
        if let Some(id) = p.get(k) {
            if !validate::is_uuid(id) {
                return Err(XapiError::bad(format!("{k} is not a UUID")));
            }
            *slot = Some(id.clone());
        }
    }
    if q.statement_id.is_some() || q.voided_statement_id.is_some() {
        if let Some(k) = p.keys().find(|k| {
            !matches!(
                k.as_str(),
                "statementId" | "voidedStatementId" | "format" | "attachments"
            )
        }) {
            return Err(XapiError::bad(format!(
                "{k} cannot be combined with statementId or voidedStatementId"
            )));
        }
        if q.statement_id.is_some() && q.voided_statement_id.is_some() {
            return Err(XapiError::bad("statementId or voidedStatementId, not both"));
        }
    }
    if let Some(a) = p.get("agent") {
        q.filter.agent = Some(super::agent_param(a)?.1);
    }
    for (k, slot) in [
        ("verb", &mut q.filter.verb),
        ("activity", &mut q.filter.activity),
    ] {
        if let Some(v) = p.get(k) {
            validate::iri(v, k)?;
            *slot = Some(v.clone());
        }
    }
    if let Some(r) = p.get("registration") {
        if !validate::is_uuid(r) {
            return Err(XapiError::bad("registration is not a UUID"));
        }
        q.filter.registration = Some(r.to_ascii_lowercase());
    }
    q.filter.related_agents = bool_param(p, "related_agents")?;
    q.filter.related_activities = bool_param(p, "related_activities")?;
    q.ascending = bool_param(p, "ascending")?;
    q.since_ms = time_param(p, "since")?;
    q.until_ms = time_param(p, "until")?;
    if let Some(l) = p.get("limit") {
        let n: i64 = l
            .parse()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| XapiError::bad("limit must be a whole number"))?;
        q.limit = if n == 0 {
            svc::MAX_LIMIT
        } else {
            n.min(svc::MAX_LIMIT)
        };
    }
    q.format = match p.get("format").map(String::as_str) {
        None | Some("exact") => Format::Exact,
        Some("ids") => Format::Ids,
        Some("canonical") => Format::Canonical,
        Some(_) => return Err(XapiError::bad("format must be ids, exact or canonical")),
    };
    if let Some(c) = p.get("cursor") {
        q.cursor = Some(c.parse().map_err(|_| XapiError::bad("unreadable cursor"))?);
    }
    Ok(q)
}

/// Languages of `Accept-Language`, most wanted first.
fn accept_language(h: &HeaderMap) -> Vec<String> {
    let Some(v) = h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return Vec::new();
    };
    let mut tags: Vec<(f32, String)> = v
        .split(',')
        .filter_map(|part| {
            let mut it = part.split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|x| x.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && tag != "*").then(|| (q, tag.to_string()))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0));
    tags.into_iter().map(|t| t.1).collect()
}
