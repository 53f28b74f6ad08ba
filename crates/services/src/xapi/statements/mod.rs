//! The Statement resource: storing (one or many, all or none), voiding, conflicts, attachments
//! and signed statements; reading one, or a filtered page with a `more` cursor.

use std::collections::{HashMap, HashSet};

use cakap_store::xapi::{self as store, NewStatement};
use serde_json::{Map, Value};

mod read;
pub use read::*;

use super::{Client, XapiError, XapiResult, validate};
use crate::Db;

pub const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";
const SIGNATURE: &str = "http://adlnet.gov/expapi/attachments/signature";

/// Most statements a page answers.
pub const MAX_LIMIT: i64 = 500;

/// Most statements one request stores (a larger batch would hold the write lock too long).
pub const MAX_BATCH: usize = 1000;

/// Most attachment bytes one response carries.
pub const MAX_ATTACHMENT_BYTES: usize = 32 * 1024 * 1024;

/// Statements as received, with the raw attachments that came with them (multipart/mixed),
/// by SHA-256.
#[derive(Debug, Default)]
pub struct Incoming {
    pub statements: Vec<Value>,
    pub attachments: HashMap<String, (String, Vec<u8>)>,
}

/// What a write did: the ids, in order, and those stored now (not already there).
#[derive(Debug, Default)]
pub struct Stored {
    pub ids: Vec<String>,
    pub new: Vec<String>,
    /// Of `new`, those whose verb completes a course (for [`super::credit::apply`]).
    pub completing: Vec<String>,
}

