//! The national view (`/nasional`, docs/national.md): each province's — or one province's
//! governments' — ASN, mean JPM, share reaching 20 JP and IKM, from the figures a job
//! pre-aggregates; a chart of JPM beside the table, and the table as XLSX/CSV. Only the
//! national super-tenant's users see it.

use askama::Template;
use axum::extract::{Query, State};
use cakap_services::exports::{Format, Table};
use cakap_services::national::{self, Line, National};
use serde::Deserialize;

use super::{PageResult, Ui, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_int, fmt_places};
use crate::pages::home::{Bar, Chart};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NationalQuery {
    year: Option<i64>,
    /// A province's code: its governments.
    provinsi: String,
    /// `xlsx` or `csv`: the table as a download.
    format: String,
}

pub struct Row {
    /// The province's drill-down link (`None` for a government).
    pub href: Option<String>,
    pub code: String,
    pub name: String,
    pub governments: String,
    pub people: String,
    pub jpm: String,
    pub share: String,
    pub ikm: String,
}

#[derive(Template)]
#[template(path = "national.html")]
struct NationalPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    provinsi: String,
    heading: String,
    total: Row,
    rows: Vec<Row>,
    chart: Option<Chart>,
    computed_at: String,
}

fn row(lang: Lang, l: &Line, province_list: bool, year: i64) -> Row {
    let dash = || "—".to_string();
    Row {
        href: province_list.then(|| format!("/nasional?year={year}&provinsi={}", l.code)),
        code: l.code.clone(),
        name: l.name.clone(),
        governments: fmt_int(lang, l.governments as i64),
        people: fmt_int(lang, l.people),
        jpm: l.jpm.map_or_else(dash, |v| fmt_places(lang, v, 2)),
        share: format!("{} %", fmt_places(lang, l.share_20jp, 1)),
        ikm: l.ikm.map_or_else(dash, |v| fmt_places(lang, v, 2)),
    }
}

/// The download: every line and the total.
fn table(n: &National) -> Table {
    let line = |l: &Line| {
        vec![
            l.code.clone(),
            l.name.clone(),
            l.governments.to_string(),
            l.people.to_string(),
            l.jpm.map(|v| format!("{v:.2}")).unwrap_or_default(),
            format!("{:.1}", l.share_20jp),
            l.ikm.map(|v| format!("{v:.2}")).unwrap_or_default(),
        ]
    };
    let mut rows: Vec<Vec<String>> = n.lines.iter().map(line).collect();
    rows.push(line(&n.total));
    Table {
        headers: vec![
            "kode",
            "nama",
            "pemerintah_daerah",
            "jumlah_asn",
            "rata_rata_jpm",
            "persen_20_jp",
            "ikm",
        ],
        rows,
    }
}

pub async fn show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<NationalQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(national::this_year);
    let n = national::view(&s.db, &actor, year, Some(q.provinsi.as_str())).await?;
    if let Some(format) = Format::parse(&q.format).filter(|_| !q.format.trim().is_empty()) {
        let scope = n.province.as_ref().map_or("indonesia", |p| p.code);
        return crate::pages::download(
            &table(&n),
            format,
            &format!("cakap-nasional-{year}-{scope}"),
        );
    }
    let ui = Ui::new(&ctx, "/nasional");
    let lang = ctx.lang;
    let province_list = n.province.is_none();
    let rows: Vec<Row> = n
        .lines
        .iter()
        .map(|l| row(lang, l, province_list, year))
        .collect();
    let chart = (n.lines.len() >= 2).then(|| Chart {
        title: ui.t("national.chart_jpm"),
        label_header: ui.t(if province_list {
            "national.province"
        } else {
            "national.government"
        }),
        value_header: ui.t("national.jpm"),
        bars: n
            .lines
            .iter()
            .zip(&rows)
            .map(|(l, r)| Bar {
                label: r.name.clone(),
                value: r.jpm.clone(),
                pct: l.jpm.unwrap_or(0.0),
                other: l.jpm.is_none(),
            })
            .collect(),
    });
    let heading = n.province.as_ref().map_or_else(
        || ui.t("national.all_provinces").to_string(),
        |p| p.name.to_string(),
    );
    let computed_at = n.computed_at.map_or_else(
        || crate::i18n::t_args(lang, "national.not_computed", &[("year", year.to_string())]),
        |ms| {
            crate::i18n::t_args(
                lang,
                "national.computed_at",
                &[(
                    "when",
                    cakap_services::wib::of(ms)
                        .format("%d-%m-%Y %H:%M WIB")
                        .to_string(),
                )],
            )
        },
    );
    let this = national::this_year();
    Ok(render(&NationalPage {
        year,
        // The last five years, and the one asked if older.
        years: (this - 4..=this)
            .rev()
            .chain((year < this - 4).then_some(year))
            .collect(),
        provinsi: n.province.as_ref().map_or("", |p| p.code).to_string(),
        heading,
        total: row(lang, &n.total, false, year),
        rows,
        chart,
        computed_at,
        ui,
    }))
}
