//! The audit log for `admin` and `auditor`: who changed what, before and after.

use askama::Template;
use axum::extract::{Query, State};
use cakap_services::audit::{self, AuditItem, AuditQuery};
use serde::Deserialize;

use super::{PageResult, Ui, page_info, pager, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{self, Lang};

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
    entities: Vec<(&'static str, String, bool)>,
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

/// Fields shown only for reading convenience; the codes beside them are what changed.
const DERIVED: [&str; 4] = ["version", "position_name", "unit_name", "depth"];

/// The fields whose values differ between before and after (all of them for a create),
/// labelled in the page's language.
fn changes(lang: Lang, item: &AuditItem) -> Vec<(String, String, String)> {
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
        .filter(|k| !DERIVED.contains(&k.as_str()))
        .map(|k| (k, show(before.get(k)), show(after.get(k))))
        .filter(|(_, b, a)| b != a)
        .map(|(k, b, a)| (label(lang, "field", k), b, a))
        .collect()
}

/// The translated label of `prefix.key`, or the key itself when there is none.
fn label(lang: Lang, prefix: &str, key: &str) -> String {
    i18n::lookup(lang, &format!("{prefix}.{key}")).map_or_else(|| key.to_string(), str::to_string)
}

/// Audit times in Western Indonesia Time (UTC+7), where Aceh is.
fn wib(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            (t + chrono::Duration::hours(7))
                .format("%d-%m-%Y %H:%M:%S WIB")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

pub async fn list(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(f): Query<Filter>,
) -> PageResult {
    let q = AuditQuery {
        entity: Some(f.entity.clone()),
        actor: Some(f.actor.clone()),
        page: f.page,
        per_page: Some(50),
    };
    let page = audit::list(&s.db, &actor, &q).await?;
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
            at: wib(&i.at),
            actor: i.actor.clone(),
            action: label(ctx.lang, "audit.act", &i.action),
            entity: label(ctx.lang, "audit.ent", &i.entity),
            entity_id: i.entity_id.clone(),
            changes: changes(ctx.lang, i),
        })
        .collect();
    Ok(render(&ListPage {
        ui: Ui::new(&ctx, "/audit"),
        entities: ["employee", "unit", "position", "user", "api_token", "demo"]
            .into_iter()
            .map(|e| (e, label(ctx.lang, "audit.ent", e), e == f.entity))
            .collect(),
        actor: f.actor,
        rows,
        page_info: info,
        prev,
        next,
    }))
}
