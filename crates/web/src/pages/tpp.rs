//! TPP (`/tpp`): a month's TPP per ASN with every cut explained, per unit totals, the payroll
//! download, and (BKPSDM) the rules form — saving makes a new version (docs/domain.md#tpp).

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::tpp::{LATE_BANDS, Rules};
use cakap_services::exports::Format;
use cakap_services::tpp;
use serde::Deserialize;

use super::{OrRefusal, PageResult, Refusal, Ui, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{fmt_int, fmt_places, fmt_rupiah};
use crate::pages::home::{Bar, Chart};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TppQuery {
    month: String,
    unit: Option<String>,
    saved: Option<String>,
    /// `xlsx` or `csv`: the payroll.
    format: String,
}

pub struct Row {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub kelas: String,
    pub basic: String,
    pub kinerja: String,
    pub cut: String,
    pub cut_class: &'static str,
    pub amount: String,
    pub reasons: Vec<String>,
}

/// One input of the rules form: name, label, value.
pub struct Field {
    pub name: String,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "tpp.html")]
struct TppPage {
    ui: Ui,
    month: String,
    months: Vec<String>,
    unit: String,
    /// None when the regency has no rules yet.
    summary: Option<Summary>,
    saved: bool,
    can_edit: bool,
    rules_version: Option<i64>,
    basic: Vec<Field>,
    shares: Vec<Field>,
    cuts: Vec<Field>,
    error: Option<String>,
    error_field: String,
}

pub struct Summary {
    pub version: i64,
    pub fixed: bool,
    pub people: String,
    pub with_attendance: String,
    pub total: String,
    pub chart: Option<Chart>,
    /// (name, people, basic, paid, code)
    pub units: Vec<(String, String, String, String, String)>,
    pub rows: Vec<Row>,
    pub shown: usize,
}

fn this_month() -> String {
    cakap_services::wib::today().format("%Y-%m").to_string()
}

/// The last twelve months, newest first.
fn months() -> Vec<String> {
    let mut d = cakap_services::wib::today()
        .with_day(1)
        .unwrap_or_else(cakap_services::wib::today);
    let mut out = Vec::new();
    for _ in 0..12 {
        out.push(d.format("%Y-%m").to_string());
        d = d.checked_sub_months(chrono::Months::new(1)).unwrap_or(d);
    }
    out
}

use chrono::Datelike;

/// The most people listed on the page (a unit's link narrows it; the download has everyone).
const SHOWN: usize = 50;

fn fields(ui: &Ui, r: &Rules) -> (Vec<Field>, Vec<Field>, Vec<Field>) {
    let basic = (1..=17u8)
        .map(|k| Field {
            name: format!("basic_{k}"),
            label: format!("{} {k}", ui.t("tpp.kelas")),
            value: r.basic.get(&k).map(|v| v.to_string()).unwrap_or_default(),
        })
        .collect();
    let pct = |x: f64| format!("{x}");
    let mut shares = vec![
        Field {
            name: "kinerja_share".into(),
            label: ui.t("tpp.kinerja_share").into(),
            value: pct(r.kinerja_share),
        },
        Field {
            name: "disiplin_share".into(),
            label: ui.t("tpp.disiplin_share").into(),
            value: pct(r.disiplin_share),
        },
    ];
    for p in cakap_domain::Predikat::ALL {
        shares.push(Field {
            name: format!("kp_{}", p.as_str()),
            label: format!("{} {}", ui.t("tpp.kinerja_for"), p.label()),
            value: r
                .kinerja_pct
                .get(p.as_str())
                .map(|v| pct(*v))
                .unwrap_or_default(),
        });
    }
    shares.push(Field {
        name: "unrated_pct".into(),
        label: ui.t("tpp.unrated").into(),
        value: pct(r.unrated_pct),
    });
    let mut cuts: Vec<Field> = LATE_BANDS
        .iter()
        .enumerate()
        .map(|(i, b)| Field {
            name: format!("late_{}", i + 1),
            label: format!("{} {b}", ui.t("tpp.late")),
            value: pct(r.late_cut[i]),
        })
        .collect();
    cuts.push(Field {
        name: "absent_cut".into(),
        label: ui.t("tpp.absent").into(),
        value: pct(r.absent_cut),
    });
    (basic, shares, cuts)
}

/// The rules as typed in the form (Indonesian decimal commas and thousands dots accepted);
/// what cannot be read becomes a value the rules' check refuses.
fn rules_of(f: &HashMap<String, String>) -> Rules {
    let get = |k: &str| f.get(k).map(|v| v.trim()).unwrap_or("");
    let pct = |k: &str| get(k).replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
    let basic = (1..=17u8)
        .filter_map(|k| {
            let v = get(&format!("basic_{k}")).replace(['.', ' '], "");
            (!v.is_empty()).then(|| (k, v.parse::<i64>().unwrap_or(-1)))
        })
        .collect();
    Rules {
        basic,
        kinerja_share: pct("kinerja_share"),
        disiplin_share: pct("disiplin_share"),
        kinerja_pct: cakap_domain::Predikat::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), pct(&format!("kp_{}", p.as_str()))))
            .collect(),
        unrated_pct: pct("unrated_pct"),
        late_cut: [pct("late_1"), pct("late_2"), pct("late_3"), pct("late_4")],
        absent_cut: pct("absent_cut"),
    }
}

