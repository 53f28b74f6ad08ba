//! A position's page: what it is and its competency standard — the required level of each
//! competency, editable by `admin` (or copied from another position), read by the others who
//! see the position.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_services::requirements::{self, RequirementItem};
use cakap_services::{ServiceError, competencies, positions, units};
use serde::Deserialize;

use super::positions::PositionRowView;
use super::{OrRefusal, PageResult, Ui, UnitOption, can_edit, render_status, unit_options};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;

pub struct StandardRow {
    pub code: String,
    pub name: String,
    /// 0 when the position does not require it.
    pub level: i64,
    /// The descriptor of the required level ('' when not required).
    pub descriptor: String,
    pub crisis: bool,
}

#[derive(Template)]
#[template(path = "position.html")]
struct PositionPage {
    ui: Ui,
    can_edit: bool,
    p: PositionRowView,
    groups: Vec<(&'static str, Vec<StandardRow>)>,
    required: usize,
    units: Vec<UnitOption>,
    saved: bool,
    error: Option<String>,
    /// Marked as a key position (succession planned).
    key: bool,
    /// Whether the viewer sees the talent pages.
    sees_talent: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Saved {
    saved: Option<String>,
}

fn parse(id: &str) -> Result<i64, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound)
}

async fn page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    id: i64,
    saved: bool,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let loaded = async {
        let p = positions::get(&s.db, actor, id).await?;
        let set = requirements::get(&s.db, actor, id).await?;
        let dictionary = competencies::list(&s.db, actor).await?.items;
        let units = if can_edit(actor) {
            unit_options(&units::list(&s.db, actor).await?.items)
        } else {
            Vec::new()
        };
        Ok::<_, ServiceError>((p, set, dictionary, units))
    };
    let (p, set, dictionary, units) = loaded.await?;
    let level_of = |code: &str| set.iter().find(|r| r.competency == code).map(|r| r.level);
    let groups = [
        ("manajerial", "kindc.manajerial"),
        ("sosial_kultural", "kindc.sosial_kultural"),
        ("teknis", "kindc.teknis"),
    ]
    .into_iter()
    .map(|(kind, key)| {
        let rows: Vec<StandardRow> = dictionary
            .iter()
            .filter(|k| k.kind == kind)
            .filter_map(|k| {
                let level = level_of(&k.code).unwrap_or(0);
                // Retired competencies show only where still required.
                (k.active || level > 0).then(|| StandardRow {
                    code: k.code.clone(),
                    name: k.name.clone(),
                    level,
                    descriptor: usize::try_from(level - 1)
                        .ok()
                        .and_then(|i| k.descriptors.get(i))
                        .cloned()
                        .unwrap_or_default(),
                    crisis: k.crisis,
                })
            })
            .collect();
        (key, rows)
    })
    .filter(|g| !g.1.is_empty())
    .collect();
    let key = super::talent::is_key(s, actor, id).await;
    let sees_talent = matches!(
        actor.role,
        cakap_domain::Role::Admin | cakap_domain::Role::Auditor | cakap_domain::Role::Pimpinan
    );
    let (status, error) = match error {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    Ok(render_status(
        status,
        &PositionPage {
            ui: Ui::new(ctx, "/positions"),
            can_edit: can_edit(actor),
            p: PositionRowView::new(p, ctx.lang),
            groups,
            required: set.len(),
            units,
            saved,
            error,
            key,
            sees_talent,
        },
    ))
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> PageResult {
    let id = parse(&id)?;
    page(&s, &actor, &ctx, id, q.saved.is_some(), None).await
}

/// Saves the levels posted as `level.<code>` (0 or blank: not required).
pub async fn save(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id = parse(&id)?;
    let mut items = Vec::new();
    for (name, value) in &fields {
        let Some(code) = name.strip_prefix("level.") else {
            continue;
        };
        match value.trim() {
            "" | "0" => {}
            v => items.push(RequirementItem {
                competency: code.to_string(),
                level: v.parse().unwrap_or(-1),
            }),
        }
    }
    let result = requirements::put(&s.db, &actor, id, &items).await;
    done(&s, &actor, &ctx, id, result.map(|_| ())).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CopyForm {
    from: String,
}

pub async fn copy(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Form(f): Form<CopyForm>,
) -> PageResult {
    let id = parse(&id)?;
    let from = f.from.trim().parse::<i64>().unwrap_or(0);
    let result = requirements::copy(&s.db, &actor, id, from).await;
    done(&s, &actor, &ctx, id, result.map(|_| ())).await
}

async fn done(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    id: i64,
    result: Result<(), ServiceError>,
) -> PageResult {
    match result.or_refusal()? {
        Ok(()) => Ok(Redirect::to(&format!("/positions/{id}?saved=1")).into_response()),
        Err(r) => page(s, actor, ctx, id, false, Some((r.status, r.message))).await,
    }
}
