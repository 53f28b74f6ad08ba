//! Recognition (`/penghargaan`): the Satyalancana Karya Satya list and the ASN Berprestasi
//! nominations, their downloads, the draft letter and the rule form
//! (docs/domain.md#satyalancana).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use cakap_domain::recognition::{Criterion, NominationRule};
use cakap_domain::{Predikat, Role};
use cakap_services::exports::Format;
use cakap_services::performance::current_year;
use cakap_services::recognition;
use serde::Deserialize;

use super::points::years;
use super::{OrRefusal, PageResult, Refusal, Ui, render_status};
use crate::AppState;
use crate::ctx::Ctx;
use crate::extract::PageActor;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecognitionQuery {
    year: Option<i64>,
    unit: Option<String>,
    /// `satyalancana` (default) or `nominasi`.
    tab: String,
    /// `xlsx` or `csv`: the tab's list.
    format: String,
    saved: Option<String>,
    /// Satyalancana: `1` for everyone with ≥ 10 years.
    all: Option<String>,
}

/// The most rows a list shows (the download has all).
const SHOWN: usize = 200;

pub struct SatyaRow {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub tmt: String,
    pub years: i32,
    pub class: String,
    pub milestone: bool,
    pub eligible: bool,
    pub reasons: Vec<String>,
}

pub struct NomineeRow {
    pub nip: String,
    pub name: String,
    pub unit: String,
    pub predikat: String,
    pub nine_box: String,
    pub jp: i64,
    pub nominated: bool,
    /// (criterion label, met)
    pub criteria: Vec<(&'static str, bool)>,
}

#[derive(Template)]
#[template(path = "recognition.html")]
struct RecognitionPage {
    ui: Ui,
    year: i64,
    years: Vec<i64>,
    unit: String,
    tab: &'static str,
    /// Satyalancana: everyone with ≥ 10 years, not only this year's 10, 20 and 30.
    all: bool,
    /// Rows of the list before [`SHOWN`] cut it.
    total: usize,
    counted_on: String,
    eligible: usize,
    satya: Vec<SatyaRow>,
    nominated: usize,
    nominees: Vec<NomineeRow>,
    rule: NominationRule,
    /// Boxes 1–9 of the rule form, with whether each is chosen.
    box_choices: Vec<(u8, bool)>,
    rule_text: String,
    saved: bool,
    can_edit: bool,
    error: Option<String>,
}

/// A reason in the reader's language.
fn reason_text(ui: &Ui, r: &recognition::Reason) -> String {
    if r.detail.is_empty() {
        ui.t(r.code).to_string()
    } else {
        format!("{} {}", ui.t(r.code), r.detail)
    }
}

fn criterion_key(c: Criterion) -> &'static str {
    match c {
        Criterion::Predikat => "recognition.c_predikat",
        Criterion::Box => "recognition.c_box",
        Criterion::Jp => "recognition.c_jp",
        Criterion::NoSentence => "recognition.c_no_sentence",
    }
}

fn predikat_label(p: Option<&str>) -> String {
    p.and_then(|p| p.parse::<Predikat>().ok())
        .map_or_else(|| "—".into(), |p| p.label().to_string())
}