async fn page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    q: &TppQuery,
    refused: Option<(Refusal, Rules)>,
) -> PageResult {
    let month = if q.month.trim().is_empty() {
        this_month()
    } else {
        q.month.trim().to_string()
    };
    let current = tpp::rules(&s.db, actor).await?;
    let summary = if current.version.is_some() {
        let m = tpp::month(&s.db, actor, &month, q.unit.as_deref()).await?;
        if let Some(format) = Format::parse(&q.format).filter(|_| !q.format.trim().is_empty()) {
            return crate::pages::download(
                &tpp::payroll(&m),
                format,
                &format!("cakap-tpp-{}", m.month),
            );
        }
        let lang = ctx.lang;
        let ui = Ui::new(ctx, "/tpp");
        let bars: Vec<(String, i64)> = m.units.iter().map(|u| (u.name.clone(), u.amount)).collect();
        Some(Summary {
            version: m.version,
            fixed: m.fixed,
            people: fmt_int(lang, m.items.len() as i64),
            with_attendance: fmt_int(lang, m.with_attendance),
            total: fmt_rupiah(lang, m.total),
            chart: (bars.len() >= 2 && bars.len() <= 40).then(|| Chart {
                title: ui.t("tpp.chart"),
                label_header: ui.t("field.unit"),
                value_header: ui.t("tpp.amount"),
                bars: {
                    let max = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64;
                    bars.iter()
                        .map(|(l, v)| Bar {
                            label: l.clone(),
                            value: fmt_rupiah(lang, *v),
                            pct: (*v as f64 * 1000.0 / max).round() / 10.0,
                            other: false,
                        })
                        .collect()
                },
            }),
            units: m
                .units
                .iter()
                .map(|u| {
                    (
                        u.name.clone(),
                        fmt_int(lang, u.people),
                        fmt_rupiah(lang, u.basic),
                        fmt_rupiah(lang, u.amount),
                        u.unit.clone(),
                    )
                })
                .collect(),
            shown: m.items.len().min(SHOWN),
            rows: m
                .items
                .iter()
                .take(SHOWN)
                .map(|i| Row {
                    nip: i.nip.clone(),
                    name: i.name.clone(),
                    unit: i.unit_name.clone(),
                    kelas: i.kelas.map_or_else(|| "—".into(), |k| k.to_string()),
                    basic: fmt_rupiah(lang, i.basic),
                    kinerja: format!("{} %", fmt_places(lang, i.kinerja_pct, 0)),
                    cut: format!("{} %", fmt_places(lang, i.disiplin_cut_pct, 2)),
                    cut_class: if i.disiplin_cut_pct >= 10.0 {
                        "bad"
                    } else if i.disiplin_cut_pct > 0.0 {
                        "warn"
                    } else {
                        ""
                    },
                    amount: fmt_rupiah(lang, i.amount),
                    reasons: i.reasons.clone(),
                })
                .collect(),
        })
    } else {
        None
    };
    let ui = Ui::new(ctx, "/tpp");
    let (status, error_field, error, shown_rules) = match refused {
        Some((r, rules)) => {
            let (status, field, message) = Refusal::split(Some(r));
            (status, field, message, rules)
        }
        None => (
            axum::http::StatusCode::OK,
            String::new(),
            None,
            current.rules.clone(),
        ),
    };
    let (basic, shares, cuts) = fields(&ui, &shown_rules);
    Ok(render_status(
        status,
        &TppPage {
            month,
            months: months(),
            unit: q.unit.clone().unwrap_or_default(),
            summary,
            saved: q.saved.is_some(),
            can_edit: actor.role == Role::Admin,
            rules_version: current.version,
            basic,
            shares,
            cuts,
            error,
            error_field,
            ui,
        },
    ))
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<TppQuery>,
) -> PageResult {
    page(&s, &actor, &ctx, &q, None).await
}

/// `POST /tpp/aturan` (admin): the rules form.
pub async fn save_rules(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<HashMap<String, String>>,
) -> PageResult {
    let rules = rules_of(&f);
    let month = f.get("month").cloned().unwrap_or_default();
    match tpp::set_rules(&s.db, &actor, &rules).await.or_refusal()? {
        Ok(_) => Ok(
            Redirect::to(&format!("/tpp?month={}&saved=1", urlencoding(&month))).into_response(),
        ),
        Err(r) => {
            let q = TppQuery {
                month,
                ..TppQuery::default()
            };
            page(&s, &actor, &ctx, &q, Some((r, rules))).await
        }
    }
}

/// Only a month's characters survive into the redirect.
fn urlencoding(month: &str) -> String {
    month
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '-')
        .take(7)
        .collect()
}
