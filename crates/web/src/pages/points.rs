//! Points and badges (`/poin`) and the public badge check (`/badges/{id}`)
//! (docs/domain.md#points, docs/badges.md).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::points::{Badge, Rules};
use cakap_services::performance::current_year;
use cakap_services::points;
use serde::Deserialize;

use super::{OrRefusal, PageResult, Refusal, Ui, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::fmt_int;
use crate::pages::home::{Bar, Chart};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PointsQuery {
    year: Option<i64>,
    nip: String,
    unit: String,
    saved: Option<String>,
}

pub struct LineRow {
    pub date: String,
    pub source: &'static str,
    pub title: String,
    pub count: String,
    pub points: String,
    pub late: bool,
}

pub struct BadgeCard {
    pub id: String,
    pub name: String,
    pub level: String,
    pub points: String,
}

pub struct Person {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub points: String,
    pub rank: String,
    pub next: Option<String>,
    /// (value, max) of the progress bar toward the next badge.
    pub progress: Option<(i64, i64)>,
    pub chart: Option<Chart>,
    pub lines: Vec<LineRow>,
    pub badges: Vec<BadgeCard>,
    pub own: bool,
    pub opted_out: bool,
}

pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "points.html")]
struct PointsPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    nip: String,
    unit: String,
    /// Units a leader may open a leaderboard of (empty for an ASN).
    units: Vec<super::UnitOption>,
    person: Option<Person>,
    board: Option<points::Leaderboard>,
    rules: Vec<(&'static str, String)>,
    saved: bool,
    can_edit: bool,
    fields: Vec<Field>,
    error: Option<String>,
}

/// The years a page offers: this one and the two before.
pub(super) fn years() -> Vec<i64> {
    let y = current_year();
    vec![y, y - 1, y - 2]
}

fn source_key(s: &str) -> &'static str {
    match s {
        "jp" => "points.source_jp",
        "certificate" => "points.source_certificate",
        "acknowledgement" => "points.source_acknowledgement",
        _ => "points.source_drill",
    }
}

fn rule_fields(r: &Rules) -> Vec<Field> {
    vec![
        Field {
            name: "per_jp",
            label: "points.per_jp",
            value: r.per_jp.to_string(),
        },
        Field {
            name: "per_certificate",
            label: "points.per_certificate",
            value: r.per_certificate.to_string(),
        },
        Field {
            name: "per_acknowledgement",
            label: "points.per_acknowledgement",
            value: r.per_acknowledgement.to_string(),
        },
        Field {
            name: "per_drill",
            label: "points.per_drill",
            value: r.per_drill.to_string(),
        },
        Field {
            name: "bronze",
            label: "points.bronze",
            value: r.thresholds[0].to_string(),
        },
        Field {
            name: "silver",
            label: "points.silver",
            value: r.thresholds[1].to_string(),
        },
        Field {
            name: "gold",
            label: "points.gold",
            value: r.thresholds[2].to_string(),
        },
    ]
}

/// The rule as typed; what cannot be read becomes -1, which the rule's check refuses.
fn rules_of(f: &HashMap<String, String>) -> Rules {
    let n = |k: &str| {
        f.get(k)
            .map(|v| v.trim().replace('.', ""))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(-1)
    };
    Rules {
        per_jp: n("per_jp"),
        per_certificate: n("per_certificate"),
        per_acknowledgement: n("per_acknowledgement"),
        per_drill: n("per_drill"),
        thresholds: [n("bronze"), n("silver"), n("gold")],
    }
}

fn person(ui: &Ui, p: &points::Points, own: bool) -> Person {
    let lang = ui.lang;
    let mut by_source: Vec<(&'static str, i64)> = Vec::new();
    for l in &p.lines {
        let key = source_key(&l.source);
        match by_source.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v += l.points,
            None => by_source.push((key, l.points)),
        }
    }
    let max = by_source.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let next = p.next.as_ref().map(|(level, missing)| {
        let name = Badge::parse(level).map_or("", |b| b.name_id());
        format!(
            "{} {} {}",
            fmt_int(lang, *missing),
            ui.t("points.to_next"),
            name
        )
    });
    let progress = p
        .next
        .as_ref()
        .map(|(_, missing)| (p.points, p.points + missing));
    Person {
        nip: p.nip.clone(),
        name: p.name.clone(),
        unit: p.unit.clone(),
        points: fmt_int(lang, p.points),
        rank: p
            .rank
            .map_or_else(|| "—".into(), |(r, of)| format!("{r} / {of}")),
        next,
        progress,
        chart: (by_source.len() >= 2).then(|| Chart {
            title: ui.t("points.chart"),
            label_header: ui.t("points.source"),
            value_header: ui.t("points.points"),
            bars: by_source
                .iter()
                .map(|(k, v)| Bar {
                    label: ui.t(k).to_string(),
                    value: fmt_int(lang, *v),
                    pct: (*v as f64 * 1000.0 / max).round() / 10.0,
                    other: false,
                })
                .collect(),
        }),
        lines: p
            .lines
            .iter()
            .map(|l| LineRow {
                date: l.on_date.clone(),
                source: source_key(&l.source),
                title: l.title.clone(),
                count: fmt_int(lang, l.count),
                points: fmt_int(lang, l.points),
                late: l.note.as_deref() == Some("late"),
            })
            .collect(),
        badges: p
            .badges
            .iter()
            .map(|b| BadgeCard {
                id: b.id.clone(),
                name: b.name.clone(),
                level: b.level.clone(),
                points: fmt_int(lang, b.points),
            })
            .collect(),
        own,
        opted_out: p.opted_out,
    }
}

