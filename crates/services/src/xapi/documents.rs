//! The document resources: state (activity + agent [+ registration]), activity profiles and
//! agent profiles. PUT replaces, POST merges JSON objects, DELETE removes; ETags guard
//! concurrent writers as xAPI's concurrency rules ask.

use cakap_store::xapi::{self as store, DocKey, DocRow};
use serde_json::Value;

use super::{Client, XapiError, XapiResult};
use crate::Db;

/// Largest document accepted.
pub const MAX_DOCUMENT: usize = 1024 * 1024;

/// `If-Match` / `If-None-Match` of a write.
#[derive(Debug, Default, Clone)]
pub struct Preconditions {
    pub if_match: Option<String>,
    pub if_none_match: Option<String>,
}

impl Preconditions {
    pub fn any(&self) -> bool {
        self.if_match.is_some() || self.if_none_match.is_some()
    }

    /// 412 when the document's ETag (or its absence) does not satisfy the headers.
    fn check(&self, current: Option<&DocRow>) -> XapiResult<()> {
        if let Some(m) = &self.if_match {
            let ok = current.is_some_and(|d| {
                m.split(',').any(|t| {
                    let t = t.trim();
                    t == "*" || t == d.etag || t.trim_matches('"') == d.etag.trim_matches('"')
                })
            });
            if !ok {
                return Err(XapiError::PreconditionFailed(
                    "If-Match does not match".into(),
                ));
            }
        }
        if let Some(m) = &self.if_none_match {
            let hit = current.is_some_and(|d| {
                m.split(',').any(|t| {
                    let t = t.trim();
                    t == "*" || t.trim_matches('"') == d.etag.trim_matches('"')
                })
            });
            if hit {
                return Err(XapiError::PreconditionFailed(
                    "If-None-Match matches".into(),
                ));
            }
        }
        Ok(())
    }
}

/// The ETag of a document's bytes.
pub fn etag(data: &[u8]) -> String {
    use sha2::Digest as _;
    format!("\"{}\"", crate::auth::hex(&sha2::Sha256::digest(data)))
}

pub fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

pub async fn get(db: &Db, client: &Client, key: &DocKey, id: &str) -> XapiResult<Option<DocRow>> {
    let mut c = db.conn().await?;
    Ok(store::document(&mut c, client.tenant_id, key, id).await?)
}

pub async fn ids(
    db: &Db,
    client: &Client,
    key: &DocKey,
    since_ms: Option<i64>,
) -> XapiResult<Vec<String>> {
    let mut c = db.conn().await?;
    Ok(store::document_ids(&mut c, client.tenant_id, key, since_ms).await?)
}

/// How a write treats an existing document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// PUT: replace.
    Replace,
    /// POST: merge the top-level properties of two JSON objects.
    Merge,
}

/// A document as sent: its id, media type and bytes.
pub struct Sent<'a> {
    pub id: &'a str,
    pub content_type: &'a str,
    pub data: &'a [u8],
}

pub async fn write(
    db: &Db,
    client: &Client,
    key: &DocKey,
    doc: &Sent<'_>,
    pre: &Preconditions,
    how: Write,
) -> XapiResult<()> {
    let Sent {
        id,
        content_type,
        data,
    } = *doc;
    if data.len() > MAX_DOCUMENT {
        return Err(XapiError::TooLarge("document larger than 1 MiB".into()));
    }
    if is_json(content_type) && serde_json::from_slice::<Value>(data).is_err() {
        return Err(XapiError::bad("the document says it is JSON but is not"));
    }
    let mut c = db.begin().await?;
    let current = store::document(&mut c, client.tenant_id, key, id).await?;
    pre.check(current.as_ref())?;
    // Profiles (and, in xAPI 2.0, state) overwritten blindly would lose another writer's change.
    if how == Write::Replace && current.is_some() && !pre.any() {
        return Err(XapiError::Conflict(
            "the document exists: send If-Match (or If-None-Match) to overwrite it".into(),
        ));
    }
    let (content_type, data) = match (how, &current) {
        (Write::Merge, Some(old)) => {
            if !is_json(&old.content_type) || !is_json(content_type) {
                return Err(XapiError::bad("only JSON documents can be merged"));
            }
            let Ok(Value::Object(mut merged)) = serde_json::from_slice::<Value>(&old.data) else {
                return Err(XapiError::bad("the stored document is not a JSON object"));
            };
            let Ok(Value::Object(new)) = serde_json::from_slice::<Value>(data) else {
                return Err(XapiError::bad("the document is not a JSON object"));
            };
            merged.extend(new);
            let bytes =
                serde_json::to_vec(&merged).map_err(|e| XapiError::Internal(e.to_string()))?;
            ("application/json".to_string(), bytes)
        }
        (Write::Merge, None) if is_json(content_type) => {
            if !matches!(serde_json::from_slice::<Value>(data), Ok(Value::Object(_))) {
                return Err(XapiError::bad("the document is not a JSON object"));
            }
            (content_type.to_string(), data.to_vec())
        }
        _ => (content_type.to_string(), data.to_vec()),
    };
    store::put_document(
        &mut c,
        client.tenant_id,
        key,
        id,
        &content_type,
        &data,
        &etag(&data),
    )
    .await?;
    c.commit().await?;
    Ok(())
}

/// Deletes one document, or (state only, `id` None) all under `key`.
pub async fn delete(
    db: &Db,
    client: &Client,
    key: &DocKey,
    id: Option<&str>,
    pre: &Preconditions,
) -> XapiResult<()> {
    let mut c = db.begin().await?;
    if let Some(id) = id {
        let current = store::document(&mut c, client.tenant_id, key, id).await?;
        pre.check(current.as_ref())?;
    }
    store::delete_documents(&mut c, client.tenant_id, key, id).await?;
    c.commit().await?;
    Ok(())
}

/// The Activities resource: the activity with the latest definition received.
pub async fn activity(db: &Db, client: &Client, id: &str) -> XapiResult<Value> {
    let mut c = db.conn().await?;
    let def = store::activity(&mut c, client.tenant_id, id).await?;
    let mut out = serde_json::json!({"objectType": "Activity", "id": id});
    if let Some(d) = def.and_then(|d| serde_json::from_str::<Value>(&d).ok())
        && let Some(o) = out.as_object_mut()
    {
        o.insert("definition".into(), d);
    }
    Ok(out)
}

/// The Agents resource: a Person object with what is known of the agent (its identifier and
/// name as given).
pub fn person(agent: &Value) -> Value {
    let mut p = serde_json::Map::new();
    p.insert("objectType".into(), "Person".into());
    for k in ["name", "mbox", "mbox_sha1sum", "openid", "account"] {
        if let Some(v) = agent.get(k) {
            p.insert(k.into(), Value::Array(vec![v.clone()]));
        }
    }
    Value::Object(p)
}
