//! Equity (`/pemerataan`): how evenly JP, training spend and JPM reach the groups of civil
//! servants, with the Gini of each, a Lorenz curve, the worst gaps in words and the table as
//! XLSX/CSV (docs/domain.md#equity).

use askama::Template;
use axum::extract::{Query, State};
use cakap_domain::equity::GroupBy;
use cakap_services::equity::{self, Equity, Gap, Group};
use cakap_services::exports::{Format, Table};
use cakap_services::performance::current_year;
use serde::Deserialize;

use super::{PageResult, Ui, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int, fmt_places, fmt_rupiah, t_args};
use crate::pages::home::{Bar, Chart};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EquityQuery {
    year: Option<i64>,
    by: Option<String>,
    unit: Option<String>,
    /// `xlsx` or `csv`: the table as a download.
    format: String,
}

pub struct Row {
    pub label: String,
    pub people: String,
    pub jp_avg: String,
    pub share: String,
    pub share_class: &'static str,
    pub jpm: String,
    pub spend: String,
}

#[derive(Template)]
#[template(path = "equity.html")]
struct EquityPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    by: &'static str,
    bys: Vec<(&'static str, &'static str)>,
    unit: String,
    all: Row,
    gini: [(String, &'static str); 3],
    worst: Vec<String>,
    chart: Option<Chart>,
    rows: Vec<Row>,
    /// Lorenz curves as SVG polyline points (x right, y up in a 100×100 box).
    lorenz_jp: String,
    lorenz_spend: String,
    lorenz_table: Vec<(String, String, String)>,
}

/// A group's name in the reader's language: units and kecamatan keep their names, the other
/// groupings are words of the locale files.
pub fn group_label(lang: Lang, by: GroupBy, g_key: &str, label: &str) -> String {
    if g_key == "-" {
        return crate::i18n::t(lang, "equity.unknown").to_string();
    }
    match by {
        GroupBy::Gender => crate::i18n::t(lang, &format!("gender.{}", g_key.to_lowercase())).into(),
        GroupBy::PositionKind => crate::i18n::t(lang, &format!("kind.{g_key}")).into(),
        GroupBy::AgeBand => crate::i18n::t(lang, &format!("equity.age_{}", age_key(g_key))).into(),
        GroupBy::Golongan if g_key != "PPPK" => {
            t_args(lang, "equity.golongan", &[("g", g_key.to_string())])
        }
        _ => label.to_string(),
    }
}

fn age_key(band: &str) -> &'static str {
    match band {
        "<30" => "under30",
        "30-39" => "30s",
        "40-49" => "40s",
        _ => "50plus",
    }
}

/// "ASN PPPK di Kecamatan Babahrot: 9,0 % mencapai 20 JP, seluruh cakupan 19,0 %".
pub fn gap_sentence(lang: Lang, g: &Gap) -> String {
    let place = |p: &&equity::Part| matches!(p.by, GroupBy::Unit | GroupBy::Kecamatan);
    let who: Vec<String> = g
        .parts
        .iter()
        .filter(|p| !place(p))
        .map(|p| group_label(lang, p.by, &p.key, &p.label))
        .collect();
    let mut name = if who.is_empty() {
        crate::i18n::t(lang, "equity.everyone").to_string()
    } else {
        who.join(", ")
    };
    if let Some(p) = g.parts.iter().find(place) {
        name = t_args(
            lang,
            "equity.in_place",
            &[("who", name), ("place", p.label.clone())],
        );
    }
    t_args(
        lang,
        "equity.gap_sentence",
        &[
            ("group", name),
            ("share", fmt_places(lang, g.share_20jp, 1)),
            ("people", fmt_int(lang, g.people)),
            ("overall", fmt_places(lang, g.overall, 1)),
        ],
    )
}

fn row(lang: Lang, by: GroupBy, g: &Group, overall: f64) -> Row {
    Row {
        label: group_label(lang, by, &g.key, &g.label),
        people: fmt_int(lang, g.people),
        jp_avg: fmt_places(lang, g.jp_avg, 1),
        share: format!("{} %", fmt_places(lang, g.share_20jp, 1)),
        share_class: if g.share_20jp + 10.0 < overall {
            "bad"
        } else if g.share_20jp < overall {
            "warn"
        } else {
            ""
        },
        jpm: g
            .jpm_avg
            .map_or_else(|| "—".into(), |v| fmt_places(lang, v, 2)),
        spend: fmt_rupiah(lang, g.spend_per_asn),
    }
}

