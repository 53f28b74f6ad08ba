//! Plan pages: BKPSDM's training plans (the optimizer: budget in, plan, why, what-if, approve)
//! and each ASN's IDP (generate, edit, submit; the supervisor approves or returns).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use cakap_domain::Role;
use cakap_domain::learning::Jalur;
use cakap_services::ServiceError;
use cakap_services::plans::idp::{self, DecisionInput, Idp, ItemInput};
use cakap_services::plans::optimize::{
    self, Comparison, LeftOut, OptimizeInput, PlanListItem, TrainingPlan,
};
use serde::Deserialize;

use super::home::{Bar, Chart};
use super::learning::{Fields, field, pct1, rupiah, see_other};
use super::{PageResult, Ui, page_info, pager_on, render};
use crate::AppState;
use crate::extract::PageActor;
use crate::i18n::{fmt_int, fmt_places, t};

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

fn next_year() -> i64 {
    cakap_services::performance::current_year() + 1
}

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    ui: Ui,
    can_run: bool,
    year: i64,
    plans: Vec<(PlanListItem, String, String)>,
}

pub async fn plans_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
) -> PageResult {
    let list = optimize::list(&s.db, &actor, None).await?;
    let lang = ctx.lang;
    Ok(render(&PlansPage {
        ui: Ui::new(&ctx, "/plans"),
        can_run: actor.role == Role::Admin,
        year: next_year(),
        plans: list
            .into_iter()
            .map(|p| {
                let cost = rupiah(lang, p.total_cost);
                let gap = fmt_places(lang, p.weighted_gap_closed, 1);
                (p, cost, gap)
            })
            .collect(),
    }))
}

/// Rupiah typed as people write it: `1.500.000.000`, `Rp 1.500.000.000`, `1500000000`.
fn parse_rupiah(s: &str) -> Option<i64> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() || s.chars().any(|c| c == '-') {
        return None;
    }
    digits.parse().ok()
}

pub async fn run_plan(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    axum::Form(f): Fields,
) -> PageResult {
    let budget = parse_rupiah(&field(&f, "budget"));
    let Some(budget) = budget else {
        return Err(ServiceError::invalid("budget", "plan.budget_range").into());
    };
    // Unit caps, one per line: `KODE = 250.000.000`.
    let mut unit_caps = BTreeMap::new();
    for line in field(&f, "unit_caps")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        let Some((code, amount)) = line.split_once('=') else {
            return Err(ServiceError::invalid("unit_caps", "plan.caps_format").into());
        };
        let Some(amount) = parse_rupiah(amount) else {
            return Err(ServiceError::invalid("unit_caps", "plan.caps_format").into());
        };
        unit_caps.insert(code.trim().to_string(), amount);
    }
    let input = OptimizeInput {
        year: field(&f, "year").parse().unwrap_or(0),
        budget,
        policy: field(&f, "policy"),
        max_jp_per_asn: field(&f, "max_jp").parse().ok(),
        unit_caps,
        weights: BTreeMap::new(),
        time_limit: None,
    };
    let p = optimize::optimize(&s.db, &actor, &input).await?;
    Ok(see_other(&format!("/plans/{}", p.id)))
}

pub struct ReasonCount {
    pub label: &'static str,
    pub count: String,
}

#[derive(Template)]
#[template(path = "plan_view.html")]
struct PlanPage {
    ui: Ui,
    p: std::sync::Arc<TrainingPlan>,
    can_approve: bool,
    budget: String,
    cost: String,
    gap_closed: String,
    bound: String,
    optimality: String,
    greedy_gap: String,
    greedy_cost: String,
    reaching: String,
    people: String,
    seconds: String,
    policy_label: &'static str,
    compare: Option<(Comparison, String, String)>,
    gap_chart: Option<Chart>,
    jp_chart: Option<Chart>,
    what_if: Vec<(String, String, String, String, String)>,
    shown: Vec<(optimize::Assignment, String, String)>,
    shown_pager: Option<Paged>,
    reasons: Vec<ReasonCount>,
    left_shown: Vec<LeftOut>,
    left_pager: Option<Paged>,
    left_total: String,
    /// The column labels repeated on every row (`data-label`, for phones), looked up once.
    labels: RowLabels,
}

