//! The document resources (`/activities/state`, `/activities/profile`, `/agents/profile`) and
//! the two read-only ones (`/agents`, `/activities`).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use cakap_services::xapi::documents::{self as svc, Preconditions, Write};
use cakap_services::xapi::{XapiError, validate};
use cakap_store::xapi::DocKey;

use super::{agent_param, body_response, client, fail, http_date, only, params, time_param};
use crate::AppState;

/// The three document resources, as what identifies a document in each.
#[derive(Clone, Copy)]
enum Kind {
    State,
    ActivityProfile,
    AgentProfile,
}

impl Kind {
    fn id_param(self) -> &'static str {
        match self {
            Kind::State => "stateId",
            _ => "profileId",
        }
    }

    fn allowed(self) -> &'static [&'static str] {
        match self {
            Kind::State => &["activityId", "agent", "registration", "stateId", "since"],
            Kind::ActivityProfile => &["activityId", "profileId", "since"],
            Kind::AgentProfile => &["agent", "profileId", "since"],
        }
    }

    /// The document's key from the parameters, every one checked.
    fn key(self, p: &HashMap<String, String>) -> Result<DocKey, XapiError> {
        only(p, self.allowed())?;
        let mut k = DocKey {
            kind: match self {
                Kind::State => "state",
                Kind::ActivityProfile => "activity",
                Kind::AgentProfile => "agent",
            },
            ..DocKey::default()
        };
        if matches!(self, Kind::State | Kind::ActivityProfile) {
            let a = p
                .get("activityId")
                .ok_or_else(|| XapiError::bad("activityId is required"))?;
            validate::iri(a, "activityId")?;
            k.activity_id = a.clone();
        }
        if matches!(self, Kind::State | Kind::AgentProfile) {
            let a = p
                .get("agent")
                .ok_or_else(|| XapiError::bad("agent is required"))?;
            k.agent = agent_param(a)?.1;
        }
        if let Some(r) = p.get("registration") {
            if !validate::is_uuid(r) {
                return Err(XapiError::bad("registration is not a UUID"));
            }
            k.registration = r.to_ascii_lowercase();
        }
        Ok(k)
    }
}

fn preconditions(h: &HeaderMap) -> Preconditions {
    let get = |n: header::HeaderName| h.get(n).and_then(|v| v.to_str().ok()).map(str::to_string);
    Preconditions {
        if_match: get(header::IF_MATCH),
        if_none_match: get(header::IF_NONE_MATCH),
    }
}

async fn doc_get(s: AppState, ext: Extensions, q: Option<String>, kind: Kind) -> Response {
    let run = async {
        let client = client(&ext)?;
        let p = params(q.as_deref())?;
        let key = kind.key(&p)?;
        match p.get(kind.id_param()) {
            Some(id) => {
                if p.contains_key("since") {
                    return Err(XapiError::bad("since lists documents; it takes no id"));
                }
                let d = svc::get(&s.db, &client, &key, id)
                    .await?
                    .ok_or(XapiError::NotFound)?;
                let mut res = body_response(StatusCode::OK, &d.content_type, d.data);
                let h = res.headers_mut();
                if let Ok(v) = HeaderValue::from_str(&d.etag) {
                    h.insert(header::ETAG, v);
                }
                if let Some(v) = http_date(d.updated_ms) {
                    h.insert(header::LAST_MODIFIED, v);
                }
                Ok(res)
            }
            None => {
                let since = time_param(&p, "since")?;
                Ok(axum::Json(svc::ids(&s.db, &client, &key, since).await?).into_response())
            }
        }
    };
    run.await.unwrap_or_else(fail)
}

