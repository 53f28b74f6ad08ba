//! Employee pages: search and list, profile, create and edit.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Golongan;
use cakap_services::employees::{self, Employee, EmployeePatch, EmployeeQuery, NewEmployee};
use cakap_services::gaps::EmployeeGaps;
use cakap_services::positions::{self, PositionQuery};
use cakap_services::{Actor, Db, Page, ServiceError, units};

use super::assessments::{AssessmentForm, Panel};
use super::competence::Radar;
use crate::i18n::fmt_dec;
use serde::Deserialize;

use super::{
    OrRefusal, PageResult, Refusal, Ui, UnitOption, blank_to_none, can_edit, page_info, pager,
    render, render_status, unit_options,
};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    unit: String,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "employees.html")]
struct ListPage {
    ui: Ui,
    can_edit: bool,
    q: String,
    unit: String,
    units: Vec<UnitOption>,
    page: Page<Employee>,
    page_info: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "employees_table.html")]
struct ListTable {
    ui: Ui,
    page: Page<Employee>,
    page_info: String,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn list(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let query = EmployeeQuery {
        unit: Some(q.unit.clone()),
        q: Some(q.q.clone()),
        page: q.page,
        per_page: Some(50),
    };
    let page = employees::list(&s.db, &actor, &query).await?;
    let pairs = [("q", q.q.clone()), ("unit", q.unit.clone())];
    let (prev, next) = pager("/employees", &pairs, page.page, page.per_page, page.total);
    let info = page_info(
        ctx.lang,
        page.page,
        page.per_page,
        page.items.len(),
        page.total,
    );
    let ui = Ui::new(&ctx, "/employees");
    if headers.contains_key("hx-request") && !headers.contains_key("hx-boosted") {
        return Ok(render(&ListTable {
            ui,
            page,
            page_info: info,
            prev,
            next,
        }));
    }
    // The top of the tree is enough to narrow a list; all 175 units made the page 40% larger.
    let u = units::list(&s.db, &actor).await?;
    let top = u.items.iter().map(|u| u.depth).min().unwrap_or(0);
    // A pimpinan's single unit opens onto its sub-units; BKPSDM picks among the OPD.
    let roots = u.items.iter().filter(|u| u.depth == top).count();
    let depth = if roots == 1 { top + 1 } else { top };
    let near: Vec<_> = u
        .items
        .into_iter()
        .filter(|u| u.depth <= depth || u.code == q.unit)
        .collect();
    let units = unit_options(&near);
    Ok(render(&ListPage {
        ui,
        can_edit: can_edit(&actor),
        q: q.q,
        unit: q.unit,
        units,
        page,
        page_info: info,
        prev,
        next,
    }))
}

#[derive(Template)]
#[template(path = "employee.html")]
struct ShowPage {
    ui: Ui,
    e: Employee,
    nip_display: String,
    gender_key: &'static str,
    pangkat: Option<&'static str>,
    can_edit: bool,
    saved: bool,
    gaps: Option<EmployeeGaps>,
    jpm: String,
    radar: Option<Radar>,
    panel: Panel,
    /// Weaknesses named in the latest performance evaluation.
    weaknesses: Vec<cakap_services::performance::Finding>,
    weak: Vec<String>,
    sees_potential: bool,
    potentials: Vec<cakap_services::talent::Potential>,
    this_year: i64,
    /// Drills taken part in (evidence) and whether they are away.
    drills: Vec<cakap_services::readiness::drills::Drill>,
    availability: cakap_services::readiness::Availability,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PotentialForm {
    year: String,
    score: String,
}

/// `POST /employees/{nip}/potential` (admin): records a potential score.
pub async fn set_potential(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
    Form(f): Form<PotentialForm>,
) -> PageResult {
    let input = cakap_services::talent::PotentialInput {
        year: f.year.trim().parse().unwrap_or(0),
        score: f.score.trim().replace(',', ".").parse().unwrap_or(-1.0),
        source: None,
    };
    Ok(
        match cakap_services::talent::set_potential(&s.db, &actor, &nip, &input)
            .await
            .or_refusal()?
        {
            Ok(_) => Redirect::to(&format!("/employees/{nip}?saved=1#potential")).into_response(),
            Err(Refusal {
                status, message, ..
            }) => super::error_message(&ctx, status, message),
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    saved: Option<String>,
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
    Query(q): Query<SavedQuery>,
) -> PageResult {
    show_page(&s, &actor, &ctx, &nip, q.saved.is_some(), None).await
}

/// The profile; `refused` carries a refused assessment form back with its message.
pub async fn show_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    nip: &str,
    saved: bool,
    refused: Option<(StatusCode, AssessmentForm, String)>,
) -> PageResult {
    // The NIP as the lookup reads it, for "is this the viewer's own record".
    let can = super::assessments::can_record(actor, &cakap_services::actor::nip_digits(nip));
    let employees::Profile {
        employee: e,
        gaps,
        history,
        weaknesses,
        potentials,
        drills,
        availability,
        dictionary,
    } = employees::profile(&s.db, actor, nip, can).await?;
    let gaps = Some(gaps);
    let (status, form, error) = match refused {
        Some((status, form, message)) => (status, Some(form), Some(message)),
        None => (StatusCode::OK, None, None),
    };
    let panel = super::assessments::panel(actor, can, history, dictionary, form, error);
    let jpm = gaps
        .as_ref()
        .and_then(|g| g.jpm)
        .map_or_else(|| "—".into(), |j| fmt_dec(ctx.lang, j));
    let radar = gaps.as_ref().and_then(Radar::of);
    let nip_display = cakap_domain::Nip::parse(&e.nip, chrono::NaiveDate::MAX)
        .map_or_else(|_| e.nip.clone(), |n| n.display());
    let pangkat = e
        .golongan
        .as_deref()
        .and_then(|g| g.parse::<Golongan>().ok())
        .and_then(Golongan::pangkat);
    let gender_key = if e.gender == "P" {
        "gender.p"
    } else {
        "gender.l"
    };
    let ui = Ui::new(ctx, &format!("/employees/{}", e.nip));
    Ok(render_status(
        status,
        &ShowPage {
            ui,
            can_edit: can_edit(actor),
            nip_display,
            gender_key,
            pangkat,
            e,
            saved,
            gaps,
            jpm,
            radar,
            panel,
            weak: weaknesses.iter().map(|w| w.competency.clone()).collect(),
            weaknesses,
            sees_potential: actor
                .require_any(cakap_services::talent::POTENTIAL_READERS)
                .is_ok(),
            potentials,
            this_year: cakap_services::performance::current_year(),
            drills,
            availability,
        },
    ))
}

/// The form's fields as typed, so a refused form comes back as it was.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct EmployeeForm {
    nip: String,
    name: String,
    status: String,
    golongan: String,
    unit: String,
    position: String,
    email: String,
    phone: String,
    active: Option<String>,
    version: String,
}

pub struct PositionOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "employee_form.html")]
struct FormPage {
    ui: Ui,
    title: &'static str,
    action: String,
    cancel: String,
    is_new: bool,
    f: FormValues,
    units: Vec<UnitOption>,
    position_options: Vec<PositionOption>,
    golongan_options: Vec<String>,
    error: Option<String>,
    error_field: String,
}

