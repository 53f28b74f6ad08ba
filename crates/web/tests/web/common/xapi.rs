//! Helpers of the interop tests (`xapi.rs`, `interop.rs`): xAPI clients and
//! requests, a completion statement, learners, and the completions they have.

use axum::body::Body;
use axum::http::{Method, Request, header};
use base64::Engine as _;
use serde_json::{Value, json};

use super::{Resp, TestApp};

/// The home page naming ASN accounts in tests (the default public URL).
pub const HOME: &str = "http://localhost";

pub struct Client {
    pub auth: String,
}

pub async fn client_of(app: &TestApp, tenant: i64, name: &str) -> Client {
    let made =
        cakap_services::xapi::clients::add(&app.db, &cakap_services::Actor::system(tenant), name)
            .await
            .expect("client");
    let auth =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", made.key, made.secret));
    Client {
        auth: format!("Basic {auth}"),
    }
}

pub async fn xapi(
    app: &TestApp,
    c: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Resp {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header("x-experience-api-version", "2.0.0")
        .header(header::AUTHORIZATION, &c.auth);
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    app.send(b.body(body).expect("request")).await
}

pub fn completed(actor: Value, activity: &str) -> Value {
    json!({
        "actor": actor,
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"id": activity, "definition": {"name": {"id-ID": "Kursus luar"}}},
        "result": {"completion": true}
    })
}

/// NIP and e-mail of an active person with an e-mail address and no account.
pub async fn learner(app: &TestApp, skip: i64) -> (String, String) {
    let q = format!(
        "SELECT nip || ' ' || email FROM employees e WHERE tenant_id = {} AND active AND email IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = e.tenant_id AND u.employee_id = e.id) \
         ORDER BY id DESC LIMIT 1 OFFSET {skip}",
        app.tenant
    );
    let row = app.scalar_text(&q).await;
    let (nip, email) = row.split_once(' ').expect("nip and email");
    (nip.to_string(), email.to_string())
}

pub async fn completions_of(app: &TestApp, nip: &str, course: &str) -> i64 {
    app.scalar(&format!(
        "SELECT COUNT(*) FROM enrollments n JOIN employees e ON e.tenant_id = n.tenant_id AND e.id = n.employee_id \
         JOIN offerings o ON o.tenant_id = n.tenant_id AND o.id = n.offering_id \
         JOIN courses k ON k.tenant_id = o.tenant_id AND k.id = o.course_id \
         JOIN certificates x ON x.tenant_id = n.tenant_id AND x.enrollment_id = n.id \
         WHERE e.nip = '{nip}' AND k.code = '{course}' AND n.status = 'completed' AND n.jp = k.jp"
    ))
    .await
}
