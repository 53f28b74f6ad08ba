//! The IKM of the units: the regency's table with its chart, one unit's unsur, comments,
//! complaints and the side-by-side table, and the service users of a period.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use cakap_domain::Role;
use cakap_domain::skm::{self, Mutu};
use cakap_services::service_quality::compare;
use cakap_services::service_quality::complaints::{self};
use cakap_services::service_quality::{self as sq, IkmReport, PopulationInput};
use serde::Deserialize;

use super::complaints::{ComplaintRow, complaint_row};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;
use crate::i18n::{Lang, fmt_dec, fmt_int};
use crate::pages::home::{Bar, Chart};
use crate::pages::{OrRefusal, PageResult, Ui, render, render_status};
/// A unit's name short enough for a chart label on a phone (the table has the full name).
fn short_name(name: &str) -> String {
    for (long, short) in [
        ("UPTD Puskesmas ", "Pkm. "),
        ("Kantor Camat ", "Camat "),
        ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
        (
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            "DPMPTSP",
        ),
    ] {
        if let Some(rest) = name.strip_prefix(long) {
            return format!("{short}{rest}");
        }
    }
    name.to_string()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PeriodQuery {
    period: String,
    saved: Option<String>,
    /// `xlsx` or `csv`: the table as a download.
    format: String,
}

fn period_or_default(p: &str) -> String {
    let p = p.trim();
    if p.is_empty() {
        cakap_services::performance::current_year().to_string()
    } else {
        p.to_string()
    }
}

/// The periods offered: this year and the last two, each whole and by semester.
fn periods(current: &str) -> Vec<(String, bool)> {
    let year = cakap_services::performance::current_year();
    (0..3)
        .flat_map(|i| {
            let y = year - i;
            [format!("{y}"), format!("{y}-S1"), format!("{y}-S2")]
        })
        .map(|p| {
            let on = p == current;
            (p, on)
        })
        .collect()
}

pub struct IkmRow {
    pub code: String,
    pub name: String,
    pub respondents: String,
    pub ikm: String,
    pub mutu: &'static str,
    pub mutu_class: &'static str,
    pub kinerja: String,
    pub sample: String,
    pub enough: bool,
    pub known_users: bool,
}

fn mutu_class(m: Option<&str>) -> &'static str {
    match m {
        Some("A") => "good",
        Some("B") => "",
        Some("C") => "warn",
        Some("D") => "bad",
        _ => "",
    }
}

fn ikm_row(ui: &Ui, lang: Lang, r: &IkmReport) -> IkmRow {
    IkmRow {
        code: r.unit.clone(),
        name: r.unit_name.clone(),
        respondents: fmt_int(lang, r.respondents),
        ikm: r.ikm.map_or_else(|| "—".into(), |v| fmt_dec(lang, v)),
        mutu: r.mutu.unwrap_or("—"),
        mutu_class: mutu_class(r.mutu),
        kinerja: r
            .mutu
            .map(|m| ui.t(&format!("survey.kinerja_{m}")).to_string())
            .unwrap_or_default(),
        sample: r
            .sample_needed
            .map_or_else(|| "—".into(), |v| fmt_int(lang, v)),
        enough: r.enough,
        known_users: r.users.is_some(),
    }
}

#[derive(Template)]
#[template(path = "service_quality.html")]
struct OverviewPage {
    ui: Ui,
    period: String,
    periods: Vec<(String, bool)>,
    rows: Vec<IkmRow>,
    chart: Option<Chart>,
    answered: String,
}

