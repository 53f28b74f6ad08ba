//! The training-plan optimizer: who attends which class, under a budget.
//!
//! Pure computation — no database, no clock but the solver's own time limit. The service
//! layer builds an [`Instance`] (people, classes, the candidate person–class pairs with the
//! weighted gap each closes) and gets back an [`Outcome`]: the plan, the greedy plan beside
//! it, and a proven upper bound.
//!
//! Method (docs/optimizer.md has the measurements). Large models — a regency's thousands
//! of ASN — go to a Lagrangian relaxation of the coupling rows (budget, unit caps, seats):
//! prices by subgradient steps, each person's own problem solved exactly, so the dual value
//! is a valid upper bound, and plans rounded from the prices and filled greedily. Small
//! models are solved exactly as a MILP (microlp, pure Rust): people whose data are identical
//! (unit, JP still needed, the same candidate pairs) are interchangeable, so the MILP counts
//! them — one integer per *class of people* and offering (`0 ≤ z ≤ class size`), a
//! relaxation of the per-person model, so its bound is valid — and the counts are dealt out
//! to people; when that loses something, the per-person model is solved too. When the MILP
//! proves nothing in its share of the time, the Lagrangian method runs as well. The greedy
//! plan is always computed; the best plan is returned, the tightest valid bound reported.
//!
//! Policies. [`Policy::Gap`] maximises the weighted gap closed. [`Policy::Hak20Jp`] first
//! maximises the number of people reaching the yearly JP target (counting what they already
//! have), then — with that number held — the weighted gap closed: two MILPs in sequence.

use std::collections::HashMap;
use std::time::{Duration, Instant};

mod classes;
mod greedy;
mod lagrange;
mod lp;
mod milp;

pub use greedy::{greedy, ratio};

/// What the plan maximises first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// "Hak 20 JP dulu": the number of people reaching the JP target, then the gap closed.
    #[serde(rename = "hak_20jp")]
    Hak20Jp,
    /// "Gap terbesar": the weighted gap closed; the number reaching the target is reported.
    Gap,
}

#[derive(Debug, Clone)]
pub struct Person {
    /// Index into [`Instance::unit_caps`]'s unit numbering (any stable number per unit).
    pub unit: u32,
    /// JP already earned this year.
    pub jp_have: u32,
}

#[derive(Debug, Clone)]
pub struct Offering {
    pub cost: i64,
    pub jp: u32,
    /// Seats still free; `None` = unlimited (self-paced e-learning).
    pub seats: Option<u32>,
}

/// One person may attend one offering, for this benefit.
#[derive(Debug, Clone)]
pub struct Pair {
    pub person: u32,
    pub offering: u32,
    /// The weighted gap it closes (≥ 0).
    pub benefit: f64,
    /// Exclusive groups: a person takes at most one pair of each key (the course — one class
    /// of a course — and each competency gap it closes, so a gap is never counted twice).
    pub keys: Vec<u32>,
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub people: Vec<Person>,
    pub offerings: Vec<Offering>,
    /// Sorted by (person, offering); at most one pair per person and offering.
    pub pairs: Vec<Pair>,
    pub budget: i64,
    /// Spending caps per unit number.
    pub unit_caps: HashMap<u32, i64>,
    /// Most plan JP one person may be given.
    pub max_jp: u32,
    /// The yearly JP target (20).
    pub jp_target: u32,
    pub policy: Policy,
}

/// A set of chosen pairs and what it achieves.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Indices into [`Instance::pairs`], ascending.
    pub chosen: Vec<usize>,
    pub total_cost: i64,
    pub benefit: f64,
    /// People at or above the JP target with the plan (everyone in the instance).
    pub reaching: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The MILP's plan (proven optimal when the gap is 0).
    Milp,
    /// Large instances: rounded from the prices of a Lagrangian relaxation.
    Lagrange,
    /// The greedy plan was as good or better (or the solver had no answer in time).
    Greedy,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub plan: Plan,
    pub greedy: Plan,
    pub method: Method,
    /// Upper bound on the weighted gap closed (for `Hak20Jp`: with `reaching` people reaching).
    pub bound: f64,
    /// Upper bound on the number reaching the target.
    pub bound_reaching: u32,
    /// Relative distance to the bound on the policy's first objective (0 = proven optimal).
    pub optimality_gap: f64,
    pub solve_ms: u64,
    /// Classes of interchangeable people the MILP counted (≤ people).
    pub classes: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Wall-clock budget for the solver (the greedy plan is always ready).
    pub time_limit: Duration,
    /// Above this many pairs the per-person re-solve is skipped.
    pub exact_pairs_limit: usize,
    /// Above this many class–offering columns the MILP is not tried; the Lagrangian method
    /// answers alone. Measured in bench/RESULTS.md.
    pub mip_columns_limit: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(8),
            // The per-person model has a column per pair: the same size microlp proves.
            exact_pairs_limit: lp::MIP_COLUMNS_LIMIT,
            mip_columns_limit: lp::MIP_COLUMNS_LIMIT,
        }
    }
}

