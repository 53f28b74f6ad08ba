//! The training plan for a year and a budget: who attends which class (the optimizer of
//! `cakap-plan` over the regency's real gaps, JP and classes), why each person is in or out,
//! what other budgets would buy, and approval into enrolments and IDP items.
//!
//! `instance` reads the regency into the optimizer's terms, `reasons` explains the answer,
//! `what_if` solves the other budgets, `approval` turns a draft into enrolments; this module
//! runs, saves, reads and lists plans. docs/optimizer.md describes the method.

mod approval;
mod instance;
pub mod reasons;
mod what_if;

pub use approval::{Approved, approve};
pub use reasons::{IkmNote, Reason};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use cakap_domain::Role;
use cakap_domain::status::PlanStatus;
use cakap_plan::Policy;
use cakap_store::plans::{self as store, NewAssignment, PlanRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cache::{self, Topic};
use crate::change::Change;
use crate::{Actor, Db, ServiceError, ServiceResult};

/// Most plan JP per person when the request does not say.
pub const DEFAULT_MAX_JP: i64 = 40;
/// Budgets of the what-if curve, in percent of the plan's.
pub const WHAT_IF: [i64; 8] = [25, 50, 75, 100, 110, 125, 150, 200];

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct OptimizeInput {
    pub year: i64,
    /// Rupiah.
    pub budget: i64,
    /// `hak_20jp` ("hak 20 JP dulu") or `gap` ("gap terbesar").
    pub policy: String,
    /// Most plan JP one person may be given (default 40).
    pub max_jp_per_asn: Option<i64>,
    /// Spending caps per unit code (rupiah), for the unit's whole subtree.
    #[serde(default)]
    pub unit_caps: BTreeMap<String, i64>,
    /// Competency weights by code, overriding the defaults (crisis 2, public service 1.5,
    /// others 1; ×1.5 where the person's last evaluation named it a weakness).
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Seconds the solver may take (1–30, default 8).
    pub time_limit: Option<f64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assignment {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// Offering (class) code.
    pub offering: String,
    /// Course code (as everywhere else in the API).
    pub course: String,
    pub course_title: String,
    pub starts_on: String,
    pub cost: i64,
    pub jp: i64,
    /// Weighted gap closed.
    pub benefit: f64,
    /// Why, in the reader's language (filled where the plan is shown).
    pub reason: String,
    /// Why, as a code with its values.
    pub reason_detail: Reason,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeftOut {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// `no_gap`, `no_fit`, `seats_full`, `budget`, `unit_cap`, `jp_cap` or `outranked`.
    pub code: String,
    /// Why, in the reader's language (filled where the plan is shown; a sentence in plans
    /// saved before reasons were codes).
    #[serde(default)]
    pub reason: String,
    /// Why, as a code with its values.
    #[serde(default, rename = "reason_detail")]
    pub detail: Reason,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Summary {
    pub weighted_gap_closed: f64,
    pub asn_reaching_20jp: i64,
    pub total_cost: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct WhatIf {
    pub percent: i64,
    pub budget: i64,
    pub weighted_gap_closed: f64,
    pub asn_reaching_20jp: i64,
    pub total_cost: i64,
}

/// What a plan stores beside its numbers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Detail {
    pub unit_caps: BTreeMap<String, i64>,
    pub weights: BTreeMap<String, f64>,
    pub left_out: Vec<LeftOut>,
    pub what_if: Vec<WhatIf>,
    pub pairs: usize,
    pub classes: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingPlan {
    pub id: i64,
    pub year: i64,
    pub budget: i64,
    pub policy: String,
    pub max_jp_per_asn: i64,
    /// `draft` or `approved`.
    pub status: String,
    pub assignments: Vec<Assignment>,
    pub total_cost: i64,
    pub weighted_gap_closed: f64,
    pub asn_reaching_20jp: i64,
    /// Proven upper bound on the weighted gap closed.
    pub bound: f64,
    /// Proven upper bound on the number reaching 20 JP (`hak_20jp`).
    pub bound_reaching_20jp: i64,
    /// Relative distance to the bound on the policy's first objective (0 = optimal).
    pub optimality_gap: f64,
    /// `milp`, `lagrange` or `greedy`: where the plan came from.
    pub method: String,
    pub solve_ms: i64,
    pub greedy: Summary,
    /// Active ASN the plan considered.
    pub people: i64,
    pub left_out: Vec<LeftOut>,
    pub what_if: Vec<WhatIf>,
    pub unit_caps: BTreeMap<String, i64>,
    pub created_by: String,
    pub approved_by: Option<String>,
}

fn parse_policy(s: &str) -> ServiceResult<Policy> {
    match s {
        "hak_20jp" => Ok(Policy::Hak20Jp),
        "gap" => Ok(Policy::Gap),
        _ => Err(ServiceError::invalid("policy", "plan.policy_error")),
    }
}

fn policy_str(p: Policy) -> &'static str {
    match p {
        Policy::Hak20Jp => "hak_20jp",
        Policy::Gap => "gap",
    }
}

/// Who plans: BKPSDM; the auditor reads.
fn require_reader(actor: &Actor) -> ServiceResult<()> {
    actor.require_any(&[Role::Admin, Role::Auditor])
}

/// Runs the optimizer, saves the plan as a draft and returns it.
pub async fn optimize(
    db: &Db,
    actor: &Actor,
    input: &OptimizeInput,
) -> ServiceResult<TrainingPlan> {
    actor.require_admin()?;
    if !(2000..=2100).contains(&input.year) {
        return Err(ServiceError::invalid("year", "plan.year_range"));
    }
    if !(0..=10_000_000_000_000).contains(&input.budget) {
        return Err(ServiceError::invalid("budget", "plan.budget_range"));
    }
    let policy = parse_policy(&input.policy)?;
    let max_jp = input.max_jp_per_asn.unwrap_or(DEFAULT_MAX_JP);
    if !(1..=200).contains(&max_jp) {
        return Err(ServiceError::invalid("max_jp_per_asn", "plan.max_jp_range"));
    }
    let seconds = input.time_limit.unwrap_or(8.0);
    if !seconds.is_finite() || !(1.0..=30.0).contains(&seconds) {
        return Err(ServiceError::invalid("time_limit", "plan.time_range"));
    }
    let built = instance::build(db, actor, input, policy, max_jp).await?;
    let (built, outcome, what_if) = tokio::task::spawn_blocking(move || {
        let (outcome, what_if) = what_if::solve(&built.instance, seconds);
        (built, outcome, what_if)
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("optimizer: {e}")))?;

    let inst = &built.instance;
    let mut plan_jp: HashMap<u32, i64> = HashMap::new();
    for &i in &outcome.plan.chosen {
        let pair = &inst.pairs[i];
        *plan_jp.entry(pair.person).or_insert(0) +=
            i64::from(inst.offerings[pair.offering as usize].jp);
    }
    let rows: Vec<NewAssignment> = outcome
        .plan
        .chosen
        .iter()
        .map(|&i| {
            let pair = &inst.pairs[i];
            let o = &built.offerings[pair.offering as usize];
            NewAssignment {
                employee_id: built.people[pair.person as usize].id,
                offering_id: o.id,
                cost: o.cost,
                jp: o.jp,
                benefit: pair.benefit,
                reason: reasons::assignment(&built, i, &plan_jp).to_stored(),
            }
        })
        .collect();
    let detail = Detail {
        unit_caps: input.unit_caps.clone(),
        weights: input.weights.clone(),
        left_out: reasons::left_out(&built, &outcome.plan),
        what_if,
        pairs: inst.pairs.len(),
        classes: outcome.classes,
    };
    let method = match outcome.method {
        cakap_plan::Method::Milp => "milp",
        cakap_plan::Method::Lagrange => "lagrange",
        cakap_plan::Method::Greedy => "greedy",
    };
    // Without an answer from the solver the trivial bound holds: every pair's benefit.
    let trivial: f64 = inst.pairs.iter().map(|p| p.benefit).sum();
    let finite = |x: f64| if x.is_finite() { x } else { trivial };
    let row = PlanRow {
        id: 0,
        year: input.year,
        budget: input.budget,
        policy: policy_str(policy).to_string(),
        max_jp,
        status: PlanStatus::Draft,
        total_cost: outcome.plan.total_cost,
        weighted_gap: round3(outcome.plan.benefit),
        reaching: i64::from(outcome.plan.reaching),
        bound: round3(finite(outcome.bound)),
        bound_reaching: i64::from(outcome.bound_reaching),
        optimality_gap: if outcome.optimality_gap.is_finite() {
            outcome.optimality_gap
        } else {
            1.0
        },
        method: method.into(),
        solve_ms: outcome.solve_ms as i64,
        greedy_cost: outcome.greedy.total_cost,
        greedy_gap: round3(outcome.greedy.benefit),
        greedy_reaching: i64::from(outcome.greedy.reaching),
        people: inst.people.len() as i64,
        detail: serde_json::to_string(&detail)
            .map_err(|e| ServiceError::Internal(e.to_string()))?,
        created_by: actor.username.clone(),
        created_at: cakap_store::now_ms(),
        approved_by: None,
        approved_at: None,
    };
    let mut c = Change::begin(db, actor).await?;
    let id = store::insert_plan(&mut c, actor.tenant_id, &row).await?;
    store::insert_assignments(&mut c, actor.tenant_id, id, &rows).await?;
    #[derive(Serialize)]
    struct Audit<'a> {
        year: i64,
        budget: i64,
        policy: &'a str,
        assignments: usize,
        total_cost: i64,
        weighted_gap_closed: f64,
        asn_reaching_20jp: i64,
    }
    let audit = Audit {
        year: row.year,
        budget: row.budget,
        policy: &row.policy,
        assignments: rows.len(),
        total_cost: row.total_cost,
        weighted_gap_closed: row.weighted_gap,
        asn_reaching_20jp: row.reaching,
    };
    c.record(
        "create",
        "training_plan",
        &id.to_string(),
        None,
        Some(&audit),
    )
    .await?;
    c.finish(&[Topic::Learning]).await?;
    read(db, actor, id).await
}

pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// One plan with its assignments (a plan holds thousands: read once per change, then kept).
pub async fn get(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Arc<TrainingPlan>> {
    require_reader(actor)?;
    cache::of::<Plans>(db)
        .get_or_fill(actor.tenant_id, &id, || async {
            Ok(Arc::new(read(db, actor, id).await?))
        })
        .await
}

/// Plans by id. A plan is written once and changes only when approved; both finish with
/// `Learning`; names and units come from `People` and `Units`.
struct Plans;

impl cache::Spec for Plans {
    type Key = i64;
    type Value = Arc<TrainingPlan>;
    const TOPICS: &'static [Topic] = &[Topic::Learning, Topic::People, Topic::Units];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 16;
}

async fn read(db: &Db, actor: &Actor, id: i64) -> ServiceResult<TrainingPlan> {
    let mut c = db.conn().await?;
    let row = store::plan(&mut c, actor.tenant_id, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let assignments = store::assignments(&mut c, actor.tenant_id, id).await?;
    Ok(to_plan(row, assignments))
}

fn to_plan(row: PlanRow, assignments: Vec<store::AssignmentRow>) -> TrainingPlan {
    let detail: Detail = serde_json::from_str(&row.detail).unwrap_or_default();
    TrainingPlan {
        id: row.id,
        year: row.year,
        budget: row.budget,
        policy: row.policy,
        max_jp_per_asn: row.max_jp,
        status: row.status.to_string(),
        assignments: assignments
            .into_iter()
            .map(|a| Assignment {
                nip: a.nip,
                name: a.name,
                unit: a.unit_name,
                offering: a.offering,
                course: a.course_code,
                course_title: a.course_title,
                starts_on: a.starts_on,
                cost: a.cost,
                jp: a.jp,
                benefit: a.benefit,
                reason: String::new(),
                reason_detail: Reason::parse(&a.reason),
            })
            .collect(),
        total_cost: row.total_cost,
        weighted_gap_closed: row.weighted_gap,
        asn_reaching_20jp: row.reaching,
        bound: row.bound,
        bound_reaching_20jp: row.bound_reaching,
        optimality_gap: row.optimality_gap,
        method: row.method,
        solve_ms: row.solve_ms,
        greedy: Summary {
            weighted_gap_closed: row.greedy_gap,
            asn_reaching_20jp: row.greedy_reaching,
            total_cost: row.greedy_cost,
        },
        people: row.people,
        left_out: detail
            .left_out
            .into_iter()
            .map(|mut l| {
                // Saved before reasons were codes: the sentence is the reason.
                if l.detail == Reason::default() && !l.reason.is_empty() {
                    l.detail = Reason::Text {
                        text: std::mem::take(&mut l.reason),
                    };
                }
                l
            })
            .collect(),
        what_if: detail.what_if,
        unit_caps: detail.unit_caps,
        created_by: row.created_by,
        approved_by: row.approved_by,
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanListItem {
    pub id: i64,
    pub year: i64,
    pub budget: i64,
    pub policy: String,
    pub status: String,
    pub total_cost: i64,
    pub weighted_gap_closed: f64,
    pub asn_reaching_20jp: i64,
    pub optimality_gap: f64,
    pub created_by: String,
    pub created_at: i64,
}

/// Recent plans (of a year, or all), newest first.
pub async fn list(db: &Db, actor: &Actor, year: Option<i64>) -> ServiceResult<Vec<PlanListItem>> {
    require_reader(actor)?;
    let mut c = db.conn().await?;
    Ok(store::plans(&mut c, actor.tenant_id, year)
        .await?
        .into_iter()
        .map(|p| PlanListItem {
            id: p.id,
            year: p.year,
            budget: p.budget,
            policy: p.policy,
            status: p.status.to_string(),
            total_cost: p.total_cost,
            weighted_gap_closed: p.weighted_gap,
            asn_reaching_20jp: p.reaching,
            optimality_gap: p.optimality_gap,
            created_by: p.created_by,
            created_at: p.created_at,
        })
        .collect())
}

/// The difference to the plan made before it for the same year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comparison {
    pub previous_id: i64,
    pub total_cost: i64,
    pub weighted_gap_closed: f64,
    pub asn_reaching_20jp: i64,
    /// Assignments in this plan and not in the previous one, and the other way round.
    pub added: i64,
    pub removed: i64,
}

/// Comparisons by plan id, kept as the plans are: reading the previous plan's assignments
/// and setting them against this one's is a pass over thousands of rows.
struct Comparisons;

impl cache::Spec for Comparisons {
    type Key = i64;
    type Value = Option<Comparison>;
    const TOPICS: &'static [Topic] = &[Topic::Learning, Topic::People, Topic::Units];
    const TTL: Duration = Duration::from_secs(600);
    const MAX: usize = 16;
}

/// How plan `id` differs from the plan made before it for the same year, computed once per
/// change.
pub async fn compare_with_previous(
    db: &Db,
    actor: &Actor,
    id: i64,
) -> ServiceResult<Option<Comparison>> {
    require_reader(actor)?;
    cache::of::<Comparisons>(db)
        .get_or_fill(actor.tenant_id, &id, || async {
            compare(db, actor, &*get(db, actor, id).await?).await
        })
        .await
}

async fn compare(db: &Db, actor: &Actor, plan: &TrainingPlan) -> ServiceResult<Option<Comparison>> {
    let mut c = db.conn().await?;
    let Some(prev) = store::plans(&mut c, actor.tenant_id, Some(plan.year))
        .await?
        .into_iter()
        .find(|p| p.id < plan.id)
    else {
        return Ok(None);
    };
    let before: HashSet<(String, String)> = store::assignments(&mut c, actor.tenant_id, prev.id)
        .await?
        .into_iter()
        .map(|a| (a.nip, a.offering))
        .collect();
    let now: HashSet<(String, String)> = plan
        .assignments
        .iter()
        .map(|a| (a.nip.clone(), a.offering.clone()))
        .collect();
    Ok(Some(Comparison {
        previous_id: prev.id,
        total_cost: prev.total_cost,
        weighted_gap_closed: prev.weighted_gap,
        asn_reaching_20jp: prev.reaching,
        added: now.difference(&before).count() as i64,
        removed: before.difference(&now).count() as i64,
    }))
}
