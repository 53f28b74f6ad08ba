//! The training plan for a year and a budget: who attends which class (the optimizer of
//! `cakap-plan` over the regency's real gaps, JP and classes), why each person is in or out,
//! what other budgets would buy, and approval into enrolments and IDP items.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use cakap_domain::Role;
use cakap_domain::learning::JP_TARGET;
use cakap_plan::{Instance, Offering, Options, Pair, Person, Policy};
use cakap_store::plans::{self as store, NewAssignment, NewItem, PlanRow};
use cakap_store::{assessments, employees, learning, requirements};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct LeftOut {
    pub nip: String,
    pub name: String,
    pub unit: String,
    /// `no_gap`, `no_fit`, `seats_full`, `budget`, `unit_cap`, `jp_cap` or `outranked`.
    pub code: String,
    pub reason: String,
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

/// The optimizer's instance with what is needed to explain and save its answer.
pub(crate) struct Built {
    pub instance: Instance,
    pub people: Vec<employees::Placement>,
    pub offerings: Vec<learning::OfferingRow>,
    /// Per pair: the competencies it closes, (code, from, to, weight).
    pub closes: Vec<Vec<(String, i64, i64, f64)>>,
    /// Per person: does their standard show any gap?
    pub has_gap: Vec<bool>,
    pub jp_have: Vec<i64>,
}

fn weight_of(
    code: &str,
    name: &str,
    crisis: bool,
    weakness: bool,
    overrides: &BTreeMap<String, f64>,
) -> f64 {
    let base = overrides.get(code).copied().unwrap_or_else(|| {
        if crisis {
            2.0
        } else if name.to_lowercase().contains("pelayanan") {
            1.5
        } else {
            1.0
        }
    });
    if weakness { base * 1.5 } else { base }
}

/// Reads everything the optimizer needs (a handful of set queries, none per person) and
/// builds the instance.
pub(crate) async fn build(
    db: &Db,
    actor: &Actor,
    input: &OptimizeInput,
    policy: Policy,
    max_jp: i64,
) -> ServiceResult<Built> {
    let (year, budget) = (input.year, input.budget);
    let (unit_caps, weights) = (&input.unit_caps, &input.weights);
    let tenant = actor.tenant_id;
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let mut c = db.conn().await?;
    let people = employees::placements(&mut c, tenant, "").await?;
    let standards = requirements::in_scope(&mut c, tenant, "").await?;
    let levels = assessments::counting_in_scope(&mut c, tenant, "", None, &today).await?;
    let jp = learning::jp_totals(&mut c, tenant, "", &from, &to).await?;
    let targets = store::course_targets(&mut c, tenant).await?;
    let taken = store::taken(&mut c, tenant).await?;
    let prerequisites = store::prerequisites(&mut c, tenant).await?;
    let since = format!("{}-01-01", year - 2);
    let weak: HashSet<(i64, i64)> = store::weaknesses_since(&mut c, tenant, &since)
        .await?
        .into_iter()
        .map(|w| (w.employee_id, w.competency_id))
        .collect();
    let offerings: Vec<learning::OfferingRow> = learning::offerings(&mut c, tenant, None, true)
        .await?
        .into_iter()
        .filter(|o| o.starts_on >= from && o.starts_on <= to)
        .filter(|o| o.seats.is_none_or(|s| s > o.taken))
        .collect();
    drop(c);
    let tree = crate::units::tree(db, tenant).await?;
    for weight in weights.values() {
        if !weight.is_finite() || !(0.0..=10.0).contains(weight) {
            return Err(ServiceError::invalid("weights", "plan.weight_range"));
        }
    }

    // Cap groups: each person counts against the deepest capped unit above them.
    let mut caps: Vec<(String, i64)> = Vec::new();
    for (code, cap) in unit_caps {
        let unit = tree
            .iter()
            .find(|u| &u.code == code)
            .ok_or(ServiceError::invalid("unit_caps", "plan.unknown_unit"))?;
        if *cap < 0 {
            return Err(ServiceError::invalid("unit_caps", "plan.cap_range"));
        }
        caps.push((unit.path.clone(), *cap));
    }
    // A cap covers its unit's whole subtree: caps inside capped units would double count.
    if caps.iter().any(|(a, _)| {
        caps.iter()
            .any(|(b, _)| a != b && b.starts_with(a.as_str()))
    }) {
        return Err(ServiceError::invalid("unit_caps", "plan.nested_caps"));
    }
    let cap_of = |path: &str| -> u32 {
        caps.iter()
            .enumerate()
            .filter(|(_, (p, _))| path.starts_with(p.as_str()))
            .max_by_key(|(_, (p, _))| p.len())
            .map_or(u32::MAX, |(i, _)| i as u32)
    };

    let best = crate::gaps::effective_levels(&levels);
    let mut standard: HashMap<i64, Vec<&requirements::RequirementRow>> = HashMap::new();
    for s in &standards {
        standard.entry(s.position_id).or_default().push(s);
    }
    let jp_done: HashMap<i64, i64> = jp.iter().map(|j| (j.employee_id, j.jp)).collect();
    let mut course_targets: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
    for t in &targets {
        course_targets
            .entry(t.course_id)
            .or_default()
            .push((t.competency_id, t.level));
    }
    let mut requires: HashMap<i64, Vec<i64>> = HashMap::new();
    for p in &prerequisites {
        requires.entry(p.course_id).or_default().push(p.requires_id);
    }
    // Courses each person has (completed, or in progress) and JP already booked this year.
    let mut has_course: HashSet<(i64, i64)> = HashSet::new();
    let mut completed: HashSet<(i64, i64)> = HashSet::new();
    let mut jp_booked: HashMap<i64, i64> = HashMap::new();
    for t in &taken {
        has_course.insert((t.employee_id, t.course_id));
        if t.status == "completed" {
            completed.insert((t.employee_id, t.course_id));
        } else if t.status == "enrolled" && t.starts_on >= from && t.starts_on <= to {
            *jp_booked.entry(t.employee_id).or_insert(0) += t.jp;
        }
    }
    let course_index: HashMap<i64, u32> = {
        let mut ids: Vec<i64> = offerings.iter().map(|o| o.course_id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .enumerate()
            .map(|(i, id)| (id, i as u32))
            .collect()
    };

    let mut persons = Vec::with_capacity(people.len());
    let mut pairs = Vec::new();
    let mut closes = Vec::new();
    let mut has_gap = Vec::with_capacity(people.len());
    let mut jp_have = Vec::with_capacity(people.len());
    for (pi, p) in people.iter().enumerate() {
        let have =
            jp_done.get(&p.id).copied().unwrap_or(0) + jp_booked.get(&p.id).copied().unwrap_or(0);
        jp_have.push(have);
        persons.push(Person {
            unit: cap_of(&p.unit_path),
            jp_have: have.clamp(0, u32::MAX as i64) as u32,
        });
        let reqs: &[&requirements::RequirementRow] = p
            .position_id
            .and_then(|pos| standard.get(&pos))
            .map_or(&[], Vec::as_slice);
        let actual = |k: i64| best.get(&(p.id, k)).copied().unwrap_or(0);
        has_gap.push(reqs.iter().any(|r| actual(r.competency_id) < r.level));
        for (oi, o) in offerings.iter().enumerate() {
            if has_course.contains(&(p.id, o.course_id))
                || requires
                    .get(&o.course_id)
                    .is_some_and(|rs| rs.iter().any(|r| !completed.contains(&(p.id, *r))))
            {
                continue;
            }
            let mut benefit = 0.0;
            let mut keys = vec![course_index[&o.course_id]];
            let mut closed = Vec::new();
            let mut relevant = false;
            for &(k, level) in course_targets
                .get(&o.course_id)
                .map_or(&[][..], Vec::as_slice)
            {
                let Some(r) = reqs.iter().find(|r| r.competency_id == k) else {
                    continue;
                };
                relevant = true;
                let (now, to) = (actual(k), level.min(r.level));
                if now < to {
                    let w = weight_of(
                        &r.code,
                        &r.name,
                        r.crisis,
                        weak.contains(&(p.id, k)),
                        weights,
                    );
                    benefit += w * (to - now) as f64;
                    keys.push(1_000_000 + k as u32);
                    closed.push((r.code.clone(), now, to, w));
                }
            }
            // Under "hak 20 JP dulu" a class on the person's own competencies counts for its
            // JP even when it closes no gap.
            let jp_only = policy == Policy::Hak20Jp && relevant && have < JP_TARGET;
            if benefit > 0.0 || jp_only {
                pairs.push(Pair {
                    person: pi as u32,
                    offering: oi as u32,
                    benefit,
                    keys,
                });
                closes.push(closed);
            }
        }
    }
    let instance = Instance {
        people: persons,
        offerings: offerings
            .iter()
            .map(|o| Offering {
                cost: o.cost,
                jp: o.jp.clamp(0, u32::MAX as i64) as u32,
                seats: o.seats.map(|s| (s - o.taken).max(0) as u32),
            })
            .collect(),
        pairs,
        budget,
        unit_caps: caps
            .iter()
            .enumerate()
            .map(|(i, (_, cap))| (i as u32, *cap))
            .collect(),
        max_jp: max_jp as u32,
        jp_target: JP_TARGET as u32,
        policy,
    };
    Ok(Built {
        instance,
        people,
        offerings,
        closes,
        has_gap,
        jp_have,
    })
}

fn rupiah_per_million(benefit: f64, cost: i64) -> String {
    if cost <= 0 {
        "tanpa biaya".to_string()
    } else {
        format!(
            "{} per juta rupiah",
            decimal(benefit / (cost as f64 / 1e6), 2)
        )
    }
}

/// Indonesian decimal: comma, `places` digits.
fn decimal(x: f64, places: usize) -> String {
    format!("{x:.places$}").replace('.', ",")
}

fn assignment_reason(b: &Built, i: usize, plan_jp: &HashMap<u32, i64>) -> String {
    let pair = &b.instance.pairs[i];
    let o = &b.offerings[pair.offering as usize];
    let mut parts = Vec::new();
    if !b.closes[i].is_empty() {
        let gaps: Vec<String> = b.closes[i]
            .iter()
            .map(|(code, from, to, w)| format!("{code} {from}→{to} (bobot {})", decimal(*w, 1)))
            .collect();
        parts.push(format!(
            "Menutup gap {}; {}",
            gaps.join(", "),
            rupiah_per_million(pair.benefit, o.cost)
        ));
    } else {
        parts.push("Menambah JP pada kompetensi jabatannya".to_string());
    }
    let have = b.jp_have[pair.person as usize];
    let total = have + plan_jp.get(&pair.person).copied().unwrap_or(0);
    if have < JP_TARGET && total >= JP_TARGET {
        parts.push(format!("membawa ke {JP_TARGET} JP ({have} → {total} JP)"));
    }
    parts.join("; ")
}

fn left_out(b: &Built, plan: &cakap_plan::Plan) -> Vec<LeftOut> {
    let inst = &b.instance;
    let mut assigned = vec![false; inst.people.len()];
    let mut seats_used = vec![0u32; inst.offerings.len()];
    let mut unit_spent: HashMap<u32, i64> = HashMap::new();
    let mut person_jp = vec![0u32; inst.people.len()];
    for &i in &plan.chosen {
        let pair = &inst.pairs[i];
        assigned[pair.person as usize] = true;
        seats_used[pair.offering as usize] += 1;
        let o = &inst.offerings[pair.offering as usize];
        *unit_spent
            .entry(inst.people[pair.person as usize].unit)
            .or_insert(0) += o.cost;
        person_jp[pair.person as usize] += o.jp;
    }
    // The cut-off: the lowest benefit per rupiah the plan paid for.
    let cutoff = plan
        .chosen
        .iter()
        .filter(|&&i| inst.offerings[inst.pairs[i].offering as usize].cost > 0)
        .map(|&i| cakap_plan::ratio(inst, i))
        .fold(f64::INFINITY, f64::min);
    let remaining = inst.budget - plan.total_cost;
    let mut by_person: HashMap<u32, Vec<usize>> = HashMap::new();
    for (i, p) in inst.pairs.iter().enumerate() {
        by_person.entry(p.person).or_default().push(i);
    }
    let mut out = Vec::new();
    for (pi, p) in b.people.iter().enumerate() {
        if assigned[pi] {
            continue;
        }
        let entry = |code: &str, reason: String| LeftOut {
            nip: p.nip.clone(),
            name: p.name.clone(),
            unit: p.unit_name.clone(),
            code: code.to_string(),
            reason,
        };
        let candidates = by_person.get(&(pi as u32)).map_or(&[][..], Vec::as_slice);
        let Some(&best) = candidates.iter().max_by(|&&a, &&b2| {
            cakap_plan::ratio(inst, a)
                .total_cmp(&cakap_plan::ratio(inst, b2))
                .then(b2.cmp(&a))
        }) else {
            out.push(if b.has_gap[pi] {
                entry(
                    "no_fit",
                    "Tidak ada kelas tahun ini yang menutup gapnya".to_string(),
                )
            } else {
                entry("no_gap", "Tidak ada gap kompetensi".to_string())
            });
            continue;
        };
        let pair = &inst.pairs[best];
        let o = &inst.offerings[pair.offering as usize];
        let row = &b.offerings[pair.offering as usize];
        let unit = inst.people[pi].unit;
        let ratio = cakap_plan::ratio(inst, best);
        let left = if o
            .seats
            .is_some_and(|s| seats_used[pair.offering as usize] >= s)
        {
            entry(
                "seats_full",
                format!("Kursi kelas {} sudah penuh", row.code),
            )
        } else if o.jp + person_jp[pi] > inst.max_jp {
            entry(
                "jp_cap",
                format!("Kelas {} melebihi batas JP per orang", row.code),
            )
        } else if inst
            .unit_caps
            .get(&unit)
            .is_some_and(|cap| unit_spent.get(&unit).copied().unwrap_or(0) + o.cost > *cap)
        {
            entry(
                "unit_cap",
                format!("Pagu unitnya habis untuk kelas {}", row.code),
            )
        } else if o.cost > remaining || ratio < cutoff {
            entry(
                "budget",
                format!(
                    "Terpotong anggaran: kelas {} memberi {}, batas rencana {}",
                    row.code,
                    rupiah_per_million(pair.benefit, o.cost),
                    if cutoff.is_finite() {
                        decimal(cutoff * 1e6, 2)
                    } else {
                        "-".into()
                    }
                ),
            )
        } else {
            entry(
                "outranked",
                format!("Kalah prioritas untuk kelas {}", row.code),
            )
        };
        out.push(left);
    }
    out
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
    let built = build(db, actor, input, policy, max_jp).await?;
    let (built, outcome, what_if) = tokio::task::spawn_blocking(move || {
        let (outcome, what_if) = solve_with_what_if(&built.instance, seconds);
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
                reason: assignment_reason(&built, i, &plan_jp),
            }
        })
        .collect();
    let detail = Detail {
        unit_caps: input.unit_caps.clone(),
        weights: input.weights.clone(),
        left_out: left_out(&built, &outcome.plan),
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
        status: "draft".into(),
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
    let mut c = db.begin().await?;
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
    crate::audit::record(
        &mut c,
        actor,
        "create",
        "training_plan",
        &id.to_string(),
        None,
        Some(&audit),
    )
    .await?;
    c.commit().await?;
    get(db, actor, id).await
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The instance at `pct` % of the budget (and of every unit cap).
fn scaled(inst: &Instance, pct: i64) -> Instance {
    Instance {
        budget: inst.budget.saturating_mul(pct) / 100,
        unit_caps: inst
            .unit_caps
            .iter()
            .map(|(u, c)| (*u, c.saturating_mul(pct) / 100))
            .collect(),
        ..inst.clone()
    }
}

/// Solves the plan on one thread while the other solves the what-if points (a short limit
/// each); then makes the curve monotone on both of its counts (people reaching 20 JP and
/// the weighted gap closed), with the 100 % point the plan itself:
/// - from 25 % up to 75 %, each point keeps its own plan only if it shows at least as much
///   as the smaller budget's, else that plan extended greedily;
/// - the plan takes the 75 % point's extension when that is better under the policy;
/// - from 75 % down, a point that shows more than the budget above it is replaced by the
///   plan above shrunk to its budget (a subset of it);
/// - from 110 % up, as from 25 %: never less than the smaller budget's.
fn solve_with_what_if(inst: &Instance, seconds: f64) -> (cakap_plan::Outcome, Vec<WhatIf>) {
    use cakap_plan::{Plan, better, dominates, extend, shrink};
    let opts = Options {
        time_limit: Duration::from_secs_f64(seconds),
        ..Options::default()
    };
    let per_point = Options {
        time_limit: Duration::from_secs_f64((seconds / 8.0).clamp(0.3, 1.5)),
        ..Options::default()
    };
    let (mut outcome, mut points) = std::thread::scope(|s| {
        let others = s.spawn(|| {
            WHAT_IF
                .iter()
                .filter(|&&pct| pct != 100)
                .map(|&pct| {
                    let at = scaled(inst, pct);
                    let plan = cakap_plan::solve(&at, &per_point).plan;
                    (pct, at, plan)
                })
                .collect::<Vec<(i64, Instance, Plan)>>()
        });
        let outcome = cakap_plan::solve(inst, &opts);
        (outcome, others.join().unwrap_or_default())
    });
    // Keeps `own` if it shows at least as much as `previous`, else the better of the two
    // that do: `own` is dropped for `previous` extended.
    let upward = |at: &Instance, own: Plan, previous: &Plan| {
        let grown = extend(at, &previous.chosen);
        if dominates(&own, previous) && !better(at.policy, &grown, &own) {
            own
        } else {
            grown
        }
    };
    let split = points
        .iter()
        .position(|(p, _, _)| *p > 100)
        .unwrap_or(points.len());
    for k in 1..split {
        let (before, after) = points.split_at_mut(k);
        let previous = &before[k - 1].2;
        let (_, at, own) = &mut after[0];
        *own = upward(at, std::mem::replace(own, previous.clone()), previous);
    }
    if split > 0 {
        outcome.adopt(inst, extend(inst, &points[split - 1].2.chosen));
    }
    let mut above = outcome.plan.clone();
    for (_, at, own) in points[..split].iter_mut().rev() {
        if !dominates(&above, own) {
            *own = shrink(at, &above.chosen);
        }
        above = own.clone();
    }
    let mut previous = outcome.plan.clone();
    for (_, at, own) in points[split..].iter_mut() {
        *own = upward(at, std::mem::replace(own, previous.clone()), &previous);
        previous = own.clone();
    }
    let mut curve: Vec<WhatIf> = points
        .iter()
        .map(|(pct, _, plan)| (*pct, plan))
        .chain(std::iter::once((100, &outcome.plan)))
        .map(|(pct, plan)| WhatIf {
            percent: pct,
            budget: inst.budget.saturating_mul(pct) / 100,
            weighted_gap_closed: round3(plan.benefit),
            asn_reaching_20jp: i64::from(plan.reaching),
            total_cost: plan.total_cost,
        })
        .collect();
    curve.sort_by_key(|w| w.percent);
    (outcome, curve)
}

/// One plan with its assignments.
pub async fn get(db: &Db, actor: &Actor, id: i64) -> ServiceResult<TrainingPlan> {
    require_reader(actor)?;
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
        status: row.status,
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
                reason: a.reason,
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
        left_out: detail.left_out,
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
            status: p.status,
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

pub async fn compare_with_previous(
    db: &Db,
    actor: &Actor,
    plan: &TrainingPlan,
) -> ServiceResult<Option<Comparison>> {
    require_reader(actor)?;
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

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Approved {
    pub id: i64,
    pub status: String,
    pub enrolled: i64,
    /// Classes full by now: these people were put on the waiting list.
    pub waitlisted: i64,
    /// Assignments left as they were: the person already has the course, or the class closed.
    pub skipped: i64,
    pub idp_items: i64,
}

/// Approves a draft: every assignment becomes an enrolment (waiting list where the class has
/// filled since) and an item of the person's IDP for the year — in one transaction, audited.
pub async fn approve(db: &Db, actor: &Actor, id: i64) -> ServiceResult<Approved> {
    actor.require_admin()?;
    let tenant = actor.tenant_id;
    let mut c = db.begin().await?;
    let row = store::plan(&mut c, tenant, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if row.status == "draft"
        && store::plans(&mut c, tenant, Some(row.year))
            .await?
            .iter()
            .any(|p| p.status == "approved")
    {
        return Err(ServiceError::Conflict {
            key: "plan.year_approved",
        });
    }
    if !store::approve_plan(&mut c, tenant, id, &actor.username).await? {
        return Err(ServiceError::Conflict {
            key: "plan.already_approved",
        });
    }
    let assignments = store::assignments(&mut c, tenant, id).await?;
    // Whoever has meanwhile enrolled in (or finished) the course keeps what they have.
    let active: HashSet<(i64, i64)> = store::taken(&mut c, tenant)
        .await?
        .into_iter()
        .map(|t| (t.employee_id, t.course_id))
        .collect();
    let classes: HashMap<i64, learning::OfferingRow> =
        learning::offerings(&mut c, tenant, None, false)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    let mut skipped = 0i64;
    let mut free: HashMap<i64, Option<i64>> = HashMap::new();
    let mut jalur: HashMap<i64, String> = HashMap::new();
    let (mut enrolled, mut waitlisted) = (0i64, 0i64);
    let mut items: BTreeMap<i64, Vec<NewItem>> = BTreeMap::new();
    for a in &assignments {
        let Some(class) = classes.get(&a.offering_id) else {
            skipped += 1;
            continue;
        };
        if class.status != "open" || active.contains(&(a.employee_id, a.course_id)) {
            skipped += 1;
            continue;
        }
        let left = match free.get(&a.offering_id) {
            Some(left) => *left,
            None => {
                c.lock(cakap_store::db::LockSpace::Offering, a.offering_id)
                    .await?;
                match class.seats {
                    Some(s) => Some(s - store::seats_taken(&mut c, tenant, a.offering_id).await?),
                    None => None,
                }
            }
        };
        let status = if left.is_none_or(|l| l > 0) {
            "enrolled"
        } else {
            "waitlisted"
        };
        learning::upsert_enrollment(
            &mut c,
            tenant,
            a.offering_id,
            a.employee_id,
            status,
            &actor.username,
        )
        .await?;
        if status == "enrolled" {
            enrolled += 1;
            free.insert(a.offering_id, left.map(|l| l - 1));
        } else {
            waitlisted += 1;
            free.insert(a.offering_id, left);
        }
        items.entry(a.employee_id).or_default().push(NewItem {
            source: "plan".into(),
            competency_id: None,
            gap: 0,
            jalur: match jalur.get(&a.course_id) {
                Some(j) => j.clone(),
                None => {
                    let j = learning::course_by_id(&mut c, tenant, a.course_id)
                        .await?
                        .map_or_else(|| "pelatihan_teknis".to_string(), |co| co.jalur);
                    jalur.insert(a.course_id, j.clone());
                    j
                }
            },
            course_id: Some(a.course_id),
            offering_id: Some(a.offering_id),
            title: a.course_title.clone(),
            target_date: a.starts_on.clone(),
            jp: a.jp,
        });
    }
    let mut idp_items = 0i64;
    for (employee, list) in &items {
        let idp = store::ensure_idp(&mut c, tenant, *employee, row.year).await?;
        store::add_items(&mut c, tenant, idp, list).await?;
        idp_items += list.len() as i64;
    }
    #[derive(Serialize)]
    struct Audit {
        status: &'static str,
        enrolled: i64,
        waitlisted: i64,
        skipped: i64,
        idp_items: i64,
    }
    let after = Audit {
        status: "approved",
        skipped,
        enrolled,
        waitlisted,
        idp_items,
    };
    crate::audit::record(
        &mut c,
        actor,
        "approve",
        "training_plan",
        &id.to_string(),
        None,
        Some(&after),
    )
    .await?;
    c.commit().await?;
    Ok(Approved {
        id,
        status: "approved".into(),
        enrolled,
        waitlisted,
        skipped,
        idp_items,
    })
}