struct RowLabels {
    class: &'static str,
    cost: &'static str,
    why: &'static str,
    unit: &'static str,
}

fn reason_label(code: &str) -> &'static str {
    match code {
        "no_gap" => "plan.why_no_gap",
        "no_fit" => "plan.why_no_fit",
        "seats_full" => "plan.why_seats_full",
        "budget" => "plan.why_budget",
        "unit_cap" => "plan.why_unit_cap",
        "jp_cap" => "plan.why_jp_cap",
        _ => "plan.why_outranked",
    }
}

/// Rows per page of the plan's two long lists (assignments, and those left out).
const PLAN_ROWS: i64 = 50;

/// Where the plan page's two lists stand: `page` pages the assignments, `left` those left out.
/// Read leniently, as a link may have been typed: no number is the first page.
#[derive(Debug, Default, Deserialize)]
pub struct PlanQuery {
    #[serde(default)]
    pub page: String,
    #[serde(default)]
    pub left: String,
}

/// One page of a list of `total` rows: the page clamped to those that exist, and the rows'
/// offset.
fn page_of(asked: &str, total: usize) -> (i64, usize) {
    let last = (total as i64 + PLAN_ROWS - 1) / PLAN_ROWS;
    let page = asked.trim().parse().unwrap_or(1).clamp(1, last.max(1));
    (page, ((page - 1) * PLAN_ROWS) as usize)
}

/// A plan list's pager and "1–50 of 1,234".
struct Paged {
    info: String,
    prev: Option<String>,
    next: Option<String>,
}