async fn points_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    q: &PointsQuery,
    refused: Option<(Refusal, Rules)>,
) -> PageResult {
    let year = q.year.unwrap_or_else(current_year);
    let ui = Ui::new(ctx, "/poin");
    let nip = if q.nip.trim().is_empty() {
        actor.nip.clone().unwrap_or_default()
    } else {
        q.nip.trim().to_string()
    };
    // A unit chosen without a person: its leaderboard alone.
    let nip = if q.nip.trim().is_empty() && !q.unit.trim().is_empty() {
        String::new()
    } else {
        nip
    };
    let nip = Some(nip.as_str()).filter(|n| !n.is_empty());
    let o = points::overview(&s.db, actor, nip, Some(q.unit.as_str()), year).await?;
    let own = o.person.as_ref().is_some_and(|p| actor.is_self(0, &p.nip));
    let person = o.person.as_ref().map(|p| person(&ui, p, own));
    let board = o.leaderboard;
    // The unit chosen in the form: the one asked for, or the person's shown (not one's own).
    let unit = match (q.unit.trim(), &board) {
        ("", Some(b)) if o.person.is_some() && !own => b.unit.clone(),
        (u, _) => u.to_string(),
    };
    let units = if matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan) {
        super::unit_options(&cakap_services::units::list(&s.db, actor).await?.items)
    } else {
        Vec::new()
    };
    let r = &o.rules;
    let rules = vec![
        ("points.per_jp", fmt_int(ui.lang, r.per_jp)),
        (
            "points.per_certificate",
            fmt_int(ui.lang, r.per_certificate),
        ),
        (
            "points.per_acknowledgement",
            fmt_int(ui.lang, r.per_acknowledgement),
        ),
        ("points.per_drill", fmt_int(ui.lang, r.per_drill)),
        ("points.bronze", fmt_int(ui.lang, r.thresholds[0])),
        ("points.silver", fmt_int(ui.lang, r.thresholds[1])),
        ("points.gold", fmt_int(ui.lang, r.thresholds[2])),
    ];
    let (refusal, typed) = refused.map_or((None, None), |(r, t)| (Some(r), Some(t)));
    let (status, _, error) = Refusal::split(refusal);
    let fields = rule_fields(typed.as_ref().unwrap_or(r));
    Ok(render_status(
        status,
        &PointsPage {
            year,
            years: years(),
            nip: q.nip.trim().to_string(),
            unit,
            units,
            person,
            board,
            rules,
            saved: q.saved.is_some(),
            can_edit: actor.role == Role::Admin,
            fields,
            error,
            ui,
        },
    ))
}

/// `GET /poin`: one's own points (or, `?nip=`, someone's in the reader's scope), the unit's
/// leaderboard and how points are earned.
pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<PointsQuery>,
) -> PageResult {
    points_page(&s, &actor, &ctx, &q, None).await
}

/// `POST /poin/aturan` (admin): the points rule.
pub async fn save_rules(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    let rules = rules_of(&f);
    match points::set_rules(&s.db, &actor, &rules)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to("/poin?saved=1").into_response()),
        Err(r) => points_page(&s, &actor, &ctx, &PointsQuery::default(), Some((r, rules))).await,
    }
}

#[derive(Deserialize)]
pub struct OptOutForm {
    /// `1` to keep out of leaderboards, `0` to be listed again.
    out: String,
}

/// `POST /poin/papan`: one's own leaderboard opt-out.
pub async fn set_optout(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Form(f): Form<OptOutForm>,
) -> PageResult {
    points::set_optout(&s.db, &actor, f.out == "1").await?;
    Ok(Redirect::to("/poin").into_response())
}

#[derive(Template)]
#[template(path = "badge.html")]
struct BadgePage {
    ui: Ui,
    c: points::Check,
    fingerprint: String,
}

/// `GET /badges/{id}` (public): the check page; `{id}.json` the credential, `{id}.jwt` the
/// same as a VC-JWT.
pub async fn badge(State(s): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    if let Some(id) = id.strip_suffix(".json") {
        let c = points::check(&s.db, id).await?;
        let Some(credential) = c.credential.filter(|_| c.valid) else {
            return Err(cakap_services::ServiceError::NotFound.into());
        };
        let mut res = serde_json::to_vec_pretty(&credential)
            .unwrap_or_default()
            .into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vc+ld+json"),
        );
        if let Ok(v) =
            HeaderValue::from_str(&format!("attachment; filename=\"lencana-{}.json\"", c.id))
        {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        return Ok(res);
    }
    if let Some(id) = id.strip_suffix(".jwt") {
        let Some(token) = points::jwt(&s.db, id).await? else {
            return Err(cakap_services::ServiceError::NotFound.into());
        };
        let mut res = token.into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/vc+jwt"),
        );
        return Ok(res);
    }
    let c = points::check(&s.db, &id).await?;
    let status = if c.valid {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let fingerprint = crate::pages::fingerprint_groups(c.fingerprint.as_deref());
    Ok(render_status(
        status,
        &BadgePage {
            ui: Ui::new(&ctx, "/badges"),
            c,
            fingerprint,
        },
    ))
}
