//! A campaign's page: the reading and the acknowledgement for whom it targets, the compliance
//! by unit (chart, table, downloads, the people still owing, the reminder) for leaders.

use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_services::regulations::campaigns::{self, Mine};
use cakap_services::{Actor, ServiceError};
use serde::Deserialize;

use super::{share, today};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{self, fmt_int};
use crate::pages::home::{Bar, Chart};
use crate::pages::{OrRefusal, PageResult, Ui, render};

/// One unit's line of a campaign's compliance.
pub struct UnitLine {
    pub name: String,
    pub targeted: String,
    pub acknowledged: String,
    pub owing: String,
    pub pct: String,
    /// Below the others: owing after the due date.
    pub late: bool,
    /// A drill-down link when the unit has units below it in the data.
    pub drill: Option<String>,
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    ui: Ui,
    id: i64,
    label: String,
    judul: String,
    regulation: i64,
    due_on: String,
    version: i64,
    course: Option<String>,
    /// The caller's own reading, when the campaign targets them.
    mine: Option<Mine>,
    /// Compliance, for leaders.
    leader: bool,
    stats: Vec<(String, &'static str)>,
    chart: Option<Chart>,
    units: Vec<UnitLine>,
    owing: Vec<(String, String, String)>,
    owing_more: bool,
    can_remind: bool,
    unit: String,
    /// The unit drilled into, when one is.
    unit_name: Option<String>,
    past_due: bool,
    up: Option<String>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CampaignQuery {
    unit: String,
    format: String,
    reminded: String,
}

/// People listed as still owing on the page.
const OWING_SHOWN: i64 = 100;

/// `GET /kampanye/{id}`: the reading for whom it targets, the compliance for leaders.
pub async fn campaign(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<CampaignQuery>,
) -> PageResult {
    campaign_view(&s, &actor, &ctx, id, &q, None).await
}

async fn campaign_view(
    s: &AppState,
    actor: &Actor,
    ctx: &Ctx,
    id: i64,
    q: &CampaignQuery,
    error: Option<String>,
) -> PageResult {
    let mine = match campaigns::for_me(&s.db, actor, id).await {
        Ok(m) => Some(m),
        Err(ServiceError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let leader = matches!(actor.role, Role::Admin | Role::Auditor | Role::Pimpinan);
    let compliance = if leader {
        match campaigns::get(&s.db, actor, id).await {
            Ok(x) => Some(x),
            Err(ServiceError::NotFound) if mine.is_some() => None,
            Err(e) => return Err(e.into()),
        }
    } else {
        None
    };
    if mine.is_none() && compliance.is_none() {
        return Err(ServiceError::NotFound.into());
    }
    let lang = ctx.lang;
    let ui = Ui::new(ctx, "/peraturan");
    let (label, judul, regulation, due_on, version, course) = match (&compliance, &mine) {
        (Some((k, _)), _) => (
            k.regulation_label.clone(),
            k.judul.clone(),
            k.regulation,
            k.due_on.clone(),
            k.version,
            k.course.clone(),
        ),
        (None, Some(m)) => (
            m.regulation_label.clone(),
            m.judul.clone(),
            m.regulation,
            m.due_on.clone(),
            m.version,
            m.course.as_ref().map(|c| c.0.clone()),
        ),
        (None, None) => return Err(ServiceError::NotFound.into()),
    };
    let mut stats = Vec::new();
    let mut chart = None;
    let mut units = Vec::new();
    let mut owing = Vec::new();
    let mut owing_more = false;
    let mut up = None;
    let unit = q.unit.trim().to_string();
    if let Some((k, rows)) = &compliance {
        let overdue_now = k.overdue > 0;
        // Roll the per-unit rows up to the units one level below the scope (or the unit asked).
        let all = actor.unit_scope();
        let whole = cakap_services::units::tree(&s.db, actor.tenant_id).await?;
        let tree: Vec<&cakap_store::units::UnitRow> =
            whole.iter().filter(|u| u.path.starts_with(&all)).collect();
        let scope = if unit.is_empty() {
            actor.unit_scope()
        } else {
            tree.iter()
                .find(|u| u.code == unit)
                .map(|u| u.path.clone())
                .ok_or(ServiceError::NotFound)?
        };
        if !unit.is_empty() {
            let parent = tree
                .iter()
                .find(|u| u.code == unit)
                .and_then(|u| u.parent_code.clone())
                .filter(|p| tree.iter().any(|t| &t.code == p));
            up = Some(match parent {
                Some(p) => format!("/kampanye/{id}?unit={p}"),
                None => format!("/kampanye/{id}"),
            });
        }
        let depth = scope.matches('/').count().saturating_sub(1);
        let mut groups: Vec<(String, i64, i64, bool)> = Vec::new();
        for r in rows.iter().filter(|r| r.path.starts_with(&scope)) {
            let ids: Vec<&str> = r.path.trim_matches('/').split('/').collect();
            let take = (depth + 1).min(ids.len());
            let prefix = format!("/{}/", ids[..take].join("/"));
            let deeper = r.path != prefix;
            match groups.iter_mut().find(|g| g.0 == prefix) {
                Some(g) => {
                    g.1 += r.targeted;
                    g.2 += r.acknowledged;
                    g.3 |= deeper;
                }
                None => groups.push((prefix, r.targeted, r.acknowledged, deeper)),
            }
        }
        let targeted: i64 = groups.iter().map(|g| g.1).sum();
        let acknowledged: i64 = groups.iter().map(|g| g.2).sum();
        let pct = |a: i64, t: i64| {
            if t > 0 {
                a as f64 * 100.0 / t as f64
            } else {
                0.0
            }
        };
        stats = vec![
            (fmt_int(lang, targeted), "campaign.targeted"),
            (fmt_int(lang, acknowledged), "campaign.acknowledged"),
            (
                format!("{:.1} %", pct(acknowledged, targeted)),
                "campaign.rate",
            ),
            (
                fmt_int(
                    lang,
                    if overdue_now {
                        targeted - acknowledged
                    } else {
                        0
                    },
                ),
                "campaign.overdue",
            ),
        ];
        let mut lines: Vec<UnitLine> = groups
            .iter()
            .map(|(path, t, a, deeper)| {
                let u = tree.iter().find(|u| &u.path == path);
                let code = u.map(|u| u.code.clone()).unwrap_or_default();
                UnitLine {
                    drill: (*deeper && !code.is_empty())
                        .then(|| format!("/kampanye/{id}?unit={code}")),
                    name: u.map(|u| u.name.clone()).unwrap_or_else(|| "—".into()),
                    targeted: fmt_int(lang, *t),
                    acknowledged: fmt_int(lang, *a),
                    owing: fmt_int(lang, t - a),
                    pct: format!("{} %", share(lang, *a, *t)),
                    late: overdue_now && a < t,
                }
            })
            .collect();
        lines.sort_by(|x, y| x.name.cmp(&y.name));
        if q.format == "csv" || q.format == "xlsx" {
            let table = cakap_services::exports::Table {
                headers: vec![
                    ui.t("field.code"),
                    ui.t("field.unit"),
                    ui.t("campaign.targeted"),
                    ui.t("campaign.acknowledged"),
                    ui.t("campaign.owing"),
                    ui.t("campaign.rate"),
                ],
                rows: groups
                    .iter()
                    .map(|(path, t, a, _)| {
                        let u = tree.iter().find(|u| &u.path == path);
                        vec![
                            u.map(|u| u.code.clone()).unwrap_or_default(),
                            u.map(|u| u.name.clone()).unwrap_or_default(),
                            t.to_string(),
                            a.to_string(),
                            (t - a).to_string(),
                            format!("{:.1}", pct(*a, *t)),
                        ]
                    })
                    .collect(),
            };
            let format = if q.format == "csv" {
                cakap_services::exports::Format::Csv
            } else {
                cakap_services::exports::Format::Xlsx
            };
            return crate::pages::download(&table, format, &format!("kepatuhan-kampanye-{id}"));
        }
        // The chart tells who is behind: lowest rate first. The table beside it is by name.
        let mut ranked: Vec<&(String, i64, i64, bool)> = groups.iter().collect();
        ranked.sort_by_key(|(_, t, a, _)| (a * 1000).checked_div(*t).unwrap_or(0));
        chart = (lines.len() >= 2).then(|| Chart {
            title: ui.t("campaign.chart"),
            label_header: ui.t("field.unit"),
            value_header: ui.t("campaign.rate"),
            bars: ranked
                .iter()
                .map(|(path, t, a, _)| Bar {
                    label: tree
                        .iter()
                        .find(|u| &u.path == path)
                        .map(|u| u.name.clone())
                        .unwrap_or_default(),
                    value: format!("{} %", share(lang, *a, *t)),
                    pct: (pct(*a, *t) * 10.0).round() / 10.0,
                    other: false,
                })
                .collect(),
        });
        units = lines;
        let people = campaigns::people(&s.db, actor, id, &scope, OWING_SHOWN + 1).await?;
        owing_more = people.len() as i64 > OWING_SHOWN;
        owing = people
            .into_iter()
            .take(OWING_SHOWN as usize)
            .map(|p| (p.nip, p.name, p.unit_name))
            .collect();
    }
    let unit_name = if unit.is_empty() {
        None
    } else {
        cakap_services::units::tree(&s.db, actor.tenant_id)
            .await?
            .iter()
            .find(|u| u.code == unit)
            .map(|u| u.name.clone())
    };
    let past_due = due_on.as_str() < today().as_str();
    let notice = q
        .reminded
        .trim()
        .parse::<i64>()
        .ok()
        .map(|n| i18n::t_args(lang, "campaign.reminded", &[("n", fmt_int(lang, n))]));
    Ok(render(&CampaignPage {
        id,
        label,
        judul,
        regulation,
        due_on,
        version,
        course,
        mine,
        leader: compliance.is_some(),
        stats,
        chart,
        units,
        owing,
        owing_more,
        can_remind: matches!(actor.role, Role::Admin | Role::Pimpinan) && compliance.is_some(),
        unit,
        unit_name,
        past_due,
        up,
        notice,
        error,
        ui,
    }))
}

/// `POST /kampanye/{id}/konfirmasi`: the targeted person acknowledges.
pub async fn acknowledge(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    ConnectInfo(addr): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> PageResult {
    let address = crate::client_address(&headers, addr, s.config.trust_proxy);
    match campaigns::acknowledge(&s.db, &actor, id, &address)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to(&format!("/kampanye/{id}")).into_response()),
        Err(r) => {
            let mut res = campaign_view(
                &s,
                &actor,
                &ctx,
                id,
                &CampaignQuery::default(),
                Some(r.message),
            )
            .await?;
            *res.status_mut() = r.status;
            Ok(res)
        }
    }
}

/// `POST /kampanye/{id}/ingatkan`: a leader reminds their people who still owe.
pub async fn remind(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    let n = campaigns::remind(&s.db, &actor, id).await?;
    Ok(Redirect::to(&format!("/kampanye/{id}?reminded={n}")).into_response())
}