pub async fn plan_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(id): Path<i64>,
    Query(q): Query<PlanQuery>,
) -> PageResult {
    // The plan is kept whole (thousands of assignments); only the rows shown get their
    // reasons written out in the reader's language, a page of each list at a time.
    let p = optimize::get(&s.db, &actor, id).await?;
    let compare = optimize::compare_with_previous(&s.db, &actor, p.id).await?;
    let lang = ctx.lang;
    let max_gap = p
        .what_if
        .iter()
        .map(|w| w.weighted_gap_closed)
        .fold(0.0, f64::max);
    let max_reach = p
        .what_if
        .iter()
        .map(|w| w.asn_reaching_20jp)
        .max()
        .unwrap_or(0);
    let label = |pct: i64, budget: i64| format!("{pct}% · {}", rupiah(lang, budget));
    let gap_chart = (p.what_if.len() >= 2 && max_gap > 0.0).then(|| Chart {
        title: t(lang, "plan.whatif_gap"),
        label_header: t(lang, "plan.budget"),
        value_header: t(lang, "plan.gap_closed"),
        bars: p
            .what_if
            .iter()
            .map(|w| Bar {
                label: label(w.percent, w.budget),
                value: fmt_places(lang, w.weighted_gap_closed, 1),
                pct: w.weighted_gap_closed / max_gap * 100.0,
                other: w.percent == 100,
            })
            .collect(),
    });
    let jp_chart = (p.what_if.len() >= 2 && max_reach > 0).then(|| Chart {
        title: t(lang, "plan.whatif_jp"),
        label_header: t(lang, "plan.budget"),
        value_header: t(lang, "plan.reaching"),
        bars: p
            .what_if
            .iter()
            .map(|w| Bar {
                label: label(w.percent, w.budget),
                value: fmt_int(lang, w.asn_reaching_20jp),
                pct: w.asn_reaching_20jp as f64 / max_reach as f64 * 100.0,
                other: w.percent == 100,
            })
            .collect(),
    });
    let what_if = p
        .what_if
        .iter()
        .map(|w| {
            (
                format!("{}%", w.percent),
                rupiah(lang, w.budget),
                fmt_places(lang, w.weighted_gap_closed, 1),
                fmt_int(lang, w.asn_reaching_20jp),
                rupiah(lang, w.total_cost),
            )
        })
        .collect();
    let mut counts: BTreeMap<&'static str, i64> = BTreeMap::new();
    for l in &p.left_out {
        *counts.entry(reason_label(&l.code)).or_insert(0) += 1;
    }
    let reasons = counts
        .into_iter()
        .map(|(label, n)| ReasonCount {
            label,
            count: fmt_int(lang, n),
        })
        .collect();
    // Those below 20 JP or with a gap: the list BKPSDM acts on.
    let acting = p.left_out.iter().filter(|l| l.code != "no_gap");
    let left_count = acting.clone().count();
    let (left_page, left_skip) = page_of(&q.left, left_count);
    let left: Vec<LeftOut> = acting
        .skip(left_skip)
        .take(PLAN_ROWS as usize)
        .map(|l| LeftOut {
            reason: crate::plan_reasons::text(lang, &l.detail),
            ..l.clone()
        })
        .collect();
    let (page, skip) = page_of(&q.page, p.assignments.len());
    let path = format!("/plans/{}", p.id);
    // A list that fits on one page has no pager, as elsewhere.
    let paged = |key, at: i64, other: (&'static str, i64), shown, total: usize| {
        if total as i64 <= PLAN_ROWS {
            return None;
        }
        let other_page = if other.1 > 1 {
            other.1.to_string()
        } else {
            String::new()
        };
        let kept = [(other.0, other_page)];
        let (prev, next) = pager_on(&path, &kept, key, at, PLAN_ROWS, total as i64);
        let anchor = |l: String| format!("{l}#{key}");
        Some(Paged {
            info: page_info(lang, at, PLAN_ROWS, shown, total as i64),
            prev: prev.map(anchor),
            next: next.map(anchor),
        })
    };
    let shown: Vec<_> = p
        .assignments
        .iter()
        .skip(skip)
        .take(PLAN_ROWS as usize)
        .map(|a| {
            (
                optimize::Assignment {
                    reason: crate::plan_reasons::text(lang, &a.reason_detail),
                    ..a.clone()
                },
                rupiah(lang, a.cost),
                fmt_places(lang, a.benefit, 1),
            )
        })
        .collect();
    let shown_pager = paged(
        "page",
        page,
        ("left", left_page),
        shown.len(),
        p.assignments.len(),
    );
    let left_pager = paged("left", left_page, ("page", page), left.len(), left_count);
    let compare = compare.map(|c| {
        let cost = rupiah(lang, c.total_cost);
        let gap = fmt_places(lang, c.weighted_gap_closed, 1);
        (c, cost, gap)
    });
    let page = PlanPage {
        ui: Ui::new(&ctx, "/plans"),
        can_approve: actor.role == Role::Admin && p.status == "draft",
        budget: rupiah(lang, p.budget),
        cost: rupiah(lang, p.total_cost),
        gap_closed: fmt_places(lang, p.weighted_gap_closed, 1),
        bound: fmt_places(lang, p.bound, 1),
        optimality: pct1(lang, p.optimality_gap * 100.0),
        greedy_gap: fmt_places(lang, p.greedy.weighted_gap_closed, 1),
        greedy_cost: rupiah(lang, p.greedy.total_cost),
        reaching: fmt_int(lang, p.asn_reaching_20jp),
        people: fmt_int(lang, p.people),
        seconds: fmt_places(lang, p.solve_ms as f64 / 1000.0, 1),
        policy_label: if p.policy == "hak_20jp" {
            "plan.policy_hak"
        } else {
            "plan.policy_gap"
        },
        compare,
        gap_chart,
        jp_chart,
        what_if,
        shown,
        shown_pager,
        reasons,
        left_total: fmt_int(lang, p.left_out.len() as i64),
        left_shown: left,
        left_pager,
        labels: RowLabels {
            class: t(lang, "plan.class"),
            cost: t(lang, "plan.cost"),
            why: t(lang, "plan.why"),
            unit: t(lang, "field.unit"),
        },
        p,
    };
    Ok(render(&page))
}

pub async fn approve_plan(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(id): Path<i64>,
) -> PageResult {
    optimize::approve(&s.db, &actor, id).await?;
    Ok(see_other(&format!("/plans/{id}")))
}

// ---------------------------------------------------------------- IDP

