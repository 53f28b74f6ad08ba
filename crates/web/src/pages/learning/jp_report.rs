//! Learning pages: JP report.

use askama::Template;
use axum::extract::{Query, State};
use cakap_services::exports::{Format, Table};
use cakap_services::learning::jp;

use crate::AppState;
use crate::pages::home::{Bar, Chart};
use crate::pages::{PageResult, Ui, UnitOption, href, render, unit_options};
use cakap_services::{ServiceError, performance, units};
use serde::Deserialize;

use crate::extract::PageActor;
use crate::i18n::fmt_int;

use super::*;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct JpQuery {
    year: String,
    unit: String,
    format: String,
}

#[derive(Template)]
#[template(path = "learn_jp.html")]
pub(super) struct JpPage {
    ui: Ui,
    share: String,
    met: String,
    total: String,
    behind_text: String,
    chart: Option<Chart>,
    units: Vec<UnitOption>,
    unit: String,
    year: i64,
    behind: usize,
    shown: Vec<cakap_services::learning::jp::Behind>,
    download_xlsx: String,
    download_csv: String,
}

pub async fn jp_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<JpQuery>,
) -> PageResult {
    let year = q
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| performance::current_year());
    let unit = (!q.unit.trim().is_empty()).then(|| q.unit.trim().to_string());
    let r = jp::summary(&s.db, &actor, unit.as_deref(), year).await?;
    let lang = ctx.lang;
    if !q.format.is_empty() {
        let Some(format) = Format::parse(&q.format) else {
            return Err(ServiceError::NotFound.into());
        };
        let t = Table {
            headers: vec!["NIP", "Nama", "Unit", "JP", "Kurang JP"],
            rows: r
                .not_met
                .iter()
                .map(|b| {
                    vec![
                        b.nip.clone(),
                        b.name.clone(),
                        b.unit.clone(),
                        b.jp.to_string(),
                        b.missing.to_string(),
                    ]
                })
                .collect(),
        };
        return crate::pages::download(&t, format, &format!("cakap-belum-20jp-{year}"));
    }
    let chart = (r.units.len() >= 2).then(|| Chart {
        title: crate::i18n::t(lang, "learn.jp_chart"),
        label_header: crate::i18n::t(lang, "field.unit"),
        value_header: crate::i18n::t(lang, "learn.share_met"),
        bars: r
            .units
            .iter()
            .map(|u| Bar {
                label: u.name.clone(),
                value: format!("{}%", pct1(lang, u.share)),
                pct: u.share,
                other: false,
            })
            .collect(),
    });
    let all = units::list(&s.db, &actor).await?.items;
    let top = all.iter().map(|u| u.depth).min().unwrap_or(0);
    let near: Vec<_> = all
        .into_iter()
        .filter(|u| u.depth <= top + 1 || Some(&u.code) == unit.as_ref())
        .collect();
    let link = |format: &str| {
        href(
            "/learn/jp",
            &[
                ("year", year.to_string()),
                ("unit", q.unit.clone()),
                ("format", format.to_string()),
            ],
        )
    };
    Ok(render(&JpPage {
        ui: Ui::new(&ctx, "/learn/jp"),
        share: pct1(lang, r.share),
        met: fmt_int(lang, r.met),
        total: fmt_int(lang, r.employees),
        behind_text: fmt_int(lang, r.not_met.len() as i64),
        chart,
        units: unit_options(&near),
        unit: q.unit.clone(),
        year,
        behind: r.not_met.len(),
        shown: r.not_met.iter().take(200).cloned().collect(),
        download_xlsx: link("xlsx"),
        download_csv: link("csv"),
    }))
}
