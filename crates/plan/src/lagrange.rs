//! Large instances: a Lagrangian relaxation of the coupling rows (budget, unit caps, seats),
//! solved by subgradient steps. Each person's own problem (exclusive keys, JP cap, the 20-JP
//! bonus) is solved exactly by a small branch and bound, so the dual value is a valid upper
//! bound; plans are rounded from each round's prices and filled greedily, the best kept.
//! A MILP solver's branch and bound (even HiGHS's, and even its LP) does not answer in
//! seconds at regency scale (bench/RESULTS.md, 2026-11-29).

use std::ops::Range;
use std::time::Instant;

use crate::greedy::{fill, person_ranges};
use crate::milp::MilpResult;
use crate::{Instance, Plan, Policy, State, better};

/// Costs in millions of rupiah keep prices and benefits on one scale.
const MILLION: f64 = 1e6;
/// Branch-and-bound nodes per person before its relaxed bound is used instead.
const NODES: usize = 4_000;

#[derive(Clone, Copy)]
struct Weights {
    /// Objective weight of a pair's benefit.
    benefit: f64,
    /// Worth of reaching the JP target (0 = not counted).
    reach: f64,
}

struct Prices {
    budget: f64,
    units: Vec<(u32, f64, f64)>, // (unit, cap in millions, price)
    seats: Vec<f64>,
}

pub(crate) fn solve(inst: &Instance, deadline: Instant, greedy: &Plan) -> MilpResult {
    let ranges = person_ranges(inst);
    match inst.policy {
        Policy::Gap => {
            let weights = Weights {
                benefit: 1.0,
                reach: 0.0,
            };
            let (bound, plan) = dual(inst, &ranges, weights, deadline, greedy);
            let reaching = plan.reaching;
            MilpResult {
                plan,
                bound,
                bound_reaching: reaching,
            }
        }
        Policy::Hak20Jp => {
            let total: f64 = inst.pairs.iter().map(|p| p.benefit).sum();
            let weights = Weights {
                benefit: 1.0 / (total + 1.0),
                reach: 1.0,
            };
            let now = Instant::now();
            let half = now + deadline.saturating_duration_since(now) * 3 / 4;
            let (reach_bound, plan) = dual(inst, &ranges, weights, half, greedy);
            // Benefit bound: the gap policy's dual (valid for every plan), briefly.
            let gap_weights = Weights {
                benefit: 1.0,
                reach: 0.0,
            };
            let (bound, _) = dual(inst, &ranges, gap_weights, deadline, &plan);
            let bound_reaching = ((reach_bound + 1e-6).floor() as u32)
                .min(reach_count_bound(inst, &ranges))
                .min(inst.people.len() as u32);
            MilpResult {
                plan,
                bound,
                bound_reaching,
            }
        }
    }
}

fn objective(plan: &Plan, weights: Weights) -> f64 {
    weights.benefit * plan.benefit + weights.reach * f64::from(plan.reaching)
}

