//! The MILP over classes of interchangeable people (solved through [`crate::lp`]).

use std::collections::HashMap;
use std::time::Instant;

use crate::classes::Classes;
use crate::greedy::fill;
use crate::lp::Model;
use crate::{Instance, Options, Plan, Policy, State};

pub(crate) struct MilpResult {
    pub plan: Plan,
    /// Upper bound on the weighted gap closed (given `reaching` for the 20-JP policy).
    pub bound: f64,
    pub bound_reaching: u32,
}

pub(crate) fn solve(
    inst: &Instance,
    classes: &Classes,
    deadline: Instant,
    opts: &Options,
    greedy: &Plan,
) -> Option<MilpResult> {
    if classes.len() == 0 {
        return Some(MilpResult {
            plan: greedy.clone(),
            bound: 0.0,
            bound_reaching: greedy.reaching,
        });
    }
    let aggregated = run(inst, classes, deadline)?;
    let exact_worth_it = aggregated.lost
        && classes.list.iter().any(|c| c.members.len() > 1)
        && inst.pairs.len() <= opts.exact_pairs_limit
        && Instant::now() < deadline;
    if exact_worth_it && let Some(exact) = run(inst, &Classes::singletons(inst), deadline) {
        // Both bounds are valid; the exact model's plan wins unless it had too little time.
        let bound = exact.result.bound.min(aggregated.result.bound);
        let bound_reaching = exact
            .result
            .bound_reaching
            .min(aggregated.result.bound_reaching);
        let plan = if crate::better(inst.policy, &aggregated.result.plan, &exact.result.plan) {
            aggregated.result.plan
        } else {
            exact.result.plan
        };
        return Some(MilpResult {
            plan,
            bound,
            bound_reaching,
        });
    }
    Some(aggregated.result)
}

struct Run {
    result: MilpResult,
    /// Dealing the class solution out to people lost some of its value.
    lost: bool,
}

/// Column numbers of the model.
struct Layout {
    /// First z column of each class (one per representative pair).
    z: Vec<usize>,
    /// The class's "members reaching the target" column, if it needs JP.
    y: Vec<Option<usize>>,
}

#[derive(Clone, Copy)]
enum Stage {
    /// Maximise the number reaching the target (benefit as a tie-break worth < 1).
    Reach { epsilon: f64 },
    /// Maximise the benefit, with at least this many reaching (20-JP policy).
    Benefit { min_reach: Option<u32> },
}

fn run(inst: &Instance, classes: &Classes, deadline: Instant) -> Option<Run> {
    let already = already_reached(inst);

    match inst.policy {
        Policy::Gap => {
            let (values, dual) = optimise(
                inst,
                classes,
                Stage::Benefit { min_reach: None },
                time_left(deadline, 1.0),
            )?;
            let (plan, dropped) = deal(inst, classes, &values);
            let lost = dropped > 0 || plan.benefit + 1e-9 < value(inst, classes, &values);
            let reaching = plan.reaching;
            Some(Run {
                result: MilpResult {
                    plan,
                    bound: dual,
                    bound_reaching: reaching,
                },
                lost,
            })
        }
        Policy::Hak20Jp => {
            let total: f64 = inst.pairs.iter().map(|p| p.benefit).sum();
            let epsilon = 1.0 / (total + 1.0);
            let (first, dual1) = optimise(
                inst,
                classes,
                Stage::Reach { epsilon },
                time_left(deadline, 0.5),
            )?;
            let layout = layout(inst, classes);
            let reach1: u32 = layout
                .y
                .iter()
                .flatten()
                .map(|&c| first[c].round() as u32)
                .sum();
            let bound_reaching = already + (dual1 + 1e-6).floor().max(0.0) as u32;
            // B ≤ (dual1 − reach) / ε for every plan reaching at least reach1 people.
            let mut bound = (dual1 - f64::from(reach1)) / epsilon;
            let mut values = first;
            let mut reach = reach1;
            if let Some((second, dual2)) = optimise(
                inst,
                classes,
                Stage::Benefit {
                    min_reach: Some(reach1),
                },
                time_left(deadline, 1.0),
            ) {
                reach = layout
                    .y
                    .iter()
                    .flatten()
                    .map(|&c| second[c].round() as u32)
                    .sum();
                values = second;
                bound = bound.min(dual2);
            }
            let (plan, dropped) = deal(inst, classes, &values);
            let lost = dropped > 0
                || plan.reaching < already + reach
                || plan.benefit + 1e-9 < value(inst, classes, &values);
            Some(Run {
                result: MilpResult {
                    plan,
                    bound,
                    bound_reaching,
                },
                lost,
            })
        }
    }
}

