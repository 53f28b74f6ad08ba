//! People who are interchangeable for the optimizer: same unit, same JP still needed (for
//! the 20-JP policy) and the same candidate pairs (offering, benefit, keys).

use std::collections::HashMap;

use crate::greedy::person_ranges;
use crate::{Instance, Policy};

#[derive(Debug, Clone)]
pub(crate) struct Class {
    /// People, in the order plans are dealt out to them.
    pub members: Vec<u32>,
    /// Index of each member's first pair; member `m`'s pair `k` is `starts[m] + k`.
    pub starts: Vec<usize>,
    /// The representative's pairs (the first member's).
    pub pairs: std::ops::Range<usize>,
    /// JP still needed to reach the target (0 under `Policy::Gap`, or when already reached).
    pub need: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Classes {
    pub list: Vec<Class>,
}

type Signature = (u32, u32, Vec<(u32, u64, Vec<u32>)>);

impl Classes {
    /// Groups identical people; people without candidate pairs are left out.
    pub fn of(inst: &Instance) -> Self {
        Self::build(inst, true)
    }

    /// One class per person (the exact per-person model).
    pub fn singletons(inst: &Instance) -> Self {
        Self::build(inst, false)
    }

    fn build(inst: &Instance, group: bool) -> Self {
        let ranges = person_ranges(inst);
        let mut index: HashMap<Signature, usize> = HashMap::new();
        let mut list: Vec<Class> = Vec::new();
        for (person, range) in ranges.iter().enumerate() {
            if range.is_empty() {
                continue;
            }
            let need = need(inst, person);
            let push_new = |list: &mut Vec<Class>| {
                list.push(Class {
                    members: vec![person as u32],
                    starts: vec![range.start],
                    pairs: range.clone(),
                    need,
                });
                list.len() - 1
            };
            if !group {
                push_new(&mut list);
                continue;
            }
            let signature: Signature = (
                inst.people[person].unit,
                need,
                inst.pairs[range.clone()]
                    .iter()
                    .map(|p| (p.offering, p.benefit.to_bits(), p.keys.clone()))
                    .collect(),
            );
            match index.get(&signature) {
                Some(&c) => {
                    list[c].members.push(person as u32);
                    list[c].starts.push(range.start);
                }
                None => {
                    let c = push_new(&mut list);
                    index.insert(signature, c);
                }
            }
        }
        if inst.policy == Policy::Gap {
            // Among interchangeable people, plan JP goes first to those it brings to the target.
            for class in &mut list {
                let mut order: Vec<usize> = (0..class.members.len()).collect();
                order.sort_by_key(|&m| {
                    let have = inst.people[class.members[m] as usize].jp_have;
                    (
                        have >= inst.jp_target,
                        std::cmp::Reverse(have),
                        class.members[m],
                    )
                });
                class.members = order.iter().map(|&m| class.members[m]).collect();
                class.starts = order.iter().map(|&m| class.starts[m]).collect();
            }
        }
        Self { list }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }
}

fn need(inst: &Instance, person: usize) -> u32 {
    match inst.policy {
        Policy::Gap => 0,
        Policy::Hak20Jp => inst.jp_target.saturating_sub(inst.people[person].jp_have),
    }
}
