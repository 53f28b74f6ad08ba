//! The optimizer on generated instances shaped like the demo regency (`cargo bench -p
//! cakap-plan`): 4,500 ASN × 200 classes, and a 100,000-ASN instance. Prints time, the plan,
//! the bound, the optimality gap, the greedy plan and the peak memory.
//! `PLAN_PEOPLE=…`, `PLAN_OFFERINGS=…`, `PLAN_SECONDS=…` run one instance of your choice.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cakap_plan::{Instance, Offering, Options, Pair, Person, Policy, solve};

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn instance(people_n: usize, offerings_n: usize, policy: Policy) -> Instance {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let competencies = 40u32;
    let weight = |k: u32| if k < 8 { 2.0 } else { 1.0 };
    // Positions: 12 competencies each, required levels 2–4.
    let positions: Vec<Vec<(u32, u32)>> = (0..300)
        .map(|_| {
            let mut standard: Vec<(u32, u32)> = Vec::new();
            while standard.len() < 12 {
                let k = rng.below(u64::from(competencies)) as u32;
                if !standard.iter().any(|(c, _)| *c == k) {
                    standard.push((k, 2 + rng.below(3) as u32));
                }
            }
            standard
        })
        .collect();
    // Courses: 1–2 target competencies at levels 2–4.
    let courses: Vec<Vec<(u32, u32)>> = (0..70)
        .map(|_| {
            (0..1 + rng.below(2))
                .map(|_| {
                    (
                        rng.below(u64::from(competencies)) as u32,
                        2 + rng.below(3) as u32,
                    )
                })
                .collect()
        })
        .collect();
    let mut course_of = Vec::new();
    let offerings: Vec<Offering> = (0..offerings_n)
        .map(|_| {
            course_of.push(rng.below(courses.len() as u64) as usize);
            if rng.below(100) < 15 {
                Offering {
                    cost: 0,
                    jp: 4 + 4 * rng.below(2) as u32,
                    seats: Some(10 + rng.below(10) as u32),
                }
            } else {
                Offering {
                    cost: 500_000 + 250_000 * rng.below(15) as i64,
                    jp: 8 + 8 * rng.below(4) as u32,
                    seats: if rng.below(10) == 0 {
                        None
                    } else {
                        Some(20 + rng.below(21) as u32)
                    },
                }
            }
        })
        .collect();
    let mut people = Vec::with_capacity(people_n);
    let mut pairs = Vec::new();
    for person in 0..people_n {
        let position = rng.below(positions.len() as u64) as usize;
        let levels: Vec<(u32, u32, u32)> = positions[position]
            .iter()
            .map(|&(k, required)| {
                let gap = match rng.below(10) {
                    0..=5 => 0,
                    6..=8 => 1,
                    _ => 2,
                };
                (k, required, required.saturating_sub(gap))
            })
            .collect();
        let jp_have = match rng.below(10) {
            0..=3 => 0,
            4..=7 => 4 * (1 + rng.below(4) as u32),
            _ => 20 + rng.below(10) as u32,
        };
        people.push(Person {
            unit: (position % 40) as u32,
            jp_have,
        });
        for (o, &course) in course_of.iter().enumerate() {
            let mut benefit = 0.0;
            let mut keys = vec![course as u32];
            for &(k, target) in &courses[course] {
                if let Some(&(_, required, level)) = levels.iter().find(|(c, _, _)| *c == k) {
                    let reach = target.min(required);
                    if level < reach {
                        benefit += weight(k) * f64::from(reach - level);
                        keys.push(1000 + k);
                    }
                }
            }
            if benefit > 0.0 {
                pairs.push(Pair {
                    person: person as u32,
                    offering: o as u32,
                    benefit,
                    keys,
                });
            }
        }
    }
    let full: i64 = offerings
        .iter()
        .map(|o| o.cost * i64::from(o.seats.unwrap_or(40)))
        .sum();
    Instance {
        people,
        offerings,
        pairs,
        budget: full * 3 / 10,
        unit_caps: HashMap::new(),
        max_jp: 40,
        jp_target: 20,
        policy,
    }
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn run(people: usize, offerings: usize, policy: Policy, seconds: f64) {
    let built = Instant::now();
    let inst = instance(people, offerings, policy);
    let build_ms = built.elapsed().as_millis();
    let opts = Options {
        time_limit: Duration::from_secs_f64(seconds),
        ..Options::default()
    };
    let out = solve(&inst, &opts);
    println!(
        "{people:>7} ASN × {offerings} classes, {policy:?}: {} pairs, {} classes of people (built in {build_ms} ms)\n  \
         solved in {:.2} s ({:?}): gap closed {:.1}, reaching 20 JP {}, cost {} \n  \
         bound {:.1} (reaching ≤ {}), optimality gap {:.2} %\n  \
         greedy: gap closed {:.1} ({:.2} % below the bound), reaching {}\n  peak memory {:.0} MiB",
        inst.pairs.len(),
        out.classes,
        out.solve_ms as f64 / 1000.0,
        out.method,
        out.plan.benefit,
        out.plan.reaching,
        out.plan.total_cost,
        out.bound,
        out.bound_reaching,
        out.optimality_gap * 100.0,
        out.greedy.benefit,
        (out.bound - out.greedy.benefit) / out.bound * 100.0,
        out.greedy.reaching,
        peak_rss_mib(),
    );
}

fn main() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
    if let Some(people) = env("PLAN_PEOPLE") {
        let offerings = env("PLAN_OFFERINGS").unwrap_or(200.0) as usize;
        let seconds = env("PLAN_SECONDS").unwrap_or(8.0);
        for policy in [Policy::Gap, Policy::Hak20Jp] {
            run(people as usize, offerings, policy, seconds);
        }
        return;
    }
    run(4_500, 200, Policy::Gap, 8.0);
    run(4_500, 200, Policy::Hak20Jp, 8.0);
    run(100_000, 200, Policy::Gap, 30.0);
    run(100_000, 200, Policy::Hak20Jp, 30.0);
}