/// Subgradient descent on the dual; returns the best (lowest) dual value and the best plan.
fn dual(
    inst: &Instance,
    ranges: &[Range<usize>],
    weights: Weights,
    deadline: Instant,
    start: &Plan,
) -> (f64, Plan) {
    let already = inst
        .people
        .iter()
        .filter(|p| p.jp_have >= inst.jp_target)
        .count() as f64;
    let mut prices = Prices {
        budget: start_price(inst, start, weights),
        units: {
            let mut u: Vec<(u32, f64, f64)> = inst
                .unit_caps
                .iter()
                .map(|(&u, &cap)| (u, cap as f64 / MILLION, 0.0))
                .collect();
            u.sort_by_key(|x| x.0);
            u
        },
        seats: vec![0.0; inst.offerings.len()],
    };
    let mut best_plan = start.clone();
    let mut best_bound = f64::INFINITY;
    let mut theta = 2.0;
    let mut stale = 0;
    let mut chosen = Vec::new();
    let mut iterations = 0;
    for iteration in 0..600 {
        if Instant::now() >= deadline && iteration > 0 {
            break;
        }
        iterations += 1;
        chosen.clear();
        let mut value = weights.reach * already;
        for (person, range) in ranges.iter().enumerate() {
            value += subproblem(inst, person, range.clone(), &prices, weights, &mut chosen);
        }
        // Coupling rows' part of the dual value, and their subgradients.
        let mut spent = 0.0;
        let mut unit_spent = vec![0.0; prices.units.len()];
        let mut seats_used = vec![0.0; inst.offerings.len()];
        for &i in &chosen {
            let pair = &inst.pairs[i];
            let cost = inst.offerings[pair.offering as usize].cost as f64 / MILLION;
            spent += cost;
            let unit = inst.people[pair.person as usize].unit;
            if let Ok(u) = prices.units.binary_search_by_key(&unit, |x| x.0) {
                unit_spent[u] += cost;
            }
            seats_used[pair.offering as usize] += 1.0;
        }
        let budget = inst.budget as f64 / MILLION;
        value += prices.budget * budget;
        value += prices.units.iter().map(|(_, cap, p)| cap * p).sum::<f64>();
        for (o, offering) in inst.offerings.iter().enumerate() {
            if let Some(seats) = offering.seats {
                value += prices.seats[o] * f64::from(seats);
            }
        }
        if value < best_bound - 1e-9 {
            best_bound = value;
            stale = 0;
        } else {
            stale += 1;
            if stale >= 15 {
                theta /= 2.0;
                stale = 0;
            }
        }
        if iteration % 5 == 0 {
            let plan = round(inst, &chosen, &prices, weights);
            if better(inst.policy, &plan, &best_plan) {
                best_plan = plan;
            }
        }
        let lower = objective(&best_plan, weights);
        if best_bound - lower <= 1e-4 * best_bound.abs().max(1e-9) || theta < 1e-4 {
            break;
        }
        let g_budget = budget - spent;
        let g_units: Vec<f64> = prices
            .units
            .iter()
            .zip(&unit_spent)
            .map(|((_, cap, _), s)| cap - s)
            .collect();
        let g_seats: Vec<f64> = inst
            .offerings
            .iter()
            .zip(&seats_used)
            .map(|(o, used)| o.seats.map_or(0.0, |s| f64::from(s) - used))
            .collect();
        // Only components that can move (a zero price with slack stays at zero).
        let norm: f64 = proj(prices.budget, g_budget).powi(2)
            + prices
                .units
                .iter()
                .zip(&g_units)
                .map(|((_, _, p), g)| proj(*p, *g).powi(2))
                .sum::<f64>()
            + prices
                .seats
                .iter()
                .zip(&g_seats)
                .map(|(p, g)| proj(*p, *g).powi(2))
                .sum::<f64>();
        if norm <= 1e-12 {
            break; // the relaxed choice is feasible: prices are optimal
        }
        let step = theta * (value - lower).max(1e-6) / norm;
        prices.budget = (prices.budget - step * g_budget).max(0.0);
        for ((_, _, p), g) in prices.units.iter_mut().zip(&g_units) {
            *p = (*p - step * g).max(0.0);
        }
        for (p, g) in prices.seats.iter_mut().zip(&g_seats) {
            *p = (*p - step * g).max(0.0);
        }
    }
    let plan = round(inst, &chosen, &prices, weights);
    if better(inst.policy, &plan, &best_plan) {
        best_plan = plan;
    }
    if std::env::var_os("PLAN_TRACE").is_some() {
        eprintln!(
            "dual: {iterations} rounds, bound {best_bound:.2}, plan {:.2}",
            objective(&best_plan, weights)
        );
    }
    (best_bound, best_plan)
}

/// A first budget price: the benefit per million of the last pair the plan could pay for.
fn start_price(inst: &Instance, plan: &Plan, weights: Weights) -> f64 {
    plan.chosen
        .iter()
        .map(|&i| {
            let cost = inst.offerings[inst.pairs[i].offering as usize].cost as f64 / MILLION;
            if cost > 0.0 {
                weights.benefit * inst.pairs[i].benefit / cost
            } else {
                f64::INFINITY
            }
        })
        .fold(f64::INFINITY, f64::min)
        .clamp(0.0, 1e6)
        * if plan.total_cost * 100 >= inst.budget * 95 {
            1.0
        } else {
            0.0
        }
}

/// The subgradient component that can move a non-negative price.
fn proj(price: f64, g: f64) -> f64 {
    if price <= 0.0 && g > 0.0 { 0.0 } else { g }
}

fn reduced(inst: &Instance, i: usize, prices: &Prices, weights: Weights) -> f64 {
    let pair = &inst.pairs[i];
    let offering = &inst.offerings[pair.offering as usize];
    let unit = inst.people[pair.person as usize].unit;
    let unit_price = prices
        .units
        .binary_search_by_key(&unit, |x| x.0)
        .map_or(0.0, |u| prices.units[u].2);
    weights.benefit * pair.benefit
        - (prices.budget + unit_price) * offering.cost as f64 / MILLION
        - prices.seats[pair.offering as usize]
}

