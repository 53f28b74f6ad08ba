//! The greedy ratio heuristic: always computed, reported beside the optimum, and used to
//! fill what the MILP's plan leaves after it is dealt out to people.

use crate::{Instance, Plan, Policy, State};

/// The greedy plan: for `Hak20Jp` first the cheapest bundles that bring people to the JP
/// target, cheapest people first; then pairs by benefit per rupiah (free ones first, by
/// benefit), ties by pair index — deterministic.
pub fn greedy(inst: &Instance) -> Plan {
    let mut state = State::new(inst);
    fill(inst, &mut state);
    state.into_plan(inst)
}

/// Adds to `state` whatever still fits, by the greedy rules.
pub(crate) fn fill(inst: &Instance, state: &mut State) {
    if inst.policy == Policy::Hak20Jp {
        reach(inst, state);
    }
    for i in ratio_order(inst) {
        if !state.chosen[i] && state.fits(inst, i) {
            state.add(inst, i);
        }
    }
}

/// Pairs with a benefit, best benefit per rupiah first.
pub(crate) fn ratio_order(inst: &Instance) -> Vec<usize> {
    let mut order: Vec<usize> = (0..inst.pairs.len())
        .filter(|&i| inst.pairs[i].benefit > 0.0)
        .collect();
    order.sort_by(|&a, &b| {
        ratio(inst, b).total_cmp(&ratio(inst, a)).then_with(|| {
            inst.pairs[b]
                .benefit
                .total_cmp(&inst.pairs[a].benefit)
                .then(a.cmp(&b))
        })
    });
    order
}

/// Benefit per rupiah (free pairs: infinite).
pub fn ratio(inst: &Instance, i: usize) -> f64 {
    let pair = &inst.pairs[i];
    let cost = inst.offerings[pair.offering as usize].cost;
    if cost <= 0 {
        f64::INFINITY
    } else {
        pair.benefit / cost as f64
    }
}

/// Index ranges of each person's pairs (pairs are sorted by person).
pub(crate) fn person_ranges(inst: &Instance) -> Vec<std::ops::Range<usize>> {
    let mut ranges = vec![0..0; inst.people.len()];
    let mut start = 0;
    while start < inst.pairs.len() {
        let person = inst.pairs[start].person;
        let mut end = start;
        while end < inst.pairs.len() && inst.pairs[end].person == person {
            end += 1;
        }
        ranges[person as usize] = start..end;
        start = end;
    }
    ranges
}

struct Bundle {
    cost: i64,
    benefit: f64,
    person: usize,
    pairs: Vec<usize>,
}

/// Brings people to the JP target, the cheapest bundles first.
fn reach(inst: &Instance, state: &mut State) {
    let ranges = person_ranges(inst);
    let mut bundles = Vec::new();
    for (person, range) in ranges.iter().enumerate() {
        let have = inst.people[person].jp_have + state.person_jp[person];
        if have >= inst.jp_target || range.is_empty() {
            continue;
        }
        let mut candidates: Vec<usize> = range.clone().filter(|&i| !state.chosen[i]).collect();
        // Cheapest per JP first; more benefit, then lower index, on ties.
        candidates.sort_by(|&a, &b| {
            per_jp(inst, a).total_cmp(&per_jp(inst, b)).then_with(|| {
                inst.pairs[b]
                    .benefit
                    .total_cmp(&inst.pairs[a].benefit)
                    .then(a.cmp(&b))
            })
        });
        let mut trial = Trial::default();
        let mut jp = have;
        for i in candidates {
            if jp >= inst.jp_target {
                break;
            }
            if trial.fits_person(inst, state, i) {
                trial.take(inst, i);
                jp += inst.offerings[inst.pairs[i].offering as usize].jp;
            }
        }
        if jp >= inst.jp_target {
            bundles.push(Bundle {
                cost: trial.cost,
                benefit: trial.benefit,
                person,
                pairs: trial.pairs,
            });
        }
    }
    bundles.sort_by(|a, b| {
        a.cost
            .cmp(&b.cost)
            .then_with(|| b.benefit.total_cmp(&a.benefit))
            .then(a.person.cmp(&b.person))
    });
    for bundle in bundles {
        let mut added = Vec::with_capacity(bundle.pairs.len());
        for &i in &bundle.pairs {
            if state.fits(inst, i) {
                state.add(inst, i);
                added.push(i);
            } else {
                break;
            }
        }
        if added.len() < bundle.pairs.len() {
            for &i in added.iter().rev() {
                state.remove(inst, i);
            }
        }
    }
}

fn per_jp(inst: &Instance, i: usize) -> f64 {
    let offering = &inst.offerings[inst.pairs[i].offering as usize];
    offering.cost as f64 / f64::from(offering.jp.max(1))
}

/// One person's tentative bundle: checks only that person's own rules.
#[derive(Default)]
struct Trial {
    pairs: Vec<usize>,
    keys: Vec<u32>,
    jp: u32,
    cost: i64,
    benefit: f64,
}

impl Trial {
    fn fits_person(&self, inst: &Instance, state: &State, i: usize) -> bool {
        let pair = &inst.pairs[i];
        let person = pair.person as usize;
        let offering = &inst.offerings[pair.offering as usize];
        state.person_jp[person] + self.jp + offering.jp <= inst.max_jp
            && !pair
                .keys
                .iter()
                .any(|k| self.keys.contains(k) || state.person_keys[person].contains(k))
    }

    fn take(&mut self, inst: &Instance, i: usize) {
        let pair = &inst.pairs[i];
        let offering = &inst.offerings[pair.offering as usize];
        self.pairs.push(i);
        self.keys.extend_from_slice(&pair.keys);
        self.jp += offering.jp;
        self.cost += offering.cost;
        self.benefit += pair.benefit;
    }
}