/// `GET /layanan`: the IKM of every unit serving the public in the reader's scope.
pub async fn overview(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let period = period_or_default(&q.period);
    let table = sq::table(&s.db, &actor, &period).await?;
    if let Some(format) =
        cakap_services::exports::Format::parse(&q.format).filter(|_| !q.format.is_empty())
    {
        let t = cakap_services::exports::Table {
            headers: vec![
                "Kode Unit",
                "Unit",
                "Periode",
                "Responden",
                "IKM",
                "Mutu",
                "Kinerja",
                "Pengguna Layanan",
                "Sampel Minimal",
                "Sampel Cukup",
                "NRR U1",
                "NRR U2",
                "NRR U3",
                "NRR U4",
                "NRR U5",
                "NRR U6",
                "NRR U7",
                "NRR U8",
                "NRR U9",
            ],
            rows: table
                .iter()
                .map(|r| {
                    let mut row = vec![
                        r.unit.clone(),
                        r.unit_name.clone(),
                        r.period.clone(),
                        r.respondents.to_string(),
                        r.ikm.map(|v| format!("{v:.2}")).unwrap_or_default(),
                        r.mutu.unwrap_or_default().to_string(),
                        r.kinerja.unwrap_or_default().to_string(),
                        r.users.map(|v| v.to_string()).unwrap_or_default(),
                        r.sample_needed.map(|v| v.to_string()).unwrap_or_default(),
                        if r.enough { "ya" } else { "tidak" }.to_string(),
                    ];
                    row.extend(r.nrr.iter().map(|v| {
                        if r.respondents > 0 {
                            format!("{v:.2}")
                        } else {
                            String::new()
                        }
                    }));
                    row
                })
                .collect(),
        };
        return crate::pages::download(&t, format, &format!("cakap-ikm-{period}"));
    }
    let ui = Ui::new(&ctx, "/layanan");
    let lang = ctx.lang;
    let bars: Vec<Bar> = table
        .iter()
        .filter_map(|r| {
            Some(Bar {
                label: short_name(&r.unit_name),
                value: fmt_dec(lang, r.ikm?),
                pct: r.ikm?,
                other: false,
            })
        })
        .collect();
    let total: i64 = table.iter().map(|r| r.respondents).sum();
    let chart = (bars.len() >= 2).then(|| Chart {
        title: ui.t("survey.chart_units"),
        label_header: ui.t("survey.unit"),
        value_header: ui.t("survey.ikm"),
        bars,
    });
    Ok(render(&OverviewPage {
        rows: table.iter().map(|r| ikm_row(&ui, lang, r)).collect(),
        periods: periods(&period),
        answered: fmt_int(lang, total),
        chart,
        period,
        ui,
    }))
}

pub struct UnsurRow {
    pub n: usize,
    pub name: &'static str,
    pub nrr: String,
    pub mutu: &'static str,
    pub mutu_class: &'static str,
    pub staff: bool,
}

#[derive(Template)]
#[template(path = "service_unit.html")]
struct UnitPage {
    ui: Ui,
    period: String,
    periods: Vec<(String, bool)>,
    r: IkmRow,
    users: String,
    unsur: Vec<UnsurRow>,
    chart: Option<Chart>,
    comments: Vec<(String, String)>,
    complaints: Vec<ComplaintRow>,
    /// Per year: period, IKM, mutu, complaints (late), JPM, JP average, share ≥ 20 JP.
    series: Vec<[String; 7]>,
    /// IKM per year, as bars (the table below has the same numbers).
    trend: Option<Chart>,
    /// IKM against JPM over the units, this unit marked.
    scatter: Option<Scatter>,
    /// The correlation sentence (or "data belum cukup").
    correlation: String,
    /// The staff's public-service competencies: name, required and actual averages, people
    /// not yet assessed.
    service_competencies: Vec<(String, String, String, i64)>,
    can_edit: bool,
    saved: bool,
    survey_url: String,
    error: Option<String>,
}

/// `GET /layanan/{unit}`: one unit's unsur, comments and complaints.
pub async fn unit(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    unit_page(&s, &actor, &ctx, &code, &q.period, q.saved.is_some(), None).await
}

