//! `/learn/integrasi`: learning reported by other platforms (docs/interfaces.md#xapi) — the
//! xAPI endpoint and its clients, the completions waiting for an actor or an activity to be
//! known (with the form that maps an activity to a catalogue course), the SIASN export and
//! the Moodle import.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_services::xapi::clients::{self, ClientInfo, NewClient};
use cakap_services::xapi::credit::{self, Overview};
use serde::Deserialize;

use crate::AppState;
use crate::extract::PageActor;
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render_status};

#[derive(Template)]
#[template(path = "learn_integration.html")]
struct IntegrationPage {
    ui: Ui,
    endpoint: String,
    home_page: String,
    admin: bool,
    clients: Vec<ClientInfo>,
    created: Option<NewClient>,
    overview: Overview,
    year: i32,
    /// Completions credited by the mapping just made.
    credited: Option<usize>,
    error: Option<String>,
}

impl IntegrationPage {
    fn count(&self, outcome: &str) -> i64 {
        self.overview
            .counts
            .iter()
            .find(|(o, _)| o == outcome)
            .map_or(0, |(_, n)| *n)
    }

    fn total(&self) -> i64 {
        self.overview.counts.iter().map(|(_, n)| n).sum()
    }
}

async fn render_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &crate::ctx::Ctx,
    created: Option<NewClient>,
    credited: Option<usize>,
    refusal: Option<Refusal>,
) -> PageResult {
    let (status, _, error) = Refusal::split(refusal);
    let admin = actor.role == Role::Admin;
    let page = IntegrationPage {
        ui: Ui::new(ctx, "/learn"),
        endpoint: format!("{}/xapi", s.config.public_url()),
        home_page: s.config.public_url().to_string(),
        admin,
        clients: if admin {
            clients::list(&s.db, actor).await?
        } else {
            Vec::new()
        },
        created,
        overview: wib_times(credit::overview(&s.db, actor).await?),
        year: chrono::Datelike::year(&cakap_services::wib::today()),
        credited,
        error,
    };
    Ok(render_status(status, &page))
}

/// When each waiting statement was received, in WIB to the minute.
fn wib_times(mut o: Overview) -> Overview {
    for w in &mut o.waiting {
        if let Some(t) = cakap_services::xapi::validate::timestamp(&w.stored) {
            w.stored = t
                .with_timezone(&cakap_services::wib::zone())
                .format("%Y-%m-%d %H.%M WIB")
                .to_string();
        }
    }
    o
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IntegrationQuery {
    /// Completions credited by the mapping just made (the redirect after it).
    dikreditkan: Option<usize>,
}

/// `GET /learn/integrasi` (BKPSDM and the inspectorate).
pub async fn integration(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    axum::extract::Query(q): axum::extract::Query<IntegrationQuery>,
) -> PageResult {
    render_page(&s, &actor, &ctx, None, q.dikreditkan, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ClientForm {
    name: String,
}

/// `POST /learn/integrasi/klien`: a new client; its secret is shown on the page this once.
pub async fn add_client(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<ClientForm>,
) -> PageResult {
    match clients::add(&s.db, &actor, &f.name).await.or_refusal()? {
        Ok(c) => render_page(&s, &actor, &ctx, Some(c), None, None).await,
        Err(r) => render_page(&s, &actor, &ctx, None, None, Some(r)).await,
    }
}

/// `POST /learn/integrasi/cabut`.
pub async fn revoke_client(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Form(f): Form<ClientForm>,
) -> PageResult {
    clients::revoke(&s.db, &actor, &f.name).await?;
    Ok(Redirect::to("/learn/integrasi").into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MapForm {
    activity: String,
    course: String,
}

/// `POST /learn/integrasi/petakan`: an outside activity stands for a catalogue course; the
/// completions waiting for it are credited now.
pub async fn map_activity(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<MapForm>,
) -> PageResult {
    match credit::map_activity(&s.db, &actor, &f.activity, &f.course)
        .await
        .or_refusal()?
    {
        Ok(n) => Ok(Redirect::to(&format!("/learn/integrasi?dikreditkan={n}")).into_response()),
        Err(r) => render_page(&s, &actor, &ctx, None, None, Some(r)).await,
    }
}

/// `POST /learn/integrasi/ulang`: the failed and pending completions run again.
pub async fn retry(State(s): State<AppState>, PageActor { actor, .. }: PageActor) -> PageResult {
    credit::retry(&s.db, &actor, s.config.public_url()).await?;
    Ok(Redirect::to("/learn/integrasi").into_response())
}