pub struct FormValues {
    nip: String,
    name: String,
    status: String,
    golongan: String,
    unit: String,
    email: String,
    phone: String,
    active: bool,
    version: String,
}

async fn position_options(
    db: &Db,
    actor: &Actor,
    unit: &str,
    selected: Option<i64>,
) -> Vec<PositionOption> {
    if unit.is_empty() {
        return Vec::new();
    }
    let q = PositionQuery {
        unit: Some(unit.to_string()),
        page: None,
        per_page: Some(200),
    };
    positions::list(db, actor, &q)
        .await
        .map(|p| {
            p.items
                .into_iter()
                .map(|p| PositionOption {
                    selected: Some(p.id) == selected,
                    id: p.id,
                    name: p.name,
                })
                .collect()
        })
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    is_new: bool,
    f: EmployeeForm,
    error: Option<(Option<String>, String)>,
    status: StatusCode,
) -> PageResult {
    let units = units::list(&s.db, actor).await?.items;
    let unit = if f.unit.is_empty() {
        units.first().map(|u| u.code.clone()).unwrap_or_default()
    } else {
        f.unit.clone()
    };
    let position_options = position_options(&s.db, actor, &unit, f.position.parse().ok()).await;
    let path = if is_new {
        "/employees/new".to_string()
    } else {
        format!("/employees/{}/edit", f.nip)
    };
    let ui = Ui::new(ctx, &path);
    let title = ui.t(if is_new {
        "employees.new"
    } else {
        "employees.edit"
    });
    let mut golongan_options: Vec<String> = Golongan::all_pns().map(|g| g.to_string()).collect();
    golongan_options.extend((1..=17).map(|n| Golongan::Pppk(n).to_string()));
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    let page = FormPage {
        action: if is_new {
            "/employees".into()
        } else {
            format!("/employees/{}", f.nip)
        },
        cancel: if is_new {
            "/employees".into()
        } else {
            format!("/employees/{}", f.nip)
        },
        ui,
        title,
        is_new,
        f: FormValues {
            nip: f.nip,
            name: f.name,
            status: if f.status.is_empty() {
                "PNS".into()
            } else {
                f.status
            },
            golongan: f.golongan,
            unit,
            email: f.email,
            phone: f.phone,
            active: f.active.is_some(),
            version: f.version,
        },
        units: unit_options(&units),
        position_options,
        golongan_options,
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
    let f = EmployeeForm {
        active: Some("1".into()),
        ..Default::default()
    };
    form_page(&s, &actor, &ctx, true, f, None, StatusCode::OK).await
}

/// A position id from the form; text that is not a number is refused like an unknown id.
fn position_id(raw: &str) -> Result<Option<i64>, ServiceError> {
    match raw.trim() {
        "" => Ok(None),
        v => v
            .parse()
            .map(Some)
            .map_err(|_| ServiceError::invalid("position", "error.unknown_position")),
    }
}

pub async fn create(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<EmployeeForm>,
) -> PageResult {
    let result = match position_id(&f.position) {
        Ok(position) => {
            let input = NewEmployee {
                nip: f.nip.clone(),
                name: f.name.clone(),
                status: f.status.clone(),
                golongan: blank_to_none(&f.golongan),
                position,
                unit: f.unit.clone(),
                email: blank_to_none(&f.email),
                phone: blank_to_none(&f.phone),
                active: Some(f.active.is_some()),
                gender: None,
                birth_date: None,
            };
            employees::create(&s.db, &actor, &input).await
        }
        Err(e) => Err(e),
    };
    match result.or_refusal()? {
        Ok(e) => Ok(Redirect::to(&format!("/employees/{}?saved=1", e.nip)).into_response()),
        Err(Refusal {
            status,
            field,
            message,
        }) => form_page(&s, &actor, &ctx, true, f, Some((field, message)), status).await,
    }
}

pub async fn edit_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let e = employees::get(&s.db, &actor, &nip).await?;
    let f = EmployeeForm {
        nip: e.nip,
        name: e.name,
        status: e.status,
        golongan: e.golongan.unwrap_or_default(),
        unit: e.unit,
        position: e.position.map(|p| p.to_string()).unwrap_or_default(),
        email: e.email.unwrap_or_default(),
        phone: e.phone.unwrap_or_default(),
        active: e.active.then(|| "1".into()),
        version: e.version.to_string(),
    };
    form_page(&s, &actor, &ctx, false, f, None, StatusCode::OK).await
}

pub async fn update(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
    Form(mut f): Form<EmployeeForm>,
) -> PageResult {
    f.nip = nip.clone();
    let result = match position_id(&f.position) {
        Ok(position) => {
            let patch = EmployeePatch {
                name: Some(f.name.clone()),
                status: Some(f.status.clone()),
                golongan: Some(blank_to_none(&f.golongan)),
                position: Some(position),
                unit: Some(f.unit.clone()),
                email: Some(blank_to_none(&f.email)),
                phone: Some(blank_to_none(&f.phone)),
                active: Some(f.active.is_some()),
                version: f.version.parse().ok(),
                ..Default::default()
            };
            employees::update(&s.db, &actor, &nip, &patch).await
        }
        Err(e) => Err(e),
    };
    match result.or_refusal()? {
        Ok(e) => Ok(Redirect::to(&format!("/employees/{}?saved=1", e.nip)).into_response()),
        Err(Refusal {
            status,
            field,
            message,
        }) => form_page(&s, &actor, &ctx, false, f, Some((field, message)), status).await,
    }
}