#[derive(Template)]
#[template(path = "idp.html")]
struct IdpPage {
    ui: Ui,
    nip: String,
    name: String,
    year: i64,
    idp: Option<Idp>,
    may_edit: bool,
    may_submit: bool,
    may_decide: bool,
    jalur: Vec<&'static str>,
}

fn year_of(q: &YearQuery) -> i64 {
    q.year
        .trim()
        .parse()
        .unwrap_or_else(|_| cakap_services::performance::current_year())
}

/// `/idp`: the signed-in ASN's own plan.
pub async fn own_idp(PageActor { actor, .. }: PageActor, Query(q): Query<YearQuery>) -> PageResult {
    let Some(nip) = actor.nip.as_deref() else {
        return Err(ServiceError::NotFound.into());
    };
    Ok(see_other(&format!(
        "/employees/{nip}/idp?year={}",
        year_of(&q)
    )))
}

pub async fn idp_page(
    State(s): State<AppState>,
    PageActor { actor, ctx }: PageActor,
    Path(nip): Path<String>,
    Query(q): Query<YearQuery>,
) -> PageResult {
    let year = year_of(&q);
    let employee = cakap_services::employees::get(&s.db, &actor, &nip).await?;
    let idp = match idp::get(&s.db, &actor, &nip, year).await {
        Ok(i) => Some(i),
        Err(ServiceError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let own = actor.nip.as_deref() == Some(employee.nip.as_str());
    let status = idp.as_ref().map_or("draft", |i| i.status.as_str());
    let open = matches!(status, "draft" | "returned");
    let may_edit = open && (own || matches!(actor.role, Role::Admin | Role::Pimpinan));
    let page = IdpPage {
        ui: Ui::new(&ctx, "/idp"),
        may_submit: open
            && (own || actor.role == Role::Admin)
            && idp.as_ref().is_some_and(|i| !i.items.is_empty()),
        may_decide: status == "submitted"
            && !own
            && matches!(actor.role, Role::Admin | Role::Pimpinan),
        may_edit,
        nip: employee.nip,
        name: employee.name,
        year,
        idp,
        jalur: Jalur::ALL.iter().map(|j| j.as_str()).collect(),
    };
    Ok(render(&page))
}

fn back(nip: &str, year: i64) -> Response {
    see_other(&format!("/employees/{nip}/idp?year={year}"))
}

pub async fn idp_generate(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(nip): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let year = field(&f, "year").parse().unwrap_or(0);
    let i = idp::generate(&s.db, &actor, &nip, year).await?;
    Ok(back(&i.nip, year))
}

pub async fn idp_submit(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(nip): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let year = field(&f, "year").parse().unwrap_or(0);
    let i = idp::submit(&s.db, &actor, &nip, year).await?;
    Ok(back(&i.nip, year))
}

pub async fn idp_decide(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(nip): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let year = field(&f, "year").parse().unwrap_or(0);
    let reason = field(&f, "reason");
    let d = DecisionInput {
        approve: field(&f, "approve") == "1",
        reason: (!reason.is_empty()).then_some(reason),
    };
    let i = idp::decide(&s.db, &actor, &nip, year, &d).await?;
    Ok(back(&i.nip, year))
}

pub async fn idp_add_item(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path(nip): Path<String>,
    axum::Form(f): Fields,
) -> PageResult {
    let year = field(&f, "year").parse().unwrap_or(0);
    let item = ItemInput {
        jalur: field(&f, "jalur"),
        title: field(&f, "title"),
        target_date: field(&f, "target_date"),
        jp: field(&f, "jp").parse().unwrap_or(-1),
        competency: Some(field(&f, "competency")),
        course: None,
    };
    let i = idp::add_item(&s.db, &actor, &nip, year, &item).await?;
    Ok(back(&i.nip, year))
}

pub async fn idp_remove_item(
    State(s): State<AppState>,
    PageActor { actor, .. }: PageActor,
    Path((nip, item)): Path<(String, i64)>,
    axum::Form(f): Fields,
) -> PageResult {
    let year = field(&f, "year").parse().unwrap_or(0);
    let i = idp::remove_item(&s.db, &actor, &nip, year, item).await?;
    Ok(back(&i.nip, year))
}
