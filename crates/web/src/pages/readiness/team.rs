//! A response team's page (`/kesiapsiagaan/tim/{id}`: members with their answers, refreshed
//! by itself, call-out, replacements, the call list as CSV and PDF), a member's call-out
//! (`/panggilan/{id}`: siap with an ETA, or tidak bisa), and one's own readiness page
//! (`/kesiapsiagaan/saya`: availability, call-outs, drills).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::crisis::{CommandRole, Hazard};
use cakap_services::readiness::drills::{self, Drill};
use cakap_services::readiness::teams::{self, Answer, Member, MyCall, Team};
use cakap_services::readiness::{self as ready, AvailabilityInput};
use serde::Deserialize;

use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::Lang;
use crate::pages::{OrRefusal, PageResult, Refusal, Ui, render, render_status};

pub struct MemberLine {
    pub m: Member,
    pub role: &'static str,
    /// The proposed replacement for someone who cannot come: "Name — Unit (Kecamatan)".
    pub proposal: Option<String>,
    /// Their NIP (the form sends it, so the person placed is the one shown).
    pub proposal_nip: String,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    ui: Ui,
    team: Team,
    hazard: &'static str,
    members: Vec<MemberLine>,
    unfilled: Vec<String>,
    ready: usize,
    declined: usize,
    waiting: usize,
    by_phone: usize,
    admin: bool,
    called_at: Option<String>,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "team_members.html")]
struct MembersPart {
    ui: Ui,
    team: Team,
    members: Vec<MemberLine>,
    ready: usize,
    declined: usize,
    waiting: usize,
    by_phone: usize,
    admin: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeamQuery {
    /// `members`: only the members' part (the page's own refresh).
    part: String,
    /// `csv` or `pdf`: the call list.
    format: String,
}

fn role_label(role: &str, en: bool) -> &'static str {
    role.parse::<CommandRole>().map_or("", |r| r.label(en))
}

/// `GET /kesiapsiagaan/tim/{id}`.
pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<TeamQuery>,
) -> PageResult {
    let team = teams::get(&s.db, &actor, id).await?;
    let en = ctx.lang == Lang::En;
    match q.format.as_str() {
        "csv" => return call_list_csv(&team, &ctx),
        "pdf" => return call_list_pdf(&team, en),
        _ => {}
    }
    team_page(&s, &actor, &ctx, team, q.part == "members", None).await
}

async fn team_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &crate::ctx::Ctx,
    team: Team,
    partial: bool,
    refusal: Option<Refusal>,
) -> PageResult {
    let en = ctx.lang == Lang::En;
    // One pass for everyone who cannot come (and none when nobody declined).
    let proposals = if team
        .members
        .iter()
        .any(|m| m.answer.as_deref() == Some("tidak_bisa") && !m.replaced)
    {
        teams::replacements(&s.db, actor, team.id).await?
    } else {
        Vec::new()
    };
    let members = team
        .members
        .iter()
        .map(|m| MemberLine {
            role: role_label(&m.role, en),
            proposal: proposals
                .iter()
                .find(|(nip, _)| *nip == m.nip && !m.replaced)
                .and_then(|(_, p)| p.as_ref())
                .map(|p| {
                    format!(
                        "{} — {}{}",
                        p.name,
                        p.unit,
                        p.kecamatan_name
                            .as_ref()
                            .map(|k| format!(" ({k})"))
                            .unwrap_or_default()
                    )
                }),
            proposal_nip: proposals
                .iter()
                .find(|(nip, _)| *nip == m.nip && !m.replaced)
                .and_then(|(_, p)| p.as_ref())
                .map(|p| p.nip.clone())
                .unwrap_or_default(),
            m: m.clone(),
        })
        .collect();
    let live: Vec<&Member> = team
        .members
        .iter()
        .filter(|m| !m.replaced && m.called)
        .collect();
    let count = |a: Option<&str>| live.iter().filter(|m| m.answer.as_deref() == a).count();
    let (ready_n, declined) = (count(Some("siap")), count(Some("tidak_bisa")));
    // Waiting for an answer in Cakap; those without an account are phoned instead.
    let by_phone = live
        .iter()
        .filter(|m| m.answer.is_none() && !m.reachable)
        .count();
    let waiting = count(None) - by_phone;
    let admin = actor.role == Role::Admin;
    let ui = Ui::new(ctx, "/kesiapsiagaan");
    if partial {
        return Ok(render(&MembersPart {
            ui,
            team,
            members,
            ready: ready_n,
            declined,
            waiting,
            by_phone,
            admin,
        }));
    }
    let (status, _, error) = Refusal::split(refusal);
    let unfilled = team
        .unfilled
        .iter()
        .map(|u| {
            format!(
                "{} — {} level ≥ {}: {} {}",
                role_label(&u.role, en),
                u.competency,
                u.level,
                ui.t("readiness.short"),
                u.short
            )
        })
        .collect();
    let team_called_at = team.called_at;
    let page = TeamPage {
        hazard: team.hazard.parse::<Hazard>().map_or("", |h| h.label(en)),
        team,
        members,
        unfilled,
        ready: ready_n,
        declined,
        waiting,
        by_phone,
        admin,
        called_at: team_called(&team_called_at),
        error,
        ui,
    };
    Ok(render_status(status, &page))
}

