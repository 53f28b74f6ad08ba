//! What other budgets would buy: the what-if curve beside the plan.

use std::time::Duration;

use cakap_plan::{Instance, Options};

use super::{WHAT_IF, WhatIf, round3};

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
pub(super) fn solve(inst: &Instance, seconds: f64) -> (cakap_plan::Outcome, Vec<WhatIf>) {
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
        // A panic on the other thread is a bug to see, not a curve with one point.
        let points = others
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (outcome, points)
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