/// The weighted gap closed by a class solution.
fn value(inst: &Instance, classes: &Classes, values: &[f64]) -> f64 {
    let layout = layout(inst, classes);
    let mut total = 0.0;
    for (g, class) in classes.list.iter().enumerate() {
        for (k, i) in class.pairs.clone().enumerate() {
            total += values[layout.z[g] + k].round() * inst.pairs[i].benefit;
        }
    }
    total
}

fn already_reached(inst: &Instance) -> u32 {
    inst.people
        .iter()
        .filter(|p| p.jp_have >= inst.jp_target)
        .count() as u32
}

/// Seconds left until the deadline, times `share` (at least a little, so the solver can answer).
fn time_left(deadline: Instant, share: f64) -> f64 {
    let left = deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64();
    (left * share).max(0.05)
}

fn layout(inst: &Instance, classes: &Classes) -> Layout {
    let mut z = Vec::with_capacity(classes.len());
    let mut y = Vec::with_capacity(classes.len());
    let mut columns = 0;
    for class in &classes.list {
        z.push(columns);
        columns += class.pairs.len();
        if inst.policy == Policy::Hak20Jp && class.need > 0 {
            y.push(Some(columns));
            columns += 1;
        } else {
            y.push(None);
        }
    }
    Layout { z, y }
}