fn team_called(at: &Option<i64>) -> Option<String> {
    at.map(crate::pages::wib_ms)
}

fn call_list_rows(team: &Team, en: bool) -> Vec<Vec<String>> {
    team.members
        .iter()
        .filter(|m| !m.replaced)
        .map(|m| {
            vec![
                role_label(&m.role, en).to_string(),
                m.name.clone(),
                m.nip.clone(),
                m.unit.clone(),
                m.kecamatan_name.clone().unwrap_or_default(),
                m.phone.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

fn call_list_csv(team: &Team, ctx: &crate::ctx::Ctx) -> PageResult {
    let ui = Ui::new(ctx, "");
    let table = cakap_services::exports::Table {
        headers: vec![
            ui.t("readiness.role"),
            ui.t("field.name"),
            ui.t("field.nip"),
            ui.t("field.unit"),
            ui.t("readiness.kecamatan"),
            ui.t("field.phone"),
        ],
        rows: call_list_rows(team, ctx.lang == Lang::En),
    };
    crate::pages::download(
        &table,
        cakap_services::exports::Format::Csv,
        &format!("daftar-panggil-tim-{}", team.id),
    )
}

fn call_list_pdf(team: &Team, en: bool) -> PageResult {
    use cakap_services::pdf::{Col, Document};
    let hazard = team.hazard.parse::<Hazard>().map_or("", |h| h.label(en));
    let title = if en {
        format!("Call list — {hazard}, Kecamatan {}", team.kecamatan_name)
    } else {
        format!(
            "Daftar panggil — {hazard}, Kecamatan {}",
            team.kecamatan_name
        )
    };
    let mut doc = Document::new(&title, &format!("Cakap · tim {}", team.id));
    doc.title(&title, 15.0);
    doc.paragraph(&format!(
        "{} {} · {}",
        if en { "Assembled by" } else { "Disusun oleh" },
        team.created_by,
        crate::pages::wib_ms(team.created_at)
    ));
    let cols = [
        Col::left(if en { "Role" } else { "Peran" }, 0.2),
        Col::left(if en { "Name" } else { "Nama" }, 0.25),
        Col::left("NIP", 0.17),
        Col::left(if en { "Unit" } else { "Unit kerja" }, 0.2),
        Col::left(if en { "Phone" } else { "Telepon" }, 0.18),
    ];
    let rows: Vec<Vec<String>> = call_list_rows(team, en)
        .into_iter()
        .map(|r| {
            vec![
                r[0].clone(),
                r[1].clone(),
                r[2].clone(),
                r[3].clone(),
                r[5].clone(),
            ]
        })
        .collect();
    doc.table(&cols, &rows);
    if !team.unfilled.is_empty() {
        doc.heading(if en { "Not filled" } else { "Belum terisi" });
        for u in &team.unfilled {
            doc.paragraph(&format!(
                "{} — {} level ≥ {}: {}",
                role_label(&u.role, en),
                u.competency,
                u.level,
                u.short
            ));
        }
    }
    let bytes = doc.finish();
    Ok(crate::api::file_response(
        &format!("daftar-panggil-tim-{}.pdf", team.id),
        "application/pdf",
        bytes,
    ))
}

/// `POST /kesiapsiagaan/tim/{id}/panggil`.
pub async fn call_out(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    teams::call_out(&s.db, &actor, id).await?;
    Ok(Redirect::to(&teams::link(id)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplaceForm {
    nip: String,
    /// The replacement shown.
    with: String,
}

/// `POST /kesiapsiagaan/tim/{id}/ganti`.
pub async fn replace(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<ReplaceForm>,
) -> PageResult {
    let with = crate::pages::blank_to_none(&f.with);
    match teams::replace(&s.db, &actor, id, &f.nip, with.as_deref())
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&teams::link(id)).into_response()),
        Err(r) => {
            let team = teams::get(&s.db, &actor, id).await?;
            team_page(&s, &actor, &ctx, team, false, Some(r)).await
        }
    }
}

// ---- the member's side ----

#[derive(Template)]
#[template(path = "callout.html")]
struct CalloutPage {
    ui: Ui,
    call: MyCall,
    hazard: &'static str,
    role: &'static str,
    called_at: String,
    error: Option<String>,
}

/// `GET /panggilan/{id}`: the call-out as its member sees it.
pub async fn callout(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let call = teams::my_call(&s.db, &actor, id).await?;
    callout_page(&ctx, call, None)
}

fn callout_page(ctx: &crate::ctx::Ctx, call: MyCall, refusal: Option<Refusal>) -> PageResult {
    let en = ctx.lang == Lang::En;
    let (status, _, error) = Refusal::split(refusal);
    let page = CalloutPage {
        ui: Ui::new(ctx, "/kesiapsiagaan/saya"),
        hazard: call.hazard.parse::<Hazard>().map_or("", |h| h.label(en)),
        role: role_label(&call.role, en),
        called_at: crate::pages::wib_ms(call.called_at),
        call,
        error,
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnswerForm {
    answer: String,
    eta_minutes: String,
}

/// `POST /panggilan/{id}`.
pub async fn respond(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    let answer = Answer {
        answer: f.answer,
        eta_minutes: f.eta_minutes.trim().parse().ok(),
    };
    match teams::respond(&s.db, &actor, id, &answer)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&teams::respond_link(id)).into_response()),
        Err(r) => {
            let call = teams::my_call(&s.db, &actor, id).await?;
            callout_page(&ctx, call, Some(r))
        }
    }
}

#[derive(Template)]
#[template(path = "readiness_me.html")]
struct MePage {
    ui: Ui,
    nip: Option<String>,
    available: bool,
    until: String,
    reason: String,
    phone: Option<String>,
    calls: Vec<(MyCall, &'static str, &'static str)>,
    drills: Vec<Drill>,
    today: String,
    saved: bool,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MeQuery {
    saved: String,
}

/// `GET /kesiapsiagaan/saya`.
pub async fn me(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<MeQuery>,
) -> PageResult {
    me_page(&s, &actor, &ctx, !q.saved.is_empty(), None).await
}

async fn me_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &crate::ctx::Ctx,
    saved: bool,
    refusal: Option<Refusal>,
) -> PageResult {
    let en = ctx.lang == Lang::En;
    let (available, until, reason, phone, drills) = match actor.nip.as_deref() {
        Some(nip) => {
            let a = ready::availability(&s.db, actor, nip).await?;
            (
                a.available,
                a.until.unwrap_or_default(),
                a.reason,
                a.phone,
                drills::of_employee(&s.db, actor, nip).await?,
            )
        }
        None => (true, String::new(), String::new(), None, Vec::new()),
    };
    let calls = teams::mine(&s.db, actor)
        .await?
        .into_iter()
        .map(|c| {
            let h = c.hazard.parse::<Hazard>().map_or("", |h| h.label(en));
            let r = role_label(&c.role, en);
            (c, h, r)
        })
        .collect();
    let (status, _, error) = Refusal::split(refusal);
    let page = MePage {
        ui: Ui::new(ctx, "/kesiapsiagaan/saya"),
        nip: actor.nip.clone(),
        available,
        until,
        reason,
        phone,
        calls,
        drills,
        today: cakap_services::wib::today().format("%Y-%m-%d").to_string(),
        saved,
        error,
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AvailabilityForm {
    available: String,
    until: String,
    reason: String,
}

/// `POST /kesiapsiagaan/saya`: one's own availability.
pub async fn set_availability(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<AvailabilityForm>,
) -> PageResult {
    let Some(nip) = actor.nip.clone() else {
        return Err(cakap_services::ServiceError::NotFound.into());
    };
    let input = AvailabilityInput {
        available: f.available == "1",
        until: crate::pages::blank_to_none(&f.until),
        reason: f.reason,
    };
    match ready::set_availability(&s.db, &actor, &nip, &input)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to("/kesiapsiagaan/saya?saved=1").into_response()),
        Err(r) => me_page(&s, &actor, &ctx, false, Some(r)).await,
    }
}
