//! Assessment results on an employee's profile: the history (with evidence files) and the
//! form to record one — any method for `admin`, a self-assessment for the employee themself.

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_services::assessments::{self, Assessment, NewAssessment};
use cakap_services::{Actor, ServiceError, competencies};

use super::{OrRefusal, PageResult, Refusal};
use crate::AppState;
use crate::extract::PageActor;

const METHODS: [&str; 5] = [
    "assessment_center",
    "uji_kompetensi",
    "360",
    "course",
    "self",
];

/// The fields of the form as typed, so a refused form comes back as it was.
#[derive(Debug, Default, Clone)]
pub struct AssessmentForm {
    pub competency: String,
    pub level: String,
    pub method: String,
    pub assessed_on: String,
    pub valid_until: String,
    pub assessor: String,
    pub note: String,
}

pub struct HistoryRow {
    pub id: i64,
    pub competency: String,
    pub level: i64,
    pub method_key: String,
    pub assessed_on: String,
    pub valid_until: String,
    pub assessor: String,
    pub note: String,
    pub evidence: Option<String>,
    pub counts: bool,
}

/// What the profile shows about assessments.
pub struct Panel {
    pub history: Vec<HistoryRow>,
    /// Present when the viewer may record a result here.
    pub form: Option<AssessmentForm>,
    /// (code, name) of the competencies a result can be recorded for.
    pub competencies: Vec<(String, String)>,
    /// The methods the viewer may choose, as (value, label key).
    pub methods: Vec<(&'static str, String)>,
    pub error: Option<String>,
    pub max_mib: usize,
}

fn methods_for(actor: &Actor) -> Vec<(&'static str, String)> {
    METHODS
        .iter()
        .filter(|m| actor.role == Role::Admin || **m == "self")
        .map(|m| (*m, format!("method.{m}")))
        .collect()
}

/// The viewer may record for this employee: `admin`, or the employee (self-assessment).
pub fn can_record(actor: &Actor, nip: &str) -> bool {
    actor.role == Role::Admin || actor.nip.as_deref() == Some(nip)
}

/// The panel of an employee's profile from their `history`; `can` says whether the viewer may
/// record a result here ([`can_record`]), `dictionary` is the form's active competencies.
pub fn panel(
    actor: &Actor,
    can: bool,
    history: Vec<Assessment>,
    dictionary: Vec<(String, String)>,
    form: Option<AssessmentForm>,
    error: Option<String>,
) -> Panel {
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let history = history
        .into_iter()
        .map(|a: Assessment| HistoryRow {
            id: a.id,
            counts: a.method != "self" && a.valid_until.as_deref().is_none_or(|u| *u >= *today),
            competency: a.competency,
            level: a.level,
            method_key: format!("method.{}", a.method),
            assessed_on: a.assessed_on,
            valid_until: a.valid_until.unwrap_or_default(),
            assessor: a.assessor.unwrap_or_default(),
            note: a.note.unwrap_or_default(),
            evidence: a.evidence,
        })
        .collect();
    let methods = methods_for(actor);
    let form = can.then(|| {
        form.unwrap_or_else(|| AssessmentForm {
            method: methods.first().map(|m| m.0.to_string()).unwrap_or_default(),
            assessed_on: today.clone(),
            level: "3".into(),
            ..Default::default()
        })
    });
    Panel {
        history,
        form,
        competencies: dictionary,
        methods,
        error,
        max_mib: cakap_services::files::MAX_EVIDENCE >> 20,
    }
}

/// `POST /employees/{nip}/assessments` (multipart, so that a file can come along).
pub async fn record(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
    multipart: Multipart,
) -> PageResult {
    let (fields, file) = match super::read_multipart(multipart, "evidence").await {
        Ok(x) => x,
        Err((status, key)) => return Ok(super::error_page(&ctx, status, key)),
    };
    let mut f = AssessmentForm::default();
    for (name, value) in fields {
        match name.as_str() {
            "competency" => f.competency = value,
            "level" => f.level = value,
            "method" => f.method = value,
            "assessed_on" => f.assessed_on = value,
            "valid_until" => f.valid_until = value,
            "assessor" => f.assessor = value,
            "note" => f.note = value,
            _ => {}
        }
    }
    let input = NewAssessment {
        nip: nip.clone(),
        competency: f.competency.clone(),
        level: f.level.trim().parse().unwrap_or(0),
        method: f.method.clone(),
        assessed_on: f.assessed_on.clone(),
        valid_until: Some(f.valid_until.clone()),
        assessor: Some(f.assessor.clone()),
        note: Some(f.note.clone()),
    };
    Ok(
        match assessments::record_with(&s.db, &actor, &input, file.as_ref())
            .await
            .or_refusal()?
        {
            Ok(_) => Redirect::to(&format!("/employees/{nip}?saved=1#assessments")).into_response(),
            Err(Refusal {
                status, message, ..
            }) => {
                super::employees::show_page(
                    &s,
                    &actor,
                    &ctx,
                    &nip,
                    false,
                    Some((status, f, message)),
                )
                .await?
            }
        },
    )
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct EntryQuery {
    unit: String,
    competency: String,
    saved: String,
}

#[derive(askama::Template)]
#[template(path = "assessment_entry.html")]
struct EntryPage {
    ui: super::Ui,
    unit: String,
    competency: String,
    units: Vec<super::UnitOption>,
    competencies: Vec<(String, String)>,
    methods: Vec<(&'static str, String)>,
    roster: Vec<(String, String, String)>,
    today: String,
    saved: String,
    error: Option<String>,
}

async fn entry_page(
    s: &AppState,
    actor: &Actor,
    ctx: &crate::ctx::Ctx,
    q: EntryQuery,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    if actor.role != Role::Admin {
        return Err(ServiceError::Forbidden.into());
    }
    let loaded = async {
        let units = cakap_services::units::list(&s.db, actor).await?.items;
        let competencies = competencies::active_names(&s.db, actor).await?;
        let roster = if q.unit.is_empty() || q.competency.is_empty() {
            Vec::new()
        } else {
            assessments::roster(&s.db, actor, &q.unit).await?
        };
        Ok::<_, ServiceError>((units, competencies, roster))
    };
    let (units, competencies, roster) = loaded.await?;
    let (status, error) = match error {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    Ok(super::render_status(
        status,
        &EntryPage {
            ui: super::Ui::new(ctx, "/competence"),
            units: super::unit_options(&units),
            competencies,
            methods: METHODS
                .iter()
                .filter(|m| **m != "self")
                .map(|m| (*m, format!("method.{m}")))
                .collect(),
            roster,
            today: chrono::Local::now()
                .date_naive()
                .format("%Y-%m-%d")
                .to_string(),
            unit: q.unit,
            competency: q.competency,
            saved: q.saved,
            error,
        },
    ))
}

/// `GET /competence/entry?unit=&competency=`: results for a whole unit at once (admin).
pub async fn entry(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::extract::Query(q): axum::extract::Query<EntryQuery>,
) -> PageResult {
    entry_page(&s, &actor, &ctx, q, None).await
}

/// `POST /competence/entry`: fields `unit`, `competency`, `method`, `assessed_on`,
/// `valid_until`, `assessor` and `level.<NIP>` (blank: no result for that person).
pub async fn save_entry(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::Form(fields): axum::Form<Vec<(String, String)>>,
) -> PageResult {
    let one = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let results: Vec<(String, i64)> = fields
        .iter()
        .filter_map(|(k, v)| {
            let nip = k.strip_prefix("level.")?;
            let v = v.trim();
            (!v.is_empty()).then(|| (nip.to_string(), v.parse().unwrap_or(0)))
        })
        .collect();
    let batch = assessments::Batch {
        competency: one("competency"),
        method: one("method"),
        assessed_on: one("assessed_on"),
        valid_until: Some(one("valid_until")),
        assessor: Some(one("assessor")),
        results,
    };
    let q = EntryQuery {
        unit: one("unit"),
        competency: one("competency"),
        saved: String::new(),
    };
    Ok(
        match assessments::record_batch(&s.db, &actor, &batch)
            .await
            .or_refusal()?
        {
            Ok(n) => Redirect::to(&super::href(
                "/competence/entry",
                &[
                    ("unit", q.unit),
                    ("competency", q.competency),
                    ("saved", n.to_string()),
                ],
            ))
            .into_response(),
            Err(Refusal {
                status, message, ..
            }) => entry_page(&s, &actor, &ctx, q, Some((status, message))).await?,
        },
    )
}