/// Stores `incoming` for `client`: every statement checked first, then all stored in one
/// transaction or none. `put_id` is the `statementId` of a PUT.
pub async fn store(
    db: &Db,
    client: &Client,
    mut incoming: Incoming,
    put_id: Option<&str>,
) -> XapiResult<Stored> {
    if incoming.statements.is_empty() {
        return Err(XapiError::bad("no statement"));
    }
    if incoming.statements.len() > MAX_BATCH {
        return Err(XapiError::bad(format!(
            "at most {MAX_BATCH} statements per request"
        )));
    }
    let mut seen = HashSet::new();
    let mut used_hashes = HashSet::new();
    for s in &mut incoming.statements {
        validate::statement(s)?;
        let o = s
            .as_object_mut()
            .ok_or_else(|| XapiError::bad("a statement must be an object"))?;
        normalize_context(o);
        match (put_id, o.get("id").and_then(Value::as_str)) {
            (Some(p), Some(id)) if !p.eq_ignore_ascii_case(id) => {
                return Err(XapiError::bad(
                    "statementId differs from the statement's id",
                ));
            }
            (Some(p), _) => {
                o.insert("id".into(), Value::String(p.to_ascii_lowercase()));
            }
            (None, Some(id)) => {
                let id = id.to_ascii_lowercase();
                o.insert("id".into(), Value::String(id));
            }
            (None, None) => {
                o.insert("id".into(), Value::String(new_uuid()));
            }
        }
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if !seen.insert(id) {
            return Err(XapiError::bad("the same id twice in one request"));
        }
        check_attachments(o, &incoming.attachments, &mut used_hashes)?;
        if o.get("verb")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            == Some(VOIDED)
            && o.get("object")
                .and_then(|x| x.get("objectType"))
                .and_then(Value::as_str)
                != Some("StatementRef")
        {
            return Err(XapiError::bad(
                "a voiding statement's object must be a StatementRef",
            ));
        }
    }
    if let Some(extra) = incoming
        .attachments
        .keys()
        .find(|h| !used_hashes.contains(h.as_str()))
    {
        return Err(XapiError::bad(format!(
            "attachment {extra} is not declared by any statement"
        )));
    }

    let now = chrono::Utc::now();
    let stored = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let stored_ms = now.timestamp_millis();
    let mut c = db.begin().await?;
    let mut out = Stored::default();
    for s in &mut incoming.statements {
        let o = s
            .as_object_mut()
            .ok_or_else(|| XapiError::bad("not an object"))?;
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        out.ids.push(id.clone());
        if let Some(existing) = store::statement(&mut c, client.tenant_id, &id).await? {
            if same_statement(&existing.statement, o) {
                continue;
            }
            return Err(XapiError::Conflict(format!(
                "statement {id} exists with different content"
            )));
        }
        let target = voided_target(o);
        if let Some(t) = &target
            && let Some(row) = store::statement(&mut c, client.tenant_id, t).await?
            && row.verb_id == VOIDED
        {
            return Err(XapiError::bad("a voiding statement cannot be voided"));
        }
        if !o.contains_key("timestamp") {
            o.insert("timestamp".into(), Value::String(stored.clone()));
        } else if let Some(t) = o.get("timestamp").and_then(Value::as_str)
            && let Some(utc) = validate::timestamp(t)
            && !t.ends_with('Z')
        {
            // xAPI 2.0: a timestamp in another zone is kept as the same instant in UTC.
            let t = utc.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
            o.insert("timestamp".into(), Value::String(t));
        }
        o.insert("stored".into(), Value::String(stored.clone()));
        o.insert("authority".into(), client.authority.clone());
        if !o.contains_key("version") {
            o.insert("version".into(), Value::String(super::VERSION.into()));
        }
        let verb_id = o
            .get("verb")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let ref_id = o
            .get("object")
            .filter(|x| x.get("objectType").and_then(Value::as_str) == Some("StatementRef"))
            .and_then(|x| x.get("id"))
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let registration = o
            .get("context")
            .and_then(|x| x.get("registration"))
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase);
        let text = serde_json::to_string(&*o).map_err(|e| XapiError::Internal(e.to_string()))?;
        let seq = store::insert_statement(
            &mut c,
            client.tenant_id,
            &NewStatement {
                id: &id,
                statement: &text,
                verb_id: &verb_id,
                ref_id: ref_id.as_deref(),
                registration: registration.as_deref(),
                stored_ms,
                client_id: client.id,
                outcome: super::credit::COMPLETING
                    .contains(&verb_id.as_str())
                    .then_some(super::credit::Outcome::Pending.as_str()),
            },
        )
        .await
        .map_err(|e| match e {
            // Another request stored the same id a moment ago (PostgreSQL runs them at once).
            cakap_store::StoreError::Duplicate(_) => {
                XapiError::Conflict(format!("statement {id} was stored by another request"))
            }
            e => e.into(),
        })?;
        let (agents, activities) = index(o);
        for (ifi, related) in agents {
            store::add_agent(&mut c, client.tenant_id, seq, &ifi, related).await?;
        }
        for (activity, related, definition) in activities {
            store::add_activity(&mut c, client.tenant_id, seq, &activity, related).await?;
            if let Some(d) = definition {
                let old = store::activity(&mut c, client.tenant_id, &activity).await?;
                let merged = merge_definition(old.as_deref(), &d);
                store::put_activity(&mut c, client.tenant_id, &activity, &merged).await?;
            }
        }
        if let Some(t) = target {
            store::void(&mut c, client.tenant_id, &t).await?;
        }
        if super::credit::COMPLETING.contains(&verb_id.as_str()) {
            out.completing.push(id.clone());
        }
        out.new.push(id);
    }
    for (hash, (content_type, data)) in &incoming.attachments {
        store::put_attachment(&mut c, client.tenant_id, hash, content_type, data).await?;
    }
    c.commit().await?;
    Ok(out)
}

/// A random (version 4) UUID in lower case.
pub fn new_uuid() -> String {
    let mut b = [0u8; 16];
    // getrandom only fails when the OS has no entropy source; nothing can run then.
    getrandom::fill(&mut b).expect("operating system random source");
    crate::auth::uuid_v4(b)
}

