use std::collections::HashMap;
use std::time::Duration;

use proptest::prelude::*;

use super::*;

/// A small random instance from a seed (xorshift), sized for brute force.
fn instance(seed: u64, policy: Policy) -> Instance {
    let mut s = seed | 1;
    let mut next = move |n: u64| {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        s % n
    };
    let people_n = 2 + next(4) as usize;
    let offerings_n = 2 + next(3) as usize;
    let offerings: Vec<Offering> = (0..offerings_n)
        .map(|_| Offering {
            cost: [0, 500_000, 1_000_000, 1_500_000, 2_500_000][next(5) as usize],
            jp: [4, 8, 12, 16, 24][next(5) as usize],
            seats: if next(4) == 0 {
                None
            } else {
                Some(1 + next(3) as u32)
            },
        })
        .collect();
    // Two offerings may share a course (key 0/1); competencies are keys 100+.
    let course: Vec<u32> = (0..offerings_n).map(|_| next(3) as u32).collect();
    let people: Vec<Person> = (0..people_n)
        .map(|_| Person {
            unit: next(2) as u32,
            jp_have: [0, 8, 12, 16, 20][next(5) as usize],
        })
        .collect();
    let mut pairs = Vec::new();
    for person in 0..people_n {
        // Some people are copies of the previous one (interchangeable).
        let copy = person > 0 && next(3) == 0;
        for (offering, &course) in course.iter().enumerate() {
            if pairs.len() >= 12 {
                break;
            }
            let (take, benefit, competency) = if copy {
                let prev: Option<&Pair> = pairs.iter().find(|p: &&Pair| {
                    p.person as usize == person - 1 && p.offering as usize == offering
                });
                match prev {
                    Some(p) => (true, p.benefit, p.keys[1]),
                    None => (false, 0.0, 0),
                }
            } else {
                (next(3) != 0, next(5) as f64 * 0.5, 100 + next(3) as u32)
            };
            if take {
                pairs.push(Pair {
                    person: person as u32,
                    offering: offering as u32,
                    benefit,
                    keys: vec![course, competency],
                });
            }
        }
    }
    let total: i64 = offerings.iter().map(|o| o.cost).sum::<i64>() * 2;
    let budget = total * (1 + next(4) as i64) / 6;
    let mut unit_caps = HashMap::new();
    if next(2) == 0 {
        unit_caps.insert(0, budget / 2);
    }
    Instance {
        people,
        offerings,
        pairs,
        budget,
        unit_caps,
        max_jp: [16, 24, 40][next(3) as usize],
        jp_target: 20,
        policy,
    }
}

/// The best plan by trying every subset of pairs.
fn brute_force(inst: &Instance) -> Plan {
    let n = inst.pairs.len();
    let mut best = evaluate(inst, &[]).expect("the empty plan is feasible");
    for mask in 1u32..(1 << n) {
        let chosen: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        if let Ok(plan) = evaluate(inst, &chosen)
            && better(inst.policy, &plan, &best)
        {
            best = plan;
        }
    }
    best
}

fn options() -> Options {
    Options {
        time_limit: Duration::from_secs(5),
        ..Options::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, .. ProptestConfig::default() })]

    #[test]
    fn optimum_matches_brute_force_and_beats_greedy(seed in any::<u64>(), hak in any::<bool>()) {
        let policy = if hak { Policy::Hak20Jp } else { Policy::Gap };
        let inst = instance(seed, policy);
        let out = solve(&inst, &options());
        // Feasible: budget, unit caps, seats, keys, JP (evaluate checks each).
        let again = evaluate(&inst, &out.plan.chosen).expect("the plan keeps every rule");
        prop_assert_eq!(&again, &out.plan);
        prop_assert!(evaluate(&inst, &out.greedy.chosen).is_ok());
        let best = brute_force(&inst);
        if policy == Policy::Hak20Jp {
            prop_assert_eq!(out.plan.reaching, best.reaching, "people reaching 20 JP");
        }
        {
            prop_assert!((out.plan.benefit - best.benefit).abs() < 1e-6,
                "benefit {} vs brute force {}", out.plan.benefit, best.benefit);
        }
        prop_assert!(!better(policy, &out.greedy, &out.plan), "greedy beat the optimum");
        prop_assert!(out.optimality_gap < 1e-4, "gap {}", out.optimality_gap);
        prop_assert!(out.bound + 1e-6 >= out.plan.benefit);
        // Deterministic: the same input gives the same plan.
        prop_assert_eq!(solve(&inst, &options()).plan, out.plan);
        // The large-instance method: a feasible plan under valid bounds.
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        let lag = crate::lagrange::solve(&inst, deadline, &out.greedy);
        prop_assert!(evaluate(&inst, &lag.plan.chosen).is_ok());
        if policy == Policy::Hak20Jp {
            prop_assert!(lag.bound_reaching >= best.reaching, "count bound {} < {}", lag.bound_reaching, best.reaching);
        } else {
            prop_assert!(lag.bound + 1e-6 >= best.benefit, "bound {} < {}", lag.bound, best.benefit);
        }
    }
}

