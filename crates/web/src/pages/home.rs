//! The home page: for leaders and BKPSDM an overview of the people in their scope, as charts
//! with tables; for an individual civil servant, their own card.

use askama::Template;
use axum::extract::State;
use cakap_domain::Role;
use cakap_services::{dashboard, employees};

use super::{PageResult, Ui, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int};

pub struct Bar {
    pub label: String,
    pub value: String,
    pub pct: f64,
    pub other: bool,
}

/// Horizontal bars (HTML labels, SVG bars), with the same numbers as a table underneath.
pub struct Chart {
    pub title: &'static str,
    pub label_header: &'static str,
    pub value_header: &'static str,
    pub bars: Vec<Bar>,
}

impl Chart {
    /// `None` when there is nothing to compare (fewer than two categories with people).
    pub fn new(
        lang: Lang,
        title: &'static str,
        label_header: &'static str,
        value_header: &'static str,
        rows: &[(String, i64)],
    ) -> Option<Chart> {
        if rows.iter().filter(|r| r.1 > 0).count() < 2 {
            return None;
        }
        let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1) as f64;
        let bars = rows
            .iter()
            .map(|(label, value)| Bar {
                other: label.starts_with('…'),
                label: label.trim_start_matches('…').to_string(),
                value: fmt_int(lang, *value),
                pct: (*value as f64 * 100.0 / max * 10.0).round() / 10.0,
            })
            .collect();
        Some(Chart {
            title,
            label_header,
            value_header,
            bars,
        })
    }
}

pub struct Me {
    pub name: String,
    pub nip: String,
    pub nip_raw: String,
    pub position: String,
    pub unit: String,
    pub golongan: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ui: Ui,
    scope_label: String,
    stats: Vec<(String, &'static str)>,
    charts: Vec<Chart>,
    me: Option<Me>,
    /// Regulations waiting for the reader's acknowledgement.
    owing: Vec<cakap_services::regulations::campaigns::Mine>,
}

pub async fn show(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> PageResult {
    // The national super-tenant has no people of its own: its home is the national view.
    if actor.national {
        return Ok(axum::response::IntoResponse::into_response(
            axum::response::Redirect::to("/nasional"),
        ));
    }
    let ui = Ui::new(&ctx, "/");
    let owing: Vec<_> = cakap_services::regulations::campaigns::mine(&s.db, &actor)
        .await?
        .into_iter()
        .filter(|m| m.acknowledged_at.is_none())
        .collect();
    if matches!(actor.role, Role::Asn | Role::Instruktur) {
        let me = match &actor.nip {
            Some(nip) => employees::get(&s.db, &actor, nip).await.ok().map(|e| Me {
                nip: cakap_domain::Nip::parse(&e.nip, chrono::NaiveDate::MAX)
                    .map_or_else(|_| e.nip.clone(), |n| n.display()),
                nip_raw: e.nip,
                name: e.name,
                position: e.position_name.unwrap_or_else(|| "—".into()),
                unit: e.unit_name,
                golongan: e.golongan.unwrap_or_else(|| "—".into()),
            }),
            None => None,
        };
        if me.is_some() {
            return Ok(render(&HomePage {
                ui,
                scope_label: String::new(),
                stats: Vec::new(),
                charts: Vec::new(),
                me,
                owing,
            }));
        }
    }
    let o = dashboard::overview(&s.db, &actor).await?;
    let scope_label = match actor.role {
        Role::Admin | Role::Auditor => ui.t("home.scope_all").to_string(),
        Role::Pimpinan => ui.t("home.scope_unit").to_string(),
        _ => ui.t("home.scope_self").to_string(),
    };
    let lang = ctx.lang;
    let people = ui.t("home.employees");
    let mut by_unit = o.by_unit.clone();
    if let Some(last) = by_unit.last_mut()
        && last.0 == "…"
    {
        last.0 = format!(
            "…{}",
            crate::i18n::t_args(
                lang,
                "home.other_units",
                &[("n", o.other_units.to_string())]
            )
        );
    }
    let charts = [
        Chart::new(
            lang,
            ui.t("home.by_unit"),
            ui.t("field.unit"),
            people,
            &by_unit,
        ),
        Chart::new(
            lang,
            ui.t("home.by_golongan"),
            ui.t("field.golongan"),
            people,
            &o.by_golongan,
        ),
        Chart::new(
            lang,
            ui.t("home.by_kecamatan"),
            ui.t("field.kecamatan"),
            people,
            &o.by_kecamatan,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let women_pct = if o.total > 0 {
        (o.women * 100 + o.total / 2) / o.total
    } else {
        0
    };
    let stats = vec![
        (fmt_int(lang, o.total), ui.t("home.employees")),
        (fmt_int(lang, o.pns), "PNS"),
        (fmt_int(lang, o.pppk), "PPPK"),
        (format!("{women_pct}%"), ui.t("home.women")),
        (fmt_int(lang, o.units as i64), ui.t("home.units")),
    ];
    Ok(render(&HomePage {
        ui,
        scope_label,
        stats,
        charts,
        me: None,
        owing,
    }))
}