async fn recognition_page(
    s: &AppState,
    actor: &cakap_services::Actor,
    ctx: &Ctx,
    q: &RecognitionQuery,
    refused: Option<(Refusal, NominationRule)>,
) -> PageResult {
    let ui = Ui::new(ctx, "/penghargaan");
    let tab = if q.tab == "nominasi" {
        "nominasi"
    } else {
        "satyalancana"
    };
    // Nominations read final annual predikat: last year's until this year's are final.
    let year = q
        .year
        .unwrap_or_else(|| current_year() - i64::from(tab == "nominasi"));
    let unit = q.unit.as_deref();
    let all = q.all.as_deref() == Some("1");
    let lists = recognition::lists(&s.db, actor, year, unit).await?;
    let satya = &lists.satyalancana.only(all);
    let noms = &lists.nominations;
    if let Some(format) = Format::parse(&q.format).filter(|_| !q.format.trim().is_empty()) {
        return if tab == "nominasi" {
            crate::pages::download(
                &recognition::nominations_table(noms),
                format,
                &format!("cakap-asn-berprestasi-{year}"),
            )
        } else {
            crate::pages::download(
                &recognition::satya_table(satya, |r| reason_text(&ui, r)),
                format,
                &format!("cakap-satyalancana-{year}"),
            )
        };
    }
    let (refusal, typed) = refused.map_or((None, None), |(r, t)| (Some(r), Some(t)));
    let (status, _, error) = Refusal::split(refusal);
    let rule = typed.unwrap_or_else(|| noms.rule.clone());
    let rule_text = format!(
        "{} {} · {} {} · ≥ {} JP{}",
        ui.t("recognition.c_predikat"),
        predikat_label(Some(&noms.rule.min_predikat)),
        ui.t("recognition.c_box"),
        noms.rule
            .boxes
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        noms.rule.min_jp,
        if noms.rule.no_sentence {
            format!(" · {}", ui.t("recognition.c_no_sentence"))
        } else {
            String::new()
        }
    );
    Ok(render_status(
        status,
        &RecognitionPage {
            year,
            years: years(),
            unit: unit.unwrap_or_default().to_string(),
            tab,
            counted_on: satya.counted_on.clone(),
            eligible: satya.eligible,
            all,
            total: satya.items.len(),
            satya: satya
                .items
                .iter()
                .take(SHOWN)
                .map(|i| SatyaRow {
                    nip: i.nip.clone(),
                    name: i.name.clone(),
                    unit: i.unit.clone(),
                    tmt: i.tmt_cpns.clone(),
                    years: i.years,
                    class: i.class.clone(),
                    milestone: i.milestone,
                    eligible: i.eligible,
                    reasons: i.reasons.iter().map(|r| reason_text(&ui, r)).collect(),
                })
                .collect(),
            nominated: noms.nominated,
            nominees: noms
                .items
                .iter()
                .take(SHOWN)
                .map(|n| NomineeRow {
                    nip: n.nip.clone(),
                    name: n.name.clone(),
                    unit: n.unit.clone(),
                    predikat: predikat_label(n.predikat.as_deref()),
                    nine_box: n.nine_box.map_or_else(|| "—".into(), |b| b.to_string()),
                    jp: n.jp,
                    nominated: n.nominated,
                    criteria: n
                        .criteria
                        .iter()
                        .map(|(c, ok)| (criterion_key(*c), *ok))
                        .collect(),
                })
                .collect(),
            box_choices: (1..=9).map(|b| (b, rule.boxes.contains(&b))).collect(),
            rule,
            rule_text,
            saved: q.saved.is_some(),
            can_edit: actor.role == Role::Admin,
            error,
            ui,
        },
    ))
}

/// `GET /penghargaan`: the Satyalancana list and the nominations of a year.
pub async fn recognition_show(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Query(q): Query<RecognitionQuery>,
) -> PageResult {
    recognition_page(&s, &actor, &ctx, &q, None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct YearQuery {
    year: Option<i64>,
}

/// `GET /penghargaan/surat.pdf?year=` (admin): the draft nomination letter (last year's by
/// default, as the nominations tab: this year's annual predikat are not final yet).
pub async fn letter(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = q.year.unwrap_or_else(|| current_year() - 1);
    let bytes = recognition::letter(&s.db, &actor, year).await?;
    Ok(crate::api::file_response(
        &format!("usulan-asn-berprestasi-{year}.pdf"),
        "application/pdf",
        bytes,
    ))
}

/// `POST /penghargaan/aturan` (admin): the nomination rule.
pub async fn save_rule(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Form(f): Form<Vec<(String, String)>>,
) -> PageResult {
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let rule = NominationRule {
        min_predikat: get("min_predikat"),
        boxes: f
            .iter()
            .filter(|(n, _)| n == "box")
            .map(|(_, v)| v.trim().parse::<u8>().unwrap_or(0))
            .collect(),
        min_jp: get("min_jp").parse().unwrap_or(-1),
        no_sentence: get("no_sentence") == "1",
    };
    match recognition::set_rule(&s.db, &actor, &rule)
        .await
        .or_refusal()?
    {
        Ok(_) => Ok(Redirect::to("/penghargaan?tab=nominasi&saved=1").into_response()),
        Err(r) => {
            let q = RecognitionQuery {
                tab: "nominasi".into(),
                ..RecognitionQuery::default()
            };
            recognition_page(&s, &actor, &ctx, &q, Some((r, rule))).await
        }
    }
}