fn points(curve: &[(f64, f64)]) -> String {
    curve
        .iter()
        .map(|(x, y)| format!("{:.1},{:.1}", x * 100.0, 100.0 - y * 100.0))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The download: every group of the grouping with the regency's line and the Gini below.
fn table(r: &Equity, by: GroupBy) -> Table {
    let line = |label: String, g: &Group| {
        vec![
            label,
            g.people.to_string(),
            format!("{:.1}", g.jp_avg),
            format!("{:.1}", g.share_20jp),
            g.jpm_avg.map(|v| format!("{v:.2}")).unwrap_or_default(),
            g.spend_per_asn.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = r
        .groups(by)
        .iter()
        .map(|g| line(group_label(Lang::Id, by, &g.key, &g.label), g))
        .collect();
    rows.push(line("Seluruh cakupan".into(), &r.all));
    for (name, v) in [
        ("Gini JP", r.gini.jp),
        ("Gini belanja", r.gini.spend),
        ("Gini JPM", r.gini.jpm),
    ] {
        let mut line = vec![String::new(); 6];
        line[0] = name.into();
        line[1] = format!("{v:.4}");
        rows.push(line);
    }
    Table {
        headers: vec![
            "kelompok",
            "jumlah_asn",
            "rata_rata_jp",
            "persen_20_jp",
            "rata_rata_jpm",
            "belanja_per_asn",
        ],
        rows,
    }
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<EquityQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(current_year);
    let by = crate::api::equity::parse_by(q.by.as_deref())?;
    let r = equity::report(&s.db, &actor, q.unit.as_deref(), year).await?;
    if let Some(format) = Format::parse(&q.format).filter(|_| !q.format.trim().is_empty()) {
        return crate::pages::download(
            &table(&r, by),
            format,
            &format!("cakap-pemerataan-{year}-{}", by.as_str().replace('_', "-")),
        );
    }
    let ui = Ui::new(&ctx, "/pemerataan");
    let lang = ctx.lang;
    let overall = r.all.share_20jp;
    let groups = r.groups(by);
    let rows: Vec<Row> = groups.iter().map(|g| row(lang, by, g, overall)).collect();
    let chart = (groups.len() >= 2).then(|| Chart {
        title: ui.t("equity.chart_share"),
        label_header: ui.t("equity.group"),
        value_header: ui.t("equity.share_20jp"),
        bars: groups
            .iter()
            .zip(&rows)
            .map(|(g, row)| Bar {
                label: row.label.clone(),
                value: row.share.clone(),
                pct: g.share_20jp,
                other: g.key == "-",
            })
            .collect(),
    });
    let lorenz_table = r
        .lorenz_jp
        .iter()
        .zip(&r.lorenz_spend)
        .step_by(2)
        .map(|(j, s)| {
            (
                format!("{:.0} %", j.0 * 100.0),
                format!("{} %", fmt_places(lang, j.1 * 100.0, 1)),
                format!("{} %", fmt_places(lang, s.1 * 100.0, 1)),
            )
        })
        .collect();
    let this = current_year();
    Ok(render(&EquityPage {
        year,
        years: (this - 4..=this).rev().collect(),
        by: by.as_str(),
        bys: GroupBy::ALL
            .iter()
            .map(|b| (b.as_str(), ui.t(&format!("equity.by_{}", b.as_str()))))
            .collect(),
        unit: q.unit.unwrap_or_default(),
        all: row(lang, by, &r.all, overall),
        gini: [
            (fmt_places(lang, r.gini.jp, 4), ui.t("equity.gini_jp")),
            (fmt_places(lang, r.gini.spend, 4), ui.t("equity.gini_spend")),
            (fmt_places(lang, r.gini.jpm, 4), ui.t("equity.gini_jpm")),
        ],
        worst: r.worst.iter().map(|g| gap_sentence(lang, g)).collect(),
        chart,
        rows,
        lorenz_jp: points(&r.lorenz_jp),
        lorenz_spend: points(&r.lorenz_spend),
        lorenz_table,
        ui,
    }))
}