/// Why a plan breaks the rules (used by tests and as the last guard before a plan is saved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Violation {
    Budget,
    UnitCap(u32),
    Seats(u32),
    Exclusive { person: u32, key: u32 },
    Jp(u32),
    UnknownPair(usize),
}

/// Checks every constraint and returns the plan's value.
pub fn evaluate(inst: &Instance, chosen: &[usize]) -> Result<Plan, Violation> {
    let mut state = State::new(inst);
    for &i in chosen {
        if i >= inst.pairs.len() {
            return Err(Violation::UnknownPair(i));
        }
        state.violation(inst, i).map_or(Ok(()), Err)?;
        state.add(inst, i);
    }
    Ok(state.into_plan(inst))
}

/// Solves the instance: the MILP for models the solver answers in time, Lagrangian prices
/// for the rest (and whenever the MILP proved nothing), greedy beside both; the best plan is
/// kept and the tightest of the valid bounds reported.
pub fn solve(inst: &Instance, opts: &Options) -> Outcome {
    let started = Instant::now();
    let greedy_plan = greedy(inst);
    let classes = classes::Classes::of(inst);
    let deadline = started + opts.time_limit;
    let columns: usize = classes.list.iter().map(|c| c.pairs.len()).sum();
    let mut found: Vec<(milp::MilpResult, Method)> = Vec::new();
    if columns <= opts.mip_columns_limit {
        let mip_deadline = started + opts.time_limit.mul_f64(lp::TIME_SHARE);
        if let Some(m) = milp::solve(inst, &classes, mip_deadline, opts, &greedy_plan) {
            found.push((m, Method::Milp));
        }
    }
    let proven = found.iter().any(|(m, _)| proven_optimal(inst, m));
    if !proven && Instant::now() < deadline {
        let start = found.first().map_or(&greedy_plan, |(m, _)| &m.plan);
        found.push((lagrange::solve(inst, deadline, start), Method::Lagrange));
    }
    let mut plan = greedy_plan.clone();
    let mut method = Method::Greedy;
    let mut bound = f64::INFINITY;
    let mut bound_reaching = inst.people.len() as u32;
    for (m, how) in found {
        bound = bound.min(m.bound);
        bound_reaching = bound_reaching.min(m.bound_reaching);
        if better(inst.policy, &m.plan, &plan) {
            plan = m.plan;
            method = how;
        }
    }
    let bound = bound.max(plan.benefit);
    let bound_reaching = bound_reaching.max(plan.reaching);
    Outcome {
        optimality_gap: optimality_gap(inst.policy, &plan, bound, bound_reaching),
        plan,
        greedy: greedy_plan,
        method,
        bound,
        bound_reaching,
        solve_ms: started.elapsed().as_millis() as u64,
        classes: classes.len(),
    }
}

/// A plan that starts from `chosen` (a plan of a smaller budget of the same people and
/// classes; pairs that no longer fit are skipped) and is filled greedily. Used to keep the
/// what-if curve from dipping: a larger budget never shows less than a smaller one.
pub fn extend(inst: &Instance, chosen: &[usize]) -> Plan {
    let mut state = State::new(inst);
    for &i in chosen {
        if i < inst.pairs.len() && state.fits(inst, i) {
            state.add(inst, i);
        }
    }
    greedy::fill(inst, &mut state);
    state.into_plan(inst)
}

