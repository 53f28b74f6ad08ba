//! Unit pages: the tree, one unit with its positions, create, edit, delete.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Kecamatan;
use cakap_domain::Role;
use cakap_domain::kecamatan::ACEH_BARAT_DAYA;
use cakap_services::employees::{self, EmployeeQuery};
use cakap_services::positions::{self, PositionQuery};
use cakap_services::units::{self, NewUnit, Unit, UnitPatch};
use cakap_services::{Actor, ServiceError};
use serde::Deserialize;

use super::competence::{HeatRow, band, heat_rows};
use super::home::Chart;
use crate::i18n::{fmt_dec, fmt_int};

use super::positions::PositionRowView;
use super::{
    OrRefusal, PageResult, Refusal, Ui, UnitOption, blank_to_none, can_edit, kecamatan_name,
    render, render_status, unit_options,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;

pub struct UnitRowView {
    pub code: String,
    pub name: String,
    pub kecamatan_name: String,
    pub depth_class: usize,
}

#[derive(Template)]
#[template(path = "units.html")]
struct ListPage {
    ui: Ui,
    can_edit: bool,
    units: Vec<UnitRowView>,
}

pub async fn list(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> PageResult {
    let units = units::list(&s.db, &actor).await?.items;
    let base = units.iter().map(|u| u.depth).min().unwrap_or(0);
    let units = units
        .into_iter()
        .map(|u| UnitRowView {
            kecamatan_name: kecamatan_name(u.kecamatan.as_deref()),
            depth_class: (u.depth - base).min(4),
            code: u.code,
            name: u.name,
        })
        .collect();
    Ok(render(&ListPage {
        ui: Ui::new(&ctx, "/units"),
        can_edit: can_edit(&actor),
        units,
    }))
}

#[derive(Template)]
#[template(path = "unit.html")]
struct ShowPage {
    ui: Ui,
    unit: Unit,
    kecamatan_name: String,
    employees: i64,
    children: Vec<Unit>,
    positions: Vec<PositionRowView>,
    can_edit: bool,
    deletable: bool,
    saved: bool,
    error: Option<String>,
    gaps: Option<UnitGapsView>,
    gaps_title: &'static str,
    /// Whether the unit serves the public (its survey form is open).
    serves_public: bool,
}

/// The competency section of a unit page.
pub struct UnitGapsView {
    pub jpm: String,
    pub assessed_share: String,
    pub categories: Option<Chart>,
    pub competencies: Vec<(String, String, String, String, String, i64, &'static str)>,
    pub columns: Vec<(String, String)>,
    pub heat: Vec<HeatRow>,
}

pub(super) fn gaps_view(
    lang: crate::i18n::Lang,
    ui: &Ui,
    g: &cakap_services::gaps::UnitGaps,
) -> UnitGapsView {
    let categories: Vec<(String, i64)> =
        g.categories.iter().map(|(k, v)| (k.clone(), *v)).collect();
    let with_jpm: i64 = categories.iter().map(|c| c.1).sum();
    UnitGapsView {
        jpm: g.jpm_avg.map_or_else(|| "—".into(), |j| fmt_dec(lang, j)),
        assessed_share: crate::i18n::t_args(
            lang,
            "gaps.with_standard",
            &[
                ("n", fmt_int(lang, with_jpm)),
                ("total", fmt_int(lang, g.employees)),
            ],
        ),
        categories: Chart::new(
            lang,
            ui.t("gaps.categories"),
            ui.t("gaps.category"),
            ui.t("home.employees"),
            &{
                // Regulation order, not alphabetical.
                let order = ["Optimal", "Cukup Optimal", "Kurang Optimal"];
                order
                    .iter()
                    .map(|o| (o.to_string(), g.categories.get(*o).copied().unwrap_or(0)))
                    .collect::<Vec<_>>()
            },
        ),
        competencies: g
            .competencies
            .iter()
            .map(|k| {
                (
                    k.competency.clone(),
                    k.name.clone(),
                    fmt_dec(lang, k.avg_required),
                    fmt_dec(lang, k.avg_actual),
                    fmt_dec(lang, k.avg_gap),
                    k.not_assessed,
                    band(k.avg_gap),
                )
            })
            .collect(),
        columns: g
            .competencies
            .iter()
            .map(|k| (k.competency.clone(), k.name.clone()))
            .collect(),
        heat: heat_rows(lang, g),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Query(q): Query<ShowQuery>,
) -> PageResult {
    show_page(
        &s,
        &actor,
        &ctx,
        &code,
        q.saved.is_some(),
        None,
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn show_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    code: &str,
    saved: bool,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let unit = units::get(&s.db, actor, code).await?;
    let all = units::list(&s.db, actor)
        .await
        .map(|p| p.items)
        .unwrap_or_default();
    let children: Vec<Unit> = all
        .into_iter()
        .filter(|u| u.parent.as_deref() == Some(unit.code.as_str()))
        .collect();
    let positions = positions::list(
        &s.db,
        actor,
        &PositionQuery {
            unit: Some(unit.code.clone()),
            page: None,
            per_page: Some(200),
        },
    )
    .await
    .map(|p| {
        p.items
            .into_iter()
            .map(|p| PositionRowView::new(p, ctx.lang))
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    let q = EmployeeQuery {
        unit: Some(unit.code.clone()),
        per_page: Some(1),
        ..Default::default()
    };
    let employees = employees::list(&s.db, actor, &q)
        .await
        .map(|p| p.total)
        .unwrap_or(0);
    let ui = Ui::new(ctx, &format!("/units/{}", unit.code));
    let gaps = if matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan) {
        let g = cakap_services::gaps::unit(&s.db, actor, Some(&unit.code)).await?;
        Some(gaps_view(ctx.lang, &ui, &g))
    } else {
        None
    };
    let serves_public = can_edit(actor)
        && cakap_services::service_quality::is_public(&s.db, actor, &unit.code).await?;
    let page = ShowPage {
        serves_public,
        kecamatan_name: kecamatan_name(unit.kecamatan.as_deref()),
        can_edit: can_edit(actor),
        deletable: children.is_empty() && positions.is_empty() && employees == 0,
        ui,
        unit,
        employees,
        children,
        positions,
        saved,
        error,
        gaps,
        gaps_title: "gaps.unit_title",
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct UnitForm {
    code: String,
    name: String,
    parent: String,
    kecamatan: String,
    version: String,
}

#[derive(Template)]
#[template(path = "unit_form.html")]
struct FormPage {
    ui: Ui,
    title: &'static str,
    action: String,
    cancel: String,
    is_new: bool,
    f: UnitForm,
    units: Vec<UnitOption>,
    kecamatan: &'static [Kecamatan],
    error: Option<String>,
    error_field: String,
}

async fn form_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    is_new: bool,
    f: UnitForm,
    error: Option<(Option<String>, String)>,
    status: StatusCode,
) -> PageResult {
    let units = units::list(&s.db, actor).await?.items;
    let path = if is_new {
        "/units/new".to_string()
    } else {
        format!("/units/{}/edit", f.code)
    };
    let ui = Ui::new(ctx, &path);
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    let page = FormPage {
        title: ui.t(if is_new { "units.new" } else { "units.edit" }),
        action: if is_new {
            "/units".into()
        } else {
            format!("/units/{}", f.code)
        },
        cancel: if is_new {
            "/units".into()
        } else {
            format!("/units/{}", f.code)
        },
        ui,
        is_new,
        units: unit_options(&units)
            .into_iter()
            .filter(|u| is_new || u.code != f.code)
            .collect(),
        f,
        kecamatan: &ACEH_BARAT_DAYA,
        error,
        error_field,
    };
    Ok(render_status(status, &page))
}

pub async fn new_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    form_page(
        &s,
        &actor,
        &ctx,
        true,
        UnitForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn create(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<UnitForm>,
) -> PageResult {
    let input = NewUnit {
        code: f.code.clone(),
        name: f.name.clone(),
        parent: blank_to_none(&f.parent),
        kecamatan: blank_to_none(&f.kecamatan),
    };
    Ok(
        match units::create(&s.db, &actor, &input).await.or_refusal()? {
            Ok(u) => Redirect::to(&format!("/units/{}?saved=1", u.code)).into_response(),
            Err(Refusal {
                status,
                field,
                message,
            }) => form_page(&s, &actor, &ctx, true, f, Some((field, message)), status).await?,
        },
    )
}

pub async fn edit_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let u = units::get(&s.db, &actor, &code).await?;
    let f = UnitForm {
        code: u.code,
        name: u.name,
        parent: u.parent.unwrap_or_default(),
        kecamatan: u.kecamatan.unwrap_or_default(),
        version: u.version.to_string(),
    };
    form_page(&s, &actor, &ctx, false, f, None, StatusCode::OK).await
}

pub async fn update(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Form(mut f): Form<UnitForm>,
) -> PageResult {
    f.code = code.clone();
    let patch = UnitPatch {
        name: Some(f.name.clone()),
        parent: Some(blank_to_none(&f.parent)),
        kecamatan: Some(blank_to_none(&f.kecamatan)),
        version: f.version.parse().ok(),
    };
    Ok(
        match units::update(&s.db, &actor, &code, &patch)
            .await
            .or_refusal()?
        {
            Ok(u) => Redirect::to(&format!("/units/{}?saved=1", u.code)).into_response(),
            Err(Refusal {
                status,
                field,
                message,
            }) => form_page(&s, &actor, &ctx, false, f, Some((field, message)), status).await?,
        },
    )
}

pub async fn delete(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    match units::delete(&s.db, &actor, &code).await {
        Ok(()) => Ok(Redirect::to("/units").into_response()),
        Err(e @ ServiceError::Conflict { .. }) => {
            let (status, _, message) = crate::error::message_of(e);
            show_page(&s, &actor, &ctx, &code, false, Some(message), status).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublicForm {
    serves_public: String,
}

/// `POST /units/{code}/public`: opens or closes the unit's citizens' survey.
pub async fn set_public(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
    Form(f): Form<PublicForm>,
) -> PageResult {
    let on = !f.serves_public.is_empty();
    cakap_services::service_quality::set_serves_public(&s.db, &actor, &code, on).await?;
    Ok(Redirect::to(&format!("/units/{code}?saved=1")).into_response())
}
