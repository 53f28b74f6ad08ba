//! The home page: an overview of the people in the caller's scope, as charts with tables.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cakap_domain::Role;
use cakap_services::dashboard;

use super::{Ui, render, service_error};
use crate::AppState;
use crate::extract::PageActor;

pub struct Stats {
    pub total: i64,
    pub pns: i64,
    pub pppk: i64,
    pub women_pct: i64,
    pub units: usize,
}

pub struct Bar {
    pub label: String,
    pub short: String,
    pub value: i64,
    pub width: i64,
}

/// A horizontal bar chart drawn as SVG, with the same numbers as a table beside it.
pub struct Chart {
    pub title: &'static str,
    pub label_header: &'static str,
    pub value_header: &'static str,
    pub bars: Vec<Bar>,
}

impl Chart {
    pub fn new(
        title: &'static str,
        label_header: &'static str,
        value_header: &'static str,
        rows: &[(String, i64)],
    ) -> Chart {
        let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
        let bars = rows
            .iter()
            .map(|(label, value)| Bar {
                short: shorten(label, 18),
                label: label.clone(),
                value: *value,
                width: (value * 150 / max).max(1),
            })
            .collect();
        Chart {
            title,
            label_header,
            value_header,
            bars,
        }
    }

    pub fn height(&self) -> usize {
        self.bars.len() * 22 + 4
    }
}

fn shorten(s: &str, max: usize) -> String {
    let s = s.trim_start_matches("UPTD ").trim_start_matches("Dinas ");
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ui: Ui,
    scope_label: String,
    stats: Stats,
    charts: Vec<Chart>,
}

pub async fn show(State(s): State<AppState>, PageActor { actor, ctx }: PageActor) -> Response {
    let o = match dashboard::overview(&s.db, &actor).await {
        Ok(o) => o,
        Err(e) => return service_error(&ctx, e),
    };
    let ui = Ui::new(&ctx, "/");
    let scope_label = match actor.role {
        Role::Admin | Role::Auditor => ui.t("home.scope_all").to_string(),
        Role::Pimpinan => ui.t("home.scope_unit").to_string(),
        _ => ui.t("home.scope_self").to_string(),
    };
    let people = ui.t("home.employees");
    let charts = vec![
        Chart::new(ui.t("home.by_unit"), ui.t("field.unit"), people, &o.by_unit),
        Chart::new(
            ui.t("home.by_golongan"),
            ui.t("field.golongan"),
            people,
            &o.by_golongan,
        ),
        Chart::new(
            ui.t("home.by_kecamatan"),
            ui.t("field.kecamatan"),
            people,
            &o.by_kecamatan,
        ),
    ];
    let stats = Stats {
        total: o.total,
        pns: o.pns,
        pppk: o.pppk,
        women_pct: if o.total > 0 {
            (o.women * 100 + o.total / 2) / o.total
        } else {
            0
        },
        units: o.units,
    };
    render(&HomePage {
        ui,
        scope_label,
        stats,
        charts,
    })
}