async fn unit_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    code: &str,
    period: &str,
    saved: bool,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let period = period_or_default(period);
    let r = sq::ikm(&s.db, actor, code, &period).await?;
    let comments = sq::comments(&s.db, actor, code, &period).await?;
    let list = complaints::list(&s.db, actor, Some(code), None, Some(50))
        .await?
        .0
        .items;
    let cmp = compare::unit(&s.db, actor, code).await?;
    let ui = Ui::new(ctx, &format!("/layanan/{}", r.unit));
    let lang = ctx.lang;
    let unsur: Vec<UnsurRow> = r
        .nrr
        .iter()
        .filter(|_| r.respondents > 0)
        .enumerate()
        .map(|(i, nrr)| {
            let m = Mutu::of_nrr(*nrr);
            UnsurRow {
                n: i + 1,
                name: ui.t(&format!("survey.u{}", i + 1)),
                nrr: fmt_dec(lang, *nrr),
                mutu: m.as_str(),
                mutu_class: mutu_class(Some(m.as_str())),
                staff: skm::STAFF_UNSUR.contains(&i),
            }
        })
        .collect();
    let chart = (!unsur.is_empty()).then(|| Chart {
        title: ui.t("survey.chart_unsur"),
        label_header: ui.t("survey.unsur"),
        value_header: ui.t("survey.nrr"),
        bars: unsur
            .iter()
            .zip(&r.nrr)
            .map(|(u, nrr)| Bar {
                label: format!("{}. {}", u.n, ui.t(&format!("survey.short{}", u.n))),
                value: u.nrr.clone(),
                pct: (nrr / 4.0 * 1000.0).round() / 10.0,
                other: false,
            })
            .collect(),
    });
    let (status, error) = match error {
        Some((st, m)) => (st, Some(m)),
        None => (StatusCode::OK, None),
    };
    let dash = || "—".to_string();
    let series = cmp
        .periods
        .iter()
        .map(|p| {
            [
                p.period.clone(),
                p.ikm.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.mutu.unwrap_or("—").to_string(),
                if p.late > 0 {
                    format!(
                        "{} ({} {})",
                        p.complaints,
                        p.late,
                        ui.t("complaint.late_short")
                    )
                } else {
                    p.complaints.to_string()
                },
                p.jpm_avg.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.jp_avg.map_or_else(dash, |v| fmt_dec(lang, v)),
                p.share_20jp.map_or_else(dash, |v| {
                    format!("{} %", crate::i18n::fmt_places(lang, v, 1))
                }),
            ]
        })
        .collect();
    let trend_bars: Vec<Bar> = cmp
        .periods
        .iter()
        .filter_map(|p| {
            Some(Bar {
                label: p.period.clone(),
                value: fmt_dec(lang, p.ikm?),
                pct: p.ikm?,
                other: false,
            })
        })
        .collect();
    let trend = (trend_bars.len() >= 2).then(|| Chart {
        title: ui.t("survey.chart_trend"),
        label_header: ui.t("survey.period"),
        value_header: ui.t("survey.ikm"),
        bars: trend_bars,
    });
    let scatter = Scatter::new(lang, &cmp.correlation.points, &r.unit_name);
    let c = &cmp.correlation;
    let correlation = match c.ikm_jpm {
        Some(r) if c.enough => crate::i18n::t_args(
            lang,
            "survey.correlation",
            &[("r", fmt_dec(lang, r)), ("n", c.n.to_string())],
        ),
        _ => crate::i18n::t_args(
            lang,
            "survey.correlation_short",
            &[("n", c.n.to_string()), ("min", skm::MIN_PAIRS.to_string())],
        ),
    };
    let service_competencies = cmp
        .service_competencies
        .iter()
        .map(|g| {
            (
                g.name.clone(),
                fmt_dec(lang, g.avg_required),
                fmt_dec(lang, g.avg_actual),
                g.not_assessed,
            )
        })
        .collect();
    let page = UnitPage {
        service_competencies,
        scatter,
        trend,
        series,
        correlation,
        users: r.users.map_or_else(String::new, |u| u.to_string()),
        r: ikm_row(&ui, lang, &r),
        periods: periods(&period),
        survey_url: format!("{}/survei/{}", crate::api::learning::base_url(s), r.unit),
        complaints: list
            .into_iter()
            .take(50)
            .map(|c| complaint_row(&ui, lang, c))
            .collect(),
        can_edit: matches!(actor.role, Role::Admin | Role::Pimpinan),
        period,
        unsur,
        chart,
        comments,
        saved,
        error,
        ui,
    };
    Ok(render_status(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PopulationForm {
    period: String,
    users: String,
}

/// `POST /layanan/{unit}/population`: service users of the period.
pub async fn set_population(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(code): Path<String>,
    Form(f): Form<PopulationForm>,
) -> PageResult {
    let input = PopulationInput {
        unit: code.clone(),
        period: f.period.clone(),
        users: f.users.trim().replace('.', "").parse().unwrap_or(-1),
    };
    match sq::set_population(&s.db, &actor, &input)
        .await
        .or_refusal()?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/layanan/{code}?period={}&saved=1",
            crate::extract::urlencode(&f.period)
        ))
        .into_response()),
        Err(r) => {
            unit_page(
                &s,
                &actor,
                &ctx,
                &code,
                &f.period,
                false,
                Some((r.status, r.message)),
            )
            .await
        }
    }
}