/// A plan within a smaller budget made only of `chosen`'s pairs (a plan of a larger budget),
/// so it never shows more than `chosen` on any count: under `Hak20Jp` first the whole
/// bundles that bring people to the target, cheapest first; then pairs by benefit per
/// rupiah. Keeps the what-if curve below the plan.
pub fn shrink(inst: &Instance, chosen: &[usize]) -> Plan {
    let chosen: Vec<usize> = chosen
        .iter()
        .copied()
        .filter(|&i| i < inst.pairs.len())
        .collect();
    let mut state = State::new(inst);
    if inst.policy == Policy::Hak20Jp {
        let mut bundles: HashMap<u32, Vec<usize>> = HashMap::new();
        for &i in &chosen {
            bundles.entry(inst.pairs[i].person).or_default().push(i);
        }
        let offering = |i: usize| &inst.offerings[inst.pairs[i].offering as usize];
        let mut reaching: Vec<(i64, u32, Vec<usize>)> = bundles
            .into_iter()
            .filter(|(p, pairs)| {
                let have = inst.people[*p as usize].jp_have;
                let jp: u32 = pairs.iter().map(|&i| offering(i).jp).sum();
                have < inst.jp_target && have + jp >= inst.jp_target
            })
            .map(|(p, pairs)| (pairs.iter().map(|&i| offering(i).cost).sum(), p, pairs))
            .collect();
        reaching.sort();
        for (_, _, pairs) in reaching {
            let mut added = Vec::new();
            for &i in &pairs {
                if !state.fits(inst, i) {
                    break;
                }
                state.add(inst, i);
                added.push(i);
            }
            if added.len() < pairs.len() {
                for i in added {
                    state.remove(inst, i);
                }
            }
        }
    }
    let mut rest: Vec<usize> = chosen.into_iter().filter(|&i| !state.chosen[i]).collect();
    rest.sort_by(|&a, &b| ratio(inst, b).total_cmp(&ratio(inst, a)).then(a.cmp(&b)));
    for i in rest {
        if state.fits(inst, i) {
            state.add(inst, i);
        }
    }
    state.into_plan(inst)
}

/// `a` shows at least as much as `b` on both counts: people reaching the target and the
/// weighted gap closed.
pub fn dominates(a: &Plan, b: &Plan) -> bool {
    a.reaching >= b.reaching && a.benefit + 1e-9 >= b.benefit
}

impl Outcome {
    /// Takes `plan` when it is better (it must keep the instance's rules); the bounds stay,
    /// the optimality gap is recomputed.
    pub fn adopt(&mut self, inst: &Instance, plan: Plan) {
        if !better(inst.policy, &plan, &self.plan) {
            return;
        }
        self.plan = plan;
        self.bound = self.bound.max(self.plan.benefit);
        self.bound_reaching = self.bound_reaching.max(self.plan.reaching);
        self.optimality_gap =
            optimality_gap(inst.policy, &self.plan, self.bound, self.bound_reaching);
    }
}

fn optimality_gap(policy: Policy, plan: &Plan, bound: f64, bound_reaching: u32) -> f64 {
    let gap = match policy {
        Policy::Hak20Jp if plan.reaching < bound_reaching => {
            f64::from(bound_reaching - plan.reaching) / f64::from(bound_reaching)
        }
        // A solver's bound carries rounding noise (≈ 1e-16 on an empty plan).
        _ if bound.is_finite() && bound - plan.benefit <= 1e-9 * bound.abs().max(1.0) => 0.0,
        _ if bound > 0.0 && bound.is_finite() => (bound - plan.benefit) / bound,
        _ if bound.is_finite() => 0.0,
        _ => 1.0,
    };
    gap.max(0.0)
}

/// The MILP's plan meets its own bounds (nothing left for the Lagrangian method to prove).
fn proven_optimal(inst: &Instance, m: &milp::MilpResult) -> bool {
    let benefit = m.bound.is_finite() && m.plan.benefit + 1e-6 >= m.bound * (1.0 - 1e-5);
    match inst.policy {
        Policy::Gap => benefit,
        Policy::Hak20Jp => m.plan.reaching >= m.bound_reaching && benefit,
    }
}