fn voided_target(o: &Map<String, Value>) -> Option<String> {
    (o.get("verb")
        .and_then(|v| v.get("id"))
        .and_then(Value::as_str)
        == Some(VOIDED))
    .then(|| {
        o.get("object")
            .and_then(|x| x.get("id"))
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase)
    })
    .flatten()
}

/// Whether a statement received again is the one stored: what the LRS set (stored,
/// authority, version, a timestamp it filled in) is left out of the comparison.
fn same_statement(stored: &str, incoming: &Map<String, Value>) -> bool {
    let Ok(Value::Object(mut old)) = serde_json::from_str::<Value>(stored) else {
        return false;
    };
    let mut new = incoming.clone();
    for k in ["stored", "authority", "version"] {
        old.remove(k);
        new.remove(k);
    }
    if !new.contains_key("timestamp") {
        old.remove("timestamp");
    } else if let (Some(a), Some(b)) = (
        old.get("timestamp")
            .and_then(Value::as_str)
            .and_then(validate::timestamp),
        new.get("timestamp")
            .and_then(Value::as_str)
            .and_then(validate::timestamp),
    ) && a == b
    {
        old.remove("timestamp");
        new.remove("timestamp");
    }
    old == new
}

/// Every attachment without a `fileUrl` must have come with the request; a signature must
/// be a JWS whose payload is this statement.
fn check_attachments(
    o: &Map<String, Value>,
    parts: &HashMap<String, (String, Vec<u8>)>,
    used: &mut HashSet<String>,
) -> XapiResult<()> {
    let Some(list) = o.get("attachments").and_then(Value::as_array) else {
        return Ok(());
    };
    for a in list {
        let sha2 = a.get("sha2").and_then(Value::as_str).unwrap_or_default();
        let has_url = a.get("fileUrl").is_some();
        let part = parts.get(sha2);
        if part.is_none() && !has_url {
            return Err(XapiError::bad(format!(
                "attachment {sha2} has neither a fileUrl nor a part in the request"
            )));
        }
        if part.is_some() {
            used.insert(sha2.to_string());
        }
        if a.get("usageType").and_then(Value::as_str) == Some(SIGNATURE) {
            let (ct, data) = part.ok_or_else(|| XapiError::bad("a signature must be sent"))?;
            if ct != "application/octet-stream" {
                return Err(XapiError::bad(
                    "a signature's contentType is application/octet-stream",
                ));
            }
            if a.get("contentType").and_then(Value::as_str) != Some("application/octet-stream") {
                return Err(XapiError::bad(
                    "a signature's contentType is application/octet-stream",
                ));
            }
            super::validate::signature(o, data)?;
        }
    }
    Ok(())
}

/// The agents (IFI key, related) and activities (id, related, definition as JSON) a
/// statement names, for the query filters and the Activities resource.
#[allow(clippy::type_complexity)]
fn index(o: &Map<String, Value>) -> (Vec<(String, bool)>, Vec<(String, bool, Option<Value>)>) {
    let mut agents = Vec::new();
    let mut activities = Vec::new();
    walk(o, false, &mut agents, &mut activities);
    if let Some(a) = o.get("authority") {
        agent_keys(a, true, &mut agents);
    }
    (agents, activities)
}

