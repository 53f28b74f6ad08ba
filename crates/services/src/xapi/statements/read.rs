//! Reading statements: one by id, a filtered page with its cursor, in the format asked, with
//! their attachments.

use std::collections::HashSet;

use cakap_store::xapi::{self as store, Filter, StatementRow};
use serde_json::Value;

use super::super::{Client, XapiError, XapiResult};
use super::{MAX_ATTACHMENT_BYTES, MAX_LIMIT};
use crate::Db;

/// How statements are returned (`format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Exact,
    Ids,
    Canonical,
}

/// A GET on the Statement resource, its parameters parsed.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub statement_id: Option<String>,
    pub voided_statement_id: Option<String>,
    pub filter: Filter,
    pub since_ms: Option<i64>,
    pub until_ms: Option<i64>,
    pub limit: i64,
    pub ascending: bool,
    pub cursor: Option<i64>,
    pub format: Format,
}

/// Statements read, with the cursor of the next page when there is one.
#[derive(Debug)]
pub struct Found {
    pub statements: Vec<StatementRow>,
    pub next: Option<i64>,
}

/// One statement by `statementId` (not voided) or `voidedStatementId` (voided only).
pub async fn one(db: &Db, client: &Client, q: &Query) -> XapiResult<StatementRow> {
    let mut c = db.conn().await?;
    let (id, voided) = match (&q.statement_id, &q.voided_statement_id) {
        (Some(id), None) => (id, false),
        (None, Some(id)) => (id, true),
        _ => return Err(XapiError::bad("statementId or voidedStatementId, not both")),
    };
    let row = store::statement(&mut c, client.tenant_id, &id.to_ascii_lowercase())
        .await?
        .ok_or(XapiError::NotFound)?;
    if row.voided != voided {
        return Err(XapiError::NotFound);
    }
    Ok(row)
}

/// A page of statements matching the filters, newest stored first unless `ascending`;
/// statements that refer (by StatementRef) to a match are matches too.
pub async fn page(db: &Db, client: &Client, q: &Query) -> XapiResult<Found> {
    let mut c = db.conn().await?;
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let mut rows = store::page(
        &mut c,
        client.tenant_id,
        q.filter.narrows().then_some(&q.filter),
        &store::Page {
            since_ms: q.since_ms,
            until_ms: q.until_ms,
            ascending: q.ascending,
            cursor: q.cursor,
            limit: limit + 1,
        },
    )
    .await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.seq)
    } else {
        None
    };
    Ok(Found {
        statements: rows,
        next,
    })
}

/// A stored statement in the `format` asked; `languages` orders the canonical language maps.
pub fn render(row: &StatementRow, format: Format, languages: &[String]) -> Value {
    let mut v: Value = serde_json::from_str(&row.statement).unwrap_or(Value::Null);
    match format {
        Format::Exact => {}
        Format::Ids => ids_only(&mut v),
        Format::Canonical => canonical(&mut v, languages),
    }
    v
}

/// `format=ids`: agents and groups reduced to their identifier, activities to their id,
/// verbs to their id.
fn ids_only(v: &mut Value) {
    let Some(o) = v.as_object_mut() else { return };
    for (k, x) in o.iter_mut() {
        match k.as_str() {
            "actor" | "authority" | "instructor" | "team" | "agent" | "group" => agent_ids(x),
            "verb" => {
                if let Some(vo) = x.as_object_mut() {
                    vo.retain(|k, _| k == "id");
                }
            }
            "object" => match x.get("objectType").and_then(Value::as_str) {
                Some("Agent" | "Group") => agent_ids(x),
                Some("SubStatement") => ids_only(x),
                Some("StatementRef") => {}
                _ => activity_ids(x),
            },
            "context" => {
                ids_only(x);
                if let Some(ca) = x
                    .get_mut("contextActivities")
                    .and_then(Value::as_object_mut)
                {
                    for list in ca.values_mut() {
                        match list {
                            Value::Array(items) => items.iter_mut().for_each(activity_ids),
                            a => activity_ids(a),
                        }
                    }
                }
                for k in ["contextAgents", "contextGroups"] {
                    if let Some(items) = x.get_mut(k).and_then(Value::as_array_mut) {
                        items.iter_mut().for_each(ids_only);
                    }
                }
            }
            _ => {}
        }
    }
}

fn agent_ids(a: &mut Value) {
    let Some(o) = a.as_object_mut() else { return };
    let anonymous = !["mbox", "mbox_sha1sum", "openid", "account"]
        .iter()
        .any(|k| o.contains_key(*k));
    o.retain(|k, _| {
        matches!(
            k.as_str(),
            "objectType" | "mbox" | "mbox_sha1sum" | "openid" | "account"
        ) || (anonymous && k == "member")
    });
    if let Some(m) = o.get_mut("member").and_then(Value::as_array_mut) {
        m.iter_mut().for_each(agent_ids);
    }
}

fn activity_ids(a: &mut Value) {
    if let Some(o) = a.as_object_mut() {
        o.retain(|k, _| k == "id");
    }
}

/// `format=canonical`: every language map keeps one entry, the reader's language if present.
fn canonical(v: &mut Value, languages: &[String]) {
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if matches!(k.as_str(), "display" | "name" | "description")
                    && let Some(m) = x.as_object_mut()
                    && m.values().all(Value::is_string)
                    && m.len() > 1
                {
                    let keep = languages
                        .iter()
                        .find_map(|l| m.keys().find(|k| k.eq_ignore_ascii_case(l)).cloned())
                        .or_else(|| m.keys().next().cloned());
                    m.retain(|k, _| Some(k) == keep.as_ref());
                } else if k != "extensions" {
                    canonical(x, languages);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| canonical(x, languages)),
        _ => {}
    }
}

/// The SHA-256 of each attachment the statements carry that the LRS holds.
pub fn attachment_hashes(rows: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for s in rows {
        let subs = s
            .get("object")
            .filter(|o| o.get("objectType").and_then(Value::as_str) == Some("SubStatement"));
        for holder in std::iter::once(s).chain(subs) {
            for a in holder
                .get("attachments")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(h) = a.get("sha2").and_then(Value::as_str)
                    && seen.insert(h.to_string())
                {
                    out.push(h.to_string());
                }
            }
        }
    }
    out
}

pub async fn attachments(
    db: &Db,
    client: &Client,
    hashes: &[String],
) -> XapiResult<Vec<(String, String, Vec<u8>)>> {
    let mut c = db.conn().await?;
    let mut out = Vec::new();
    let mut bytes = 0;
    for h in hashes {
        if let Some((ct, data)) = store::attachment(&mut c, client.tenant_id, h).await? {
            bytes += data.len();
            if bytes > MAX_ATTACHMENT_BYTES {
                return Err(XapiError::TooLarge(
                    "the attachments exceed 32 MiB: ask for fewer statements (limit)".into(),
                ));
            }
            out.push((h.clone(), ct, data));
        }
    }
    Ok(out)
}
