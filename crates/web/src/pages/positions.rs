//! Position pages: list by unit, create, edit; and the `<option>` list the employee form
//! reloads when its unit changes.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::{Jenjang, PositionKind};
use cakap_services::positions::{self, NewPosition, Position, PositionPatch, PositionQuery};
use cakap_services::{Actor, ServiceError, units};
use serde::Deserialize;

use super::employees::PositionOption;
use super::{
    OrRefusal, PageResult, Refusal, Ui, UnitOption, blank_to_none, can_edit, page_info, pager,
    render, render_status, unit_options,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{self, Lang};

pub struct PositionRowView {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub unit_name: String,
    pub kind_key: String,
    pub jenjang_label: String,
    pub kelas: String,
}

impl PositionRowView {
    pub fn new(p: Position, lang: Lang) -> PositionRowView {
        PositionRowView {
            id: p.id,
            kind_key: format!("kind.{}", p.kind),
            jenjang_label: p
                .jenjang
                .as_deref()
                .map_or_else(String::new, |j| jenjang_label(lang, j)),
            kelas: p.kelas.map(|k| k.to_string()).unwrap_or_default(),
            name: p.name,
            unit: p.unit,
            unit_name: p.unit_name,
        }
    }
}

fn jenjang_label(lang: Lang, code: &str) -> String {
    i18n::t(lang, &format!("jenjang.{code}")).to_string()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct UnitQuery {
    unit: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "positions.html")]
struct ListPage {
    ui: Ui,
    can_edit: bool,
    unit: String,
    units: Vec<UnitOption>,
    positions: Vec<PositionRowView>,
    page_info: String,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<UnitQuery>,
) -> PageResult {
    let query = PositionQuery {
        unit: Some(q.unit.clone()),
        page: q.page,
        per_page: Some(50),
    };
    let page = positions::list(&s.db, &actor, &query).await?;
    let (prev, next) = pager(
        "/positions",
        &[("unit", q.unit.clone())],
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
    let positions = page
        .items
        .into_iter()
        .map(|p| PositionRowView::new(p, ctx.lang))
        .collect();
    let units = unit_options(&units::list(&s.db, &actor).await?.items);
    Ok(render(&ListPage {
        ui: Ui::new(&ctx, "/positions"),
        can_edit: can_edit(&actor),
        unit: q.unit,
        units,
        positions,
        page_info: info,
        prev,
        next,
    }))
}

#[derive(Template)]
#[template(path = "position_options.html")]
struct Options {
    position_options: Vec<PositionOption>,
}

/// `<option>`s of one unit's positions (htmx fragment for the employee form).
pub async fn options(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Query(q): Query<UnitQuery>,
) -> PageResult {
    let query = PositionQuery {
        unit: Some(q.unit),
        page: None,
        per_page: Some(200),
    };
    let p = positions::list(&s.db, &actor, &query).await?;
    Ok(render(&Options {
        position_options: p
            .items
            .into_iter()
            .map(|p| PositionOption {
                id: p.id,
                name: p.name,
                selected: false,
            })
            .collect(),
    }))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct PositionForm {
    name: String,
    unit: String,
    kind: String,
    jenjang: String,
    kelas: String,
    version: String,
}

#[derive(Template)]
#[template(path = "position_form.html")]
struct FormPage {
    ui: Ui,
    title: &'static str,
    action: String,
    cancel: String,
    f: PositionForm,
    units: Vec<UnitOption>,
    kinds: Vec<(&'static str, String)>,
    jenjang: Vec<(&'static str, String)>,
    error: Option<String>,
    error_field: String,
}

async fn form_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: Option<i64>,
    f: PositionForm,
    error: Option<(Option<String>, String)>,
    status: StatusCode,
) -> PageResult {
    let units = units::list(&s.db, actor).await?.items;
    let path = id.map_or_else(
        || "/positions/new".to_string(),
        |id| format!("/positions/{id}/edit"),
    );
    let ui = Ui::new(ctx, &path);
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    let page = FormPage {
        title: ui.t(if id.is_none() {
            "positions.new"
        } else {
            "positions.edit"
        }),
        action: id.map_or_else(|| "/positions".to_string(), |id| format!("/positions/{id}")),
        cancel: if f.unit.is_empty() {
            "/positions".into()
        } else {
            format!("/units/{}", f.unit)
        },
        ui,
        units: unit_options(&units),
        kinds: PositionKind::ALL
            .iter()
            .map(|k| (k.as_str(), format!("kind.{}", k.as_str())))
            .collect(),
        jenjang: Jenjang::ALL
            .iter()
            .map(|j| (j.as_str(), jenjang_label(ctx.lang, j.as_str())))
            .collect(),
        f,
        error,
        error_field,
    };
    Ok(render_status(status, &page))
}

pub async fn new_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<UnitQuery>,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let f = PositionForm {
        unit: q.unit,
        kind: "pelaksana".into(),
        ..Default::default()
    };
    form_page(&s, &actor, &ctx, None, f, None, StatusCode::OK).await
}

fn kelas(raw: &str) -> Result<Option<i64>, ServiceError> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| ServiceError::invalid("kelas", "position.kelas_range")),
    }
}

pub async fn create(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<PositionForm>,
) -> PageResult {
    let result = match kelas(&f.kelas) {
        Ok(kelas) => {
            let input = NewPosition {
                name: f.name.clone(),
                unit: f.unit.clone(),
                kind: f.kind.clone(),
                jenjang: blank_to_none(&f.jenjang),
                kelas,
            };
            positions::create(&s.db, &actor, &input).await
        }
        Err(e) => Err(e),
    };
    match result.or_refusal()? {
        Ok(p) => Ok(Redirect::to(&format!("/units/{}?saved=1", p.unit)).into_response()),
        Err(Refusal {
            status,
            field,
            message,
        }) => form_page(&s, &actor, &ctx, None, f, Some((field, message)), status).await,
    }
}

pub async fn edit_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let Ok(id) = id.parse::<i64>() else {
        return Err(ServiceError::NotFound.into());
    };
    let p = positions::get(&s.db, &actor, id).await?;
    let f = PositionForm {
        name: p.name,
        unit: p.unit,
        kind: p.kind,
        jenjang: p.jenjang.unwrap_or_default(),
        kelas: p.kelas.map(|k| k.to_string()).unwrap_or_default(),
        version: p.version.to_string(),
    };
    form_page(&s, &actor, &ctx, Some(id), f, None, StatusCode::OK).await
}

pub async fn update(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<String>,
    Form(f): Form<PositionForm>,
) -> PageResult {
    let Ok(id) = id.parse::<i64>() else {
        return Err(ServiceError::NotFound.into());
    };
    let result = match kelas(&f.kelas) {
        Ok(kelas) => {
            let patch = PositionPatch {
                name: Some(f.name.clone()),
                unit: Some(f.unit.clone()),
                kind: Some(f.kind.clone()),
                jenjang: Some(blank_to_none(&f.jenjang)),
                kelas: Some(kelas),
                version: f.version.parse().ok(),
            };
            positions::update(&s.db, &actor, id, &patch).await
        }
        Err(e) => Err(e),
    };
    match result.or_refusal()? {
        Ok(p) => Ok(Redirect::to(&format!("/units/{}?saved=1", p.unit)).into_response()),
        Err(Refusal {
            status,
            field,
            message,
        }) => {
            form_page(
                &s,
                &actor,
                &ctx,
                Some(id),
                f,
                Some((field, message)),
                status,
            )
            .await
        }
    }
}
