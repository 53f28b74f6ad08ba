//! The audit log for `admin` and `auditor`: who changed what, before and after.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use cakap_services::audit::{self, AuditItem, AuditQuery};
use serde::Deserialize;

use super::{Ui, page_info, pager, render, service_error};
use crate::AppState;
use crate::extract::PageActor;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Filter {
    entity: String,
    actor: String,
    page: Option<i64>,
}

pub struct Row {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    /// (field, before, after) for each field that changed.
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct ListPage {
    ui: Ui,
    entities: Vec<(&'static str, bool)>,
    actor: String,
    rows: Vec<Row>,
    page_info: String,
    prev: Option<String>,
    next: Option<String>,
}

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields whose values differ between before and after (all of them for a create).
fn changes(item: &AuditItem) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let before = item
        .before
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let after = item
        .after
        .as_ref()
        .and_then(|v| v.as_object())
        .unwrap_or(&empty);
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| k.as_str() != "version" && before.get(*k) != after.get(*k))
        .map(|k| (k.clone(), show(before.get(k)), show(after.get(k))))
        .collect()
}

pub async fn list(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(f): Query<Filter>,
) -> Response {
    let q = AuditQuery {
        entity: Some(f.entity.clone()),
        actor: Some(f.actor.clone()),
        page: f.page,
        per_page: Some(50),
    };
    let page = match audit::list(&s.db, &actor, &q).await {
        Ok(p) => p,
        Err(e) => return service_error(&ctx, e),
    };
    let (prev, next) = pager(
        "/audit",
        &[("entity", f.entity.clone()), ("actor", f.actor.clone())],
        page.page,
        page.per_page,
        page.total,
    );
    let info = page_info(
        ctx.lang,
        page.page,
        page.per_page,
        page.items.len(),
        page.total,
    );
    let rows = page
        .items
        .iter()
        .map(|i| Row {
            at: i.at.replace('T', " ").replace('Z', " UTC"),
            actor: i.actor.clone(),
            action: i.action.clone(),
            entity: i.entity.clone(),
            entity_id: i.entity_id.clone(),
            changes: changes(i),
        })
        .collect();
    render(&ListPage {
        ui: Ui::new(&ctx, "/audit"),
        entities: ["employee", "unit", "position", "user", "api_token", "demo"]
            .into_iter()
            .map(|e| (e, e == f.entity))
            .collect(),
        actor: f.actor,
        rows,
        page_info: info,
        prev,
        next,
    })
}