/// Builds and solves one stage; returns the column values and the solver's dual bound.
fn optimise(
    inst: &Instance,
    classes: &Classes,
    stage: Stage,
    seconds: f64,
) -> Option<(Vec<f64>, f64)> {
    let layout = layout(inst, classes);
    let mut pb = Model::default();
    type Entries = Vec<(usize, f64)>;
    let mut by_offering: HashMap<u32, Entries> = HashMap::new();
    let mut by_unit: HashMap<u32, Entries> = HashMap::new();
    let mut budget_row = Vec::new();
    let mut reach_row = Vec::new();
    let mut class_rows: Vec<(f64, Entries)> = Vec::new();
    let mut need_rows: Vec<Entries> = Vec::new();
    for (g, class) in classes.list.iter().enumerate() {
        let n = class.members.len() as f64;
        let unit = inst.people[class.members[0] as usize].unit;
        let mut cols = Vec::with_capacity(class.pairs.len());
        for i in class.pairs.clone() {
            let pair = &inst.pairs[i];
            let offering = &inst.offerings[pair.offering as usize];
            let upper = if offering.jp > inst.max_jp {
                0.0
            } else {
                offering.seats.map_or(n, |s| n.min(f64::from(s)))
            };
            let objective = match stage {
                Stage::Reach { epsilon } => epsilon * pair.benefit,
                Stage::Benefit { .. } => pair.benefit,
            };
            let col = pb.column(objective, upper);
            cols.push((col, i));
            let cost = offering.cost as f64;
            if offering.cost != 0 {
                budget_row.push((col, cost));
                if inst.unit_caps.contains_key(&unit) {
                    by_unit.entry(unit).or_default().push((col, cost));
                }
            }
            if offering.seats.is_some() {
                by_offering
                    .entry(pair.offering)
                    .or_default()
                    .push((col, 1.0));
            }
        }
        // At most one pair per key per person → at most n per class.
        let mut keys: HashMap<u32, Entries> = HashMap::new();
        for &(col, i) in &cols {
            let mut pair_keys = inst.pairs[i].keys.clone();
            pair_keys.sort_unstable();
            pair_keys.dedup();
            for key in pair_keys {
                keys.entry(key).or_default().push((col, 1.0));
            }
        }
        let mut keys: Vec<_> = keys.into_iter().filter(|(_, v)| v.len() > 1).collect();
        keys.sort_by_key(|(k, _)| *k);
        for (_, row) in keys {
            class_rows.push((n, row));
        }
        let jp_row: Entries = cols
            .iter()
            .map(|&(col, i)| {
                (
                    col,
                    f64::from(inst.offerings[inst.pairs[i].offering as usize].jp),
                )
            })
            .collect();
        let most: f64 = jp_row.iter().map(|(_, jp)| jp * n).sum();
        if most > f64::from(inst.max_jp) * n {
            class_rows.push((f64::from(inst.max_jp) * n, jp_row.clone()));
        }
        if layout.y[g].is_some() {
            let objective = match stage {
                Stage::Reach { .. } => 1.0,
                Stage::Benefit { .. } => 0.0,
            };
            let y = pb.column(objective, n);
            let mut row = jp_row;
            row.push((y, -f64::from(class.need)));
            need_rows.push(row);
            reach_row.push((y, 1.0));
        }
    }
    pb.at_most(budget_row, inst.budget as f64);
    let mut units: Vec<_> = by_unit.into_iter().collect();
    units.sort_by_key(|(u, _)| *u);
    for (unit, row) in units {
        pb.at_most(row, inst.unit_caps[&unit] as f64);
    }
    let mut offerings: Vec<_> = by_offering.into_iter().collect();
    offerings.sort_by_key(|(o, _)| *o);
    for (offering, row) in offerings {
        let seats = inst.offerings[offering as usize].seats.unwrap_or(u32::MAX);
        pb.at_most(row, f64::from(seats));
    }
    for (limit, row) in class_rows {
        pb.at_most(row, limit);
    }
    for row in need_rows {
        pb.at_least(row, 0.0);
    }
    if let Stage::Benefit { min_reach: Some(r) } = stage {
        pb.at_least(reach_row, f64::from(r));
    }
    let solved = pb.maximise(seconds)?;
    Some((solved.values, solved.bound))
}

/// Gives each class's counts to its members (first fit, largest JP first, those still short
/// of the target first), then fills greedily. Returns the plan and the copies nobody could take.
fn deal(inst: &Instance, classes: &Classes, values: &[f64]) -> (Plan, usize) {
    let layout = layout(inst, classes);
    let mut state = State::new(inst);
    let mut dropped = 0;
    for (g, class) in classes.list.iter().enumerate() {
        let n = class.members.len();
        let mut ks: Vec<(usize, usize)> = (0..class.pairs.len())
            .map(|k| {
                (
                    k,
                    values[layout.z[g] + k].round().clamp(0.0, n as f64) as usize,
                )
            })
            .filter(|&(_, c)| c > 0)
            .collect();
        let jp = |k: usize| inst.offerings[inst.pairs[class.pairs.start + k].offering as usize].jp;
        ks.sort_by(|a, b| jp(b.0).cmp(&jp(a.0)).then(a.0.cmp(&b.0)));
        for (k, count) in ks {
            for _ in 0..count {
                let short = |m: usize| {
                    let person = class.members[m] as usize;
                    inst.people[person].jp_have + state.person_jp[person] < inst.jp_target
                };
                let fits = |m: usize| state.fits(inst, class.starts[m] + k);
                let pick = (0..n)
                    .find(|&m| short(m) && fits(m))
                    .or_else(|| (0..n).find(|&m| fits(m)));
                match pick {
                    Some(m) => state.add(inst, class.starts[m] + k),
                    None => dropped += 1,
                }
            }
        }
    }
    fill(inst, &mut state);
    (state.into_plan(inst), dropped)
}