/// One person's best bundle at these prices (pushed to `chosen`); returns an upper bound on
/// its value (exact unless the search was cut off).
fn subproblem(
    inst: &Instance,
    person: usize,
    range: Range<usize>,
    prices: &Prices,
    weights: Weights,
    chosen: &mut Vec<usize>,
) -> f64 {
    let need = if weights.reach > 0.0 {
        inst.jp_target.saturating_sub(inst.people[person].jp_have)
    } else {
        0
    };
    let bonus = if need > 0 { weights.reach } else { 0.0 };
    let mut items: Vec<(usize, f64)> = range
        .filter(|&i| inst.offerings[inst.pairs[i].offering as usize].jp <= inst.max_jp)
        .map(|i| (i, reduced(inst, i, prices, weights)))
        .filter(|&(_, r)| r > -bonus)
        .collect();
    if items.is_empty() {
        return 0.0;
    }
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut search = Search {
        inst,
        items: &items,
        suffix: suffix_positive(&items),
        need,
        bonus,
        nodes: 0,
        best: 0.0,
        best_set: Vec::new(),
        set: Vec::new(),
        keys: Vec::new(),
    };
    search.go(0, 0, 0.0);
    chosen.extend_from_slice(&search.best_set);
    if search.nodes >= NODES {
        search.suffix[0] + bonus // the relaxed bound
    } else {
        search.best
    }
}

fn suffix_positive(items: &[(usize, f64)]) -> Vec<f64> {
    let mut suffix = vec![0.0; items.len() + 1];
    for k in (0..items.len()).rev() {
        suffix[k] = suffix[k + 1] + items[k].1.max(0.0);
    }
    suffix
}

struct Search<'a> {
    inst: &'a Instance,
    items: &'a [(usize, f64)],
    suffix: Vec<f64>,
    need: u32,
    bonus: f64,
    nodes: usize,
    best: f64,
    best_set: Vec<usize>,
    set: Vec<usize>,
    keys: Vec<u32>,
}

impl Search<'_> {
    fn go(&mut self, k: usize, jp: u32, value: f64) {
        self.nodes += 1;
        let reached = self.need > 0 && jp >= self.need;
        let here = value + if reached { self.bonus } else { 0.0 };
        if here > self.best + 1e-12 {
            self.best = here;
            self.best_set = self.set.clone();
        }
        if k == self.items.len() || self.nodes >= NODES {
            return;
        }
        let bonus_left = if self.need > 0 && !reached {
            self.bonus
        } else {
            0.0
        };
        if value + self.suffix[k] + bonus_left + if reached { self.bonus } else { 0.0 }
            <= self.best + 1e-12
        {
            return;
        }
        let (i, r) = self.items[k];
        let pair = &self.inst.pairs[i];
        let item_jp = self.inst.offerings[pair.offering as usize].jp;
        if jp + item_jp <= self.inst.max_jp && !pair.keys.iter().any(|key| self.keys.contains(key))
        {
            let mark = self.keys.len();
            self.keys.extend_from_slice(&pair.keys);
            self.set.push(i);
            self.go(k + 1, jp + item_jp, value + r);
            self.set.pop();
            self.keys.truncate(mark);
        }
        self.go(k + 1, jp, value);
    }
}