#[allow(clippy::type_complexity)]
fn walk(
    o: &Map<String, Value>,
    related: bool,
    agents: &mut Vec<(String, bool)>,
    activities: &mut Vec<(String, bool, Option<Value>)>,
) {
    if let Some(a) = o.get("actor") {
        agent_keys(a, related, agents);
    }
    if let Some(x) = o.get("object") {
        match x.get("objectType").and_then(Value::as_str) {
            Some("Agent" | "Group") => agent_keys(x, related, agents),
            Some("SubStatement") => {
                if let Some(sub) = x.as_object() {
                    walk(sub, true, agents, activities);
                }
            }
            Some("StatementRef") => {}
            _ => activity_key(x, related, activities),
        }
    }
    if let Some(ctx) = o.get("context") {
        for k in ["instructor", "team"] {
            if let Some(a) = ctx.get(k) {
                agent_keys(a, true, agents);
            }
        }
        for ca in ctx
            .get("contextAgents")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(a) = ca.get("agent") {
                agent_keys(a, true, agents);
            }
        }
        for cg in ctx
            .get("contextGroups")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(g) = cg.get("group") {
                agent_keys(g, true, agents);
            }
        }
        if let Some(ca) = ctx.get("contextActivities").and_then(Value::as_object) {
            for list in ca.values() {
                match list {
                    Value::Array(items) => {
                        for a in items {
                            activity_key(a, true, activities);
                        }
                    }
                    a => activity_key(a, true, activities),
                }
            }
        }
    }
}

fn agent_keys(a: &Value, related: bool, out: &mut Vec<(String, bool)>) {
    if let Some(k) = ifi_key(a) {
        out.push((k, related));
    }
    for m in a
        .get("member")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(k) = ifi_key(m) {
            out.push((k, true));
        }
    }
}

#[allow(clippy::type_complexity)]
fn activity_key(a: &Value, related: bool, out: &mut Vec<(String, bool, Option<Value>)>) {
    if let Some(id) = a.get("id").and_then(Value::as_str) {
        out.push((id.to_string(), related, a.get("definition").cloned()));
    }
}

/// The activity's definition kept for the Activities resource: the new one over the old,
/// language maps joined (a name in English from one statement, in Indonesian from another).
fn merge_definition(old: Option<&str>, new: &Value) -> String {
    let mut merged = old
        .and_then(|o| serde_json::from_str::<Value>(o).ok())
        .and_then(|v| match v {
            Value::Object(m) => Some(m),
            _ => None,
        })
        .unwrap_or_default();
    if let Value::Object(n) = new {
        for (k, v) in n {
            match (merged.get_mut(k), v) {
                (Some(Value::Object(old_map)), Value::Object(new_map))
                    if matches!(k.as_str(), "name" | "description") =>
                {
                    for (lang, text) in new_map {
                        old_map.insert(lang.clone(), text.clone());
                    }
                }
                _ => {
                    merged.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Value::Object(merged).to_string()
}

/// Context activities are kept as arrays, as the specification returns them, in the
/// statement and in a SubStatement.
fn normalize_context(o: &mut Map<String, Value>) {
    if let Some(ca) = o
        .get_mut("context")
        .and_then(|c| c.get_mut("contextActivities"))
        .and_then(Value::as_object_mut)
    {
        for v in ca.values_mut() {
            if v.is_object() {
                *v = Value::Array(vec![v.take()]);
            }
        }
    }
    if let Some(sub) = o
        .get_mut("object")
        .filter(|x| x.get("objectType").and_then(Value::as_str) == Some("SubStatement"))
        .and_then(Value::as_object_mut)
    {
        normalize_context(sub);
    }
}

/// The identifier of an Agent or identified Group as one string (`mbox|mailto:…`,
/// `account|homePage|name`, …); `None` for an anonymous Group.
pub fn ifi_key(a: &Value) -> Option<String> {
    if let Some(m) = a.get("mbox").and_then(Value::as_str) {
        return Some(format!("mbox|{}", m.to_ascii_lowercase()));
    }
    if let Some(m) = a.get("mbox_sha1sum").and_then(Value::as_str) {
        return Some(format!("mbox_sha1sum|{}", m.to_ascii_lowercase()));
    }
    if let Some(m) = a.get("openid").and_then(Value::as_str) {
        return Some(format!("openid|{m}"));
    }
    let acc = a.get("account")?;
    Some(format!(
        "account|{}|{}",
        acc.get("homePage").and_then(Value::as_str)?,
        acc.get("name").and_then(Value::as_str)?
    ))
}