#[test]
fn interchangeable_people_are_counted_once() {
    let offering = Offering {
        cost: 1_000_000,
        jp: 8,
        seats: Some(30),
    };
    let people: Vec<Person> = (0..100)
        .map(|_| Person {
            unit: 1,
            jp_have: 12,
        })
        .collect();
    let pairs = (0..100)
        .map(|p| Pair {
            person: p,
            offering: 0,
            benefit: 2.0,
            keys: vec![0, 100],
        })
        .collect();
    let inst = Instance {
        people,
        offerings: vec![offering],
        pairs,
        budget: 25_000_000,
        unit_caps: HashMap::new(),
        max_jp: 40,
        jp_target: 20,
        policy: Policy::Hak20Jp,
    };
    let out = solve(&inst, &options());
    assert_eq!(out.classes, 1);
    assert_eq!(out.plan.chosen.len(), 25, "money for 25 of the 30 seats");
    assert_eq!(out.plan.reaching, 25);
    assert_eq!(out.plan.total_cost, 25_000_000);
    assert!(out.optimality_gap < 1e-9);
}

#[test]
fn nothing_to_choose_is_an_empty_proven_plan() {
    let inst = Instance {
        people: vec![
            Person {
                unit: 0,
                jp_have: 24,
            },
            Person {
                unit: 0,
                jp_have: 0,
            },
        ],
        offerings: vec![],
        pairs: vec![],
        budget: 1_000,
        unit_caps: HashMap::new(),
        max_jp: 40,
        jp_target: 20,
        policy: Policy::Hak20Jp,
    };
    let out = solve(&inst, &options());
    assert!(out.plan.chosen.is_empty());
    assert_eq!(out.plan.reaching, 1);
    assert_eq!(out.optimality_gap, 0.0);
}

#[test]
fn evaluate_names_the_broken_rule() {
    let inst = Instance {
        people: vec![Person {
            unit: 7,
            jp_have: 0,
        }],
        offerings: vec![
            Offering {
                cost: 600,
                jp: 30,
                seats: Some(1),
            },
            Offering {
                cost: 600,
                jp: 16,
                seats: Some(1),
            },
        ],
        pairs: vec![
            Pair {
                person: 0,
                offering: 0,
                benefit: 1.0,
                keys: vec![1, 100],
            },
            Pair {
                person: 0,
                offering: 1,
                benefit: 1.0,
                keys: vec![2, 100],
            },
        ],
        budget: 1_000,
        unit_caps: HashMap::from([(7, 500)]),
        max_jp: 40,
        jp_target: 20,
        policy: Policy::Gap,
    };
    assert_eq!(evaluate(&inst, &[0]), Err(Violation::UnitCap(7)));
    let roomy = Instance {
        unit_caps: HashMap::new(),
        budget: 2_000,
        ..inst.clone()
    };
    assert_eq!(evaluate(&roomy, &[0, 1]), Err(Violation::Jp(0)));
    let jp_ok = Instance {
        max_jp: 60,
        ..roomy.clone()
    };
    assert_eq!(
        evaluate(&jp_ok, &[0, 1]),
        Err(Violation::Exclusive {
            person: 0,
            key: 100
        })
    );
    let tight = Instance {
        budget: 1_000,
        ..jp_ok
    };
    assert_eq!(evaluate(&tight, &[9]), Err(Violation::UnknownPair(9)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, .. ProptestConfig::default() })]

    /// The what-if curve's rule: a plan extended to a larger budget keeps every rule and is
    /// never worse than the smaller budget's plan.
    #[test]
    fn a_larger_budget_never_shows_less(seed in any::<u64>(), hak in any::<bool>(), pct in 101i64..300) {
        let policy = if hak { Policy::Hak20Jp } else { Policy::Gap };
        let small = instance(seed, policy);
        let out = solve(&small, &options());
        let large = Instance { budget: small.budget * pct / 100, ..small.clone() };
        let grown = crate::extend(&large, &out.plan.chosen);
        prop_assert!(evaluate(&large, &grown.chosen).is_ok());
        prop_assert!(crate::dominates(&grown, &out.plan), "the larger budget showed less");
        // And down again: a smaller budget made of the larger plan's pairs never shows more.
        let at_large_plan = solve(&large, &options()).plan;
        let shrunk = crate::shrink(&small, &at_large_plan.chosen);
        prop_assert!(evaluate(&small, &shrunk.chosen).is_ok());
        prop_assert!(crate::dominates(&at_large_plan, &shrunk));
        let mut at_large = solve(&large, &options());
        at_large.adopt(&large, grown.clone());
        prop_assert!(!better(policy, &grown, &at_large.plan));
        prop_assert!(at_large.bound + 1e-6 >= at_large.plan.benefit);
    }
}