/// `a` is strictly better than `b` under the policy (benefits compared to 1e-9).
pub fn better(policy: Policy, a: &Plan, b: &Plan) -> bool {
    let benefit = a.benefit > b.benefit + 1e-9;
    match policy {
        Policy::Gap => benefit,
        Policy::Hak20Jp => a.reaching > b.reaching || (a.reaching == b.reaching && benefit),
    }
}

/// Running totals while a plan is built; every addition is checked first.
#[derive(Debug, Clone)]
pub(crate) struct State {
    pub chosen: Vec<bool>,
    pub spent: i64,
    pub unit_spent: HashMap<u32, i64>,
    pub seats_used: Vec<u32>,
    pub person_jp: Vec<u32>,
    /// Keys each person has used (short lists).
    pub person_keys: Vec<Vec<u32>>,
    pub benefit: f64,
}

impl State {
    pub fn new(inst: &Instance) -> Self {
        Self {
            chosen: vec![false; inst.pairs.len()],
            spent: 0,
            unit_spent: HashMap::new(),
            seats_used: vec![0; inst.offerings.len()],
            person_jp: vec![0; inst.people.len()],
            person_keys: vec![Vec::new(); inst.people.len()],
            benefit: 0.0,
        }
    }

    pub fn violation(&self, inst: &Instance, i: usize) -> Option<Violation> {
        let pair = &inst.pairs[i];
        let offering = &inst.offerings[pair.offering as usize];
        let person = pair.person as usize;
        let unit = inst.people[person].unit;
        if self.chosen[i] {
            return Some(Violation::UnknownPair(i));
        }
        if self.spent + offering.cost > inst.budget {
            return Some(Violation::Budget);
        }
        if let Some(&cap) = inst.unit_caps.get(&unit)
            && self.unit_spent.get(&unit).copied().unwrap_or(0) + offering.cost > cap
        {
            return Some(Violation::UnitCap(unit));
        }
        if let Some(seats) = offering.seats
            && self.seats_used[pair.offering as usize] >= seats
        {
            return Some(Violation::Seats(pair.offering));
        }
        if self.person_jp[person] + offering.jp > inst.max_jp {
            return Some(Violation::Jp(pair.person));
        }
        if let Some(&key) = pair
            .keys
            .iter()
            .find(|k| self.person_keys[person].contains(k))
        {
            return Some(Violation::Exclusive {
                person: pair.person,
                key,
            });
        }
        None
    }

    pub fn fits(&self, inst: &Instance, i: usize) -> bool {
        self.violation(inst, i).is_none()
    }

    pub fn add(&mut self, inst: &Instance, i: usize) {
        let pair = &inst.pairs[i];
        let offering = &inst.offerings[pair.offering as usize];
        let person = pair.person as usize;
        self.chosen[i] = true;
        self.spent += offering.cost;
        *self.unit_spent.entry(inst.people[person].unit).or_insert(0) += offering.cost;
        self.seats_used[pair.offering as usize] += 1;
        self.person_jp[person] += offering.jp;
        self.person_keys[person].extend_from_slice(&pair.keys);
        self.benefit += pair.benefit;
    }

    pub fn remove(&mut self, inst: &Instance, i: usize) {
        let pair = &inst.pairs[i];
        let offering = &inst.offerings[pair.offering as usize];
        let person = pair.person as usize;
        self.chosen[i] = false;
        self.spent -= offering.cost;
        *self.unit_spent.entry(inst.people[person].unit).or_insert(0) -= offering.cost;
        self.seats_used[pair.offering as usize] -= 1;
        self.person_jp[person] -= offering.jp;
        self.person_keys[person].retain(|k| !pair.keys.contains(k));
        self.benefit -= pair.benefit;
    }

    pub fn into_plan(self, inst: &Instance) -> Plan {
        let chosen: Vec<usize> = self
            .chosen
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i)
            .collect();
        let reaching = inst
            .people
            .iter()
            .zip(&self.person_jp)
            .filter(|(p, jp)| p.jp_have + **jp >= inst.jp_target)
            .count() as u32;
        // Summed in index order so equal plans have bit-equal benefits.
        let benefit = chosen.iter().map(|&i| inst.pairs[i].benefit).sum();
        Plan {
            chosen,
            total_cost: self.spent,
            benefit,
            reaching,
        }
    }
}

#[cfg(test)]
mod tests;