async fn doc_write(
    s: AppState,
    ext: Extensions,
    q: Option<String>,
    h: HeaderMap,
    body: Bytes,
    kind: Kind,
    how: Write,
) -> Response {
    let run = async {
        let client = client(&ext)?;
        let p = params(q.as_deref())?;
        let key = kind.key(&p)?;
        if p.contains_key("since") {
            return Err(XapiError::bad("since is for reading"));
        }
        let id = p
            .get(kind.id_param())
            .ok_or_else(|| XapiError::bad(format!("{} is required", kind.id_param())))?;
        let ct = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream");
        let doc = svc::Sent {
            id,
            content_type: ct,
            data: &body,
        };
        svc::write(&s.db, &client, &key, &doc, &preconditions(&h), how).await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    };
    run.await.unwrap_or_else(fail)
}

async fn doc_delete(
    s: AppState,
    ext: Extensions,
    q: Option<String>,
    h: HeaderMap,
    kind: Kind,
) -> Response {
    let run = async {
        let client = client(&ext)?;
        let p = params(q.as_deref())?;
        let key = kind.key(&p)?;
        if p.contains_key("since") {
            return Err(XapiError::bad("since is for reading"));
        }
        let id = p.get(kind.id_param()).map(String::as_str);
        // Only state may be deleted all at once.
        if id.is_none() && !matches!(kind, Kind::State) {
            return Err(XapiError::bad(format!("{} is required", kind.id_param())));
        }
        svc::delete(&s.db, &client, &key, id, &preconditions(&h)).await?;
        Ok(StatusCode::NO_CONTENT.into_response())
    };
    run.await.unwrap_or_else(fail)
}

macro_rules! document_handlers {
    ($kind:expr, $get:ident, $put:ident, $post:ident, $delete:ident) => {
        pub async fn $get(
            State(s): State<AppState>,
            ext: Extensions,
            RawQuery(q): RawQuery,
        ) -> Response {
            doc_get(s, ext, q, $kind).await
        }
        pub async fn $put(
            State(s): State<AppState>,
            ext: Extensions,
            RawQuery(q): RawQuery,
            h: HeaderMap,
            body: Bytes,
        ) -> Response {
            doc_write(s, ext, q, h, body, $kind, Write::Replace).await
        }
        pub async fn $post(
            State(s): State<AppState>,
            ext: Extensions,
            RawQuery(q): RawQuery,
            h: HeaderMap,
            body: Bytes,
        ) -> Response {
            doc_write(s, ext, q, h, body, $kind, Write::Merge).await
        }
        pub async fn $delete(
            State(s): State<AppState>,
            ext: Extensions,
            RawQuery(q): RawQuery,
            h: HeaderMap,
        ) -> Response {
            doc_delete(s, ext, q, h, $kind).await
        }
    };
}

document_handlers!(Kind::State, state_get, state_put, state_post, state_delete);
document_handlers!(
    Kind::ActivityProfile,
    activity_profile_get,
    activity_profile_put,
    activity_profile_post,
    activity_profile_delete
);
document_handlers!(
    Kind::AgentProfile,
    agent_profile_get,
    agent_profile_put,
    agent_profile_post,
    agent_profile_delete
);

pub async fn agents(RawQuery(q): RawQuery) -> Response {
    let run = async {
        let p = params(q.as_deref())?;
        only(&p, &["agent"])?;
        let a = p
            .get("agent")
            .ok_or_else(|| XapiError::bad("agent is required"))?;
        let (agent, _) = agent_param(a)?;
        Ok::<_, XapiError>(axum::Json(svc::person(&agent)).into_response())
    };
    run.await.unwrap_or_else(fail)
}

pub async fn activities(
    State(s): State<AppState>,
    ext: Extensions,
    RawQuery(q): RawQuery,
) -> Response {
    let run = async {
        let client = client(&ext)?;
        let p = params(q.as_deref())?;
        only(&p, &["activityId"])?;
        let id = p
            .get("activityId")
            .ok_or_else(|| XapiError::bad("activityId is required"))?;
        validate::iri(id, "activityId")?;
        Ok(axum::Json(svc::activity(&s.db, &client, id).await?).into_response())
    };
    run.await.unwrap_or_else(fail)
}