/// A plan from the relaxed choice: (20-JP policy) whole bundles that reach the target,
/// cheapest first; then pairs by reduced value; then the greedy fill.
fn round(inst: &Instance, chosen: &[usize], prices: &Prices, weights: Weights) -> Plan {
    let mut state = State::new(inst);
    let mut order: Vec<(usize, f64)> = chosen
        .iter()
        .map(|&i| (i, reduced(inst, i, prices, weights)))
        .collect();
    if weights.reach > 0.0 {
        // Group by person (chosen is in person order), keep bundles that reach the target.
        let mut bundles: Vec<(i64, Vec<usize>)> = Vec::new();
        let mut start = 0;
        while start < chosen.len() {
            let person = inst.pairs[chosen[start]].person;
            let mut end = start;
            while end < chosen.len() && inst.pairs[chosen[end]].person == person {
                end += 1;
            }
            let bundle = &chosen[start..end];
            let jp: u32 = bundle
                .iter()
                .map(|&i| inst.offerings[inst.pairs[i].offering as usize].jp)
                .sum();
            let have = inst.people[person as usize].jp_have;
            if have < inst.jp_target && have + jp >= inst.jp_target {
                let cost = bundle
                    .iter()
                    .map(|&i| inst.offerings[inst.pairs[i].offering as usize].cost)
                    .sum();
                bundles.push((cost, bundle.to_vec()));
            }
            start = end;
        }
        bundles.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        for (_, bundle) in bundles {
            if bundle.iter().all(|&i| state.fits(inst, i)) {
                let mut added = Vec::new();
                for &i in &bundle {
                    if state.fits(inst, i) {
                        state.add(inst, i);
                        added.push(i);
                    }
                }
                if added.len() < bundle.len() {
                    for &i in added.iter().rev() {
                        state.remove(inst, i);
                    }
                }
            }
        }
    }
    order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (i, _) in order {
        if !state.chosen[i] && state.fits(inst, i) {
            state.add(inst, i);
        }
    }
    fill(inst, &mut state);
    state.into_plan(inst)
}

/// An upper bound on how many people can reach the JP target: each needs at least the
/// cheapest bundle of their own pairs that reaches it (seats and unit caps ignored, which
/// only loosens), and one budget pays for the cheapest bundles first — so counting them in
/// cost order is the most any plan can reach.
fn reach_count_bound(inst: &Instance, ranges: &[Range<usize>]) -> u32 {
    let mut already = 0;
    let mut costs = Vec::new();
    for (person, range) in ranges.iter().enumerate() {
        let have = inst.people[person].jp_have;
        if have >= inst.jp_target {
            already += 1;
        } else if let Some(cost) = cheapest_reach(inst, range.clone(), inst.jp_target - have) {
            costs.push(cost);
        }
    }
    costs.sort_unstable();
    let mut left = inst.budget;
    let mut n = 0;
    for cost in costs {
        if cost > left {
            break;
        }
        left -= cost;
        n += 1;
    }
    already + n
}

/// The least a person's own pairs cost to give `need` JP (keys and the JP limit kept), or a
/// lower bound on it (0) when the search is cut off; `None` when no bundle reaches it.
fn cheapest_reach(inst: &Instance, range: Range<usize>, need: u32) -> Option<i64> {
    let mut items: Vec<(i64, u32, usize)> = range
        .map(|i| {
            let o = &inst.offerings[inst.pairs[i].offering as usize];
            (o.cost, o.jp, i)
        })
        .filter(|&(_, jp, _)| jp > 0 && jp <= inst.max_jp)
        .collect();
    items.sort_unstable();
    let total: u32 = items.iter().map(|x| x.1).sum();
    if total < need {
        return None;
    }
    let mut suffix_jp = vec![0u32; items.len() + 1];
    for k in (0..items.len()).rev() {
        suffix_jp[k] = suffix_jp[k + 1] + items[k].1;
    }
    struct Dfs<'a> {
        inst: &'a Instance,
        items: &'a [(i64, u32, usize)],
        suffix_jp: &'a [u32],
        need: u32,
        best: Option<i64>,
        nodes: usize,
        keys: Vec<u32>,
    }
    impl Dfs<'_> {
        fn go(&mut self, k: usize, jp: u32, cost: i64) {
            self.nodes += 1;
            if jp >= self.need {
                if self.best.is_none_or(|b| cost < b) {
                    self.best = Some(cost);
                }
                return;
            }
            if k == self.items.len()
                || self.nodes >= NODES
                || jp + self.suffix_jp[k] < self.need
                || self.best.is_some_and(|b| cost >= b)
            {
                return;
            }
            let (c, j, i) = self.items[k];
            let keys = &self.inst.pairs[i].keys;
            if jp + j <= self.inst.max_jp && !keys.iter().any(|key| self.keys.contains(key)) {
                let mark = self.keys.len();
                self.keys.extend_from_slice(keys);
                self.go(k + 1, jp + j, cost + c);
                self.keys.truncate(mark);
            }
            self.go(k + 1, jp, cost);
        }
    }
    let mut dfs = Dfs {
        inst,
        items: &items,
        suffix_jp: &suffix_jp,
        need,
        best: None,
        nodes: 0,
        keys: Vec::new(),
    };
    dfs.go(0, 0, 0);
    if dfs.nodes >= NODES {
        // Cut off: nothing cheaper than free is a safe lower bound.
        return Some(0);
    }
    dfs.best
}