/// `GET /layanan/{unit}/laporan.pdf?period=`: the unit's SKM report.
pub async fn report(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
    Query(q): Query<PeriodQuery>,
) -> PageResult {
    let period = if q.period.trim().is_empty() {
        cakap_services::performance::current_year().to_string()
    } else {
        q.period.trim().to_string()
    };
    let pdf = sq::report(&s.db, &actor, &code, &period).await?;
    Ok(crate::api::file_response(
        &format!("laporan-skm-{code}-{period}.pdf"),
        "application/pdf",
        pdf,
    ))
}

/// `GET /layanan/{unit}/poster.pdf`: the counter poster with the survey's QR code.
pub async fn poster(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(code): Path<String>,
) -> PageResult {
    let base = crate::api::learning::base_url(&s);
    let pdf = sq::poster(&s.db, &actor, &code, &base).await?;
    Ok(crate::api::file_response(
        &format!("poster-survei-{code}.pdf"),
        "application/pdf",
        pdf,
    ))
}

/// A scatter of units (IKM across, JPM up) as SVG coordinates, with the table of the same
/// numbers; drawn only with at least two units.
pub struct Scatter {
    /// (x, y, label, this unit)
    pub points: Vec<(f64, f64, String, bool)>,
    pub x_ticks: Vec<(f64, String)>,
    pub y_ticks: Vec<(f64, String)>,
    pub rows: Vec<(String, String, String)>,
}

impl Scatter {
    fn new(lang: Lang, points: &[(String, f64, f64)], this: &str) -> Option<Scatter> {
        if points.len() < 2 {
            return None;
        }
        // IKM runs 25–100 and JPM 0–100; the axes span the data, padded, on those scales.
        let span = |vals: Vec<f64>, lo: f64, hi: f64| {
            let min = vals.iter().copied().fold(f64::MAX, f64::min);
            let max = vals.iter().copied().fold(f64::MIN, f64::max);
            let a = ((min - 5.0) / 5.0).floor().max(lo / 5.0) * 5.0;
            let b = ((max + 5.0) / 5.0).ceil().min(hi / 5.0) * 5.0;
            (a, if b > a { b } else { a + 5.0 })
        };
        let (x0, x1) = span(points.iter().map(|p| p.1).collect(), 25.0, 100.0);
        let (y0, y1) = span(points.iter().map(|p| p.2).collect(), 0.0, 100.0);
        let x = |v: f64| (40.0 + (v - x0) / (x1 - x0) * 270.0).round();
        let y = |v: f64| (190.0 - (v - y0) / (y1 - y0) * 180.0).round();
        let ticks = |a: f64, b: f64| -> Vec<f64> {
            (0..=4).map(|i| a + (b - a) * f64::from(i) / 4.0).collect()
        };
        Some(Scatter {
            points: points
                .iter()
                .map(|(name, ikm, jpm)| {
                    (
                        x(*ikm),
                        y(*jpm),
                        format!("{name}: {ikm:.2} / {jpm:.2}"),
                        name == this,
                    )
                })
                .collect(),
            x_ticks: ticks(x0, x1)
                .into_iter()
                .map(|v| (x(v), format!("{v:.0}")))
                .collect(),
            y_ticks: ticks(y0, y1)
                .into_iter()
                .map(|v| (y(v) + 3.0, format!("{v:.0}")))
                .collect(),
            rows: points
                .iter()
                .map(|(name, ikm, jpm)| (name.clone(), fmt_dec(lang, *ikm), fmt_dec(lang, *jpm)))
                .collect(),
        })
    }
}
