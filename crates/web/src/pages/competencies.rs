//! The competency dictionary, grouped by kind and searchable; `admin` adds, edits (each save
//! is a new version) and retires competencies.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cakap_services::ServiceError;
use cakap_services::competencies::{self, Competency, CompetencyPatch, NewCompetency};
use serde::Deserialize;

use super::{OrRefusal, PageResult, Refusal, Ui, can_edit, render, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;

const KINDS: [(&str, &str); 3] = [
    ("manajerial", "kindc.manajerial"),
    ("sosial_kultural", "kindc.sosial_kultural"),
    ("teknis", "kindc.teknis"),
];

#[derive(Template)]
#[template(path = "competencies.html")]
struct ListPage {
    ui: Ui,
    can_edit: bool,
    q: String,
    shown: usize,
    saved: bool,
    groups: Vec<(&'static str, Vec<Competency>)>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    q: String,
    saved: Option<String>,
}

/// Whether every word of the query is in the competency's code, name or descriptors.
fn matches(k: &Competency, words: &[String]) -> bool {
    let text = format!("{} {} {}", k.code, k.name, k.descriptors.join(" ")).to_lowercase();
    words.iter().all(|w| text.contains(w.as_str()))
}

pub async fn list(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<ListQuery>,
) -> PageResult {
    let all = competencies::list(&s.db, &actor).await?.items;
    let words: Vec<String> =
        q.q.to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
    let groups: Vec<(&'static str, Vec<Competency>)> = KINDS
        .into_iter()
        .map(|(kind, key)| {
            let items = all
                .iter()
                .filter(|k| k.kind == kind && matches(k, &words))
                .cloned()
                .collect::<Vec<_>>();
            (key, items)
        })
        .filter(|g| !g.1.is_empty())
        .collect();
    Ok(render(&ListPage {
        ui: Ui::new(&ctx, "/competencies"),
        can_edit: can_edit(&actor),
        shown: groups.iter().map(|g| g.1.len()).sum(),
        saved: q.saved.is_some(),
        q: q.q,
        groups,
    }))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct CompetencyForm {
    code: String,
    name: String,
    kind: String,
    crisis: Option<String>,
    active: Option<String>,
    level1: String,
    level2: String,
    level3: String,
    level4: String,
    level5: String,
    version: String,
}

impl CompetencyForm {
    fn descriptors(&self) -> Vec<String> {
        [
            &self.level1,
            &self.level2,
            &self.level3,
            &self.level4,
            &self.level5,
        ]
        .into_iter()
        .cloned()
        .collect()
    }
}

#[derive(Template)]
#[template(path = "competency_form.html")]
struct FormPage {
    ui: Ui,
    title: &'static str,
    action: String,
    editing: bool,
    kinds: [(&'static str, &'static str); 3],
    f: CompetencyForm,
    descriptors: Vec<(usize, String)>,
    error: Option<String>,
    error_field: String,
}

fn form_page(
    ctx: &Ctx,
    code: Option<&str>,
    f: CompetencyForm,
    error: Option<(Option<String>, String)>,
    status: StatusCode,
) -> Response {
    let ui = Ui::new(ctx, "/competencies");
    let (error_field, error) = match error {
        Some((field, message)) => (field.unwrap_or_default(), Some(message)),
        None => (String::new(), None),
    };
    let page = FormPage {
        title: if code.is_some() {
            ui.t("competencies.edit")
        } else {
            ui.t("competencies.new")
        },
        action: code.map_or_else(|| "/competencies".into(), |c| format!("/competencies/{c}")),
        editing: code.is_some(),
        kinds: KINDS,
        descriptors: f
            .descriptors()
            .into_iter()
            .enumerate()
            .map(|(i, d)| (i + 1, d))
            .collect(),
        ui,
        f,
        error,
        error_field,
    };
    render_status(status, &page)
}

pub async fn new_form(PageActor { actor, ctx }: PageActor) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let f = CompetencyForm {
        kind: "teknis".into(),
        active: Some("on".into()),
        ..Default::default()
    };
    Ok(form_page(&ctx, None, f, None, StatusCode::OK))
}

pub async fn edit_form(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    if !can_edit(&actor) {
        return Err(ServiceError::Forbidden.into());
    }
    let k = competencies::get(&s.db, &actor, &code).await?;
    let mut d = k.descriptors.into_iter();
    let mut next = || d.next().unwrap_or_default();
    let f = CompetencyForm {
        code: k.code.clone(),
        name: k.name,
        kind: k.kind,
        crisis: k.crisis.then(|| "on".into()),
        active: k.active.then(|| "on".into()),
        level1: next(),
        level2: next(),
        level3: next(),
        level4: next(),
        level5: next(),
        version: k.version.to_string(),
    };
    Ok(form_page(&ctx, Some(&k.code), f, None, StatusCode::OK))
}

fn outcome(
    ctx: &Ctx,
    code: Option<&str>,
    f: CompetencyForm,
    r: Result<Competency, ServiceError>,
) -> PageResult {
    match r.or_refusal()? {
        Ok(_) => Ok(Redirect::to("/competencies?saved=1").into_response()),
        Err(Refusal {
            status,
            field,
            message,
        }) => Ok(form_page(ctx, code, f, Some((field, message)), status)),
    }
}

pub async fn create(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<CompetencyForm>,
) -> PageResult {
    let input = NewCompetency {
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        descriptors: f.descriptors(),
        crisis: f.crisis.is_some(),
    };
    let r = competencies::create(&s.db, &actor, &input).await;
    outcome(&ctx, None, f, r)
}

pub async fn update(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Form(f): Form<CompetencyForm>,
) -> PageResult {
    let patch = CompetencyPatch {
        name: Some(f.name.clone()),
        kind: Some(f.kind.clone()),
        descriptors: Some(f.descriptors()),
        crisis: Some(f.crisis.is_some()),
        active: Some(f.active.is_some()),
        version: f.version.parse().ok(),
    };
    let r = competencies::update(&s.db, &actor, &code, &patch).await;
    let f = CompetencyForm {
        code: code.clone(),
        ..f
    };
    outcome(&ctx, Some(&code), f, r)
}
