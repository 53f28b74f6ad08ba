//! Why each person is in the plan or left out of it. Stored as a code with its values (JSON
//! in `training_plan_assignments.reason` and in the plan's detail) and put into words only
//! when shown, in the reader's language (`crates/web/src/plan_reasons.rs`).

use std::collections::HashMap;

use cakap_domain::learning::JP_TARGET;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::LeftOut;
use super::instance::Built;

/// A competency a class closes for the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GapClosed {
    pub competency: String,
    pub from: i64,
    pub to: i64,
    pub weight: f64,
}

/// A citizens' survey finding that raised the weight of the public-service competencies for
/// the unit's staff: unsur 6 or 7 below mutu B this year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IkmNote {
    pub unit: String,
    /// 6 (Kompetensi Pelaksana) or 7 (Perilaku Pelaksana).
    pub unsur: u8,
    /// "C" or "D".
    pub mutu: String,
}

/// JP before and with the plan, for someone the plan brings to the yearly target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Reaching {
    pub from: i64,
    pub to: i64,
}

/// Why: the code says which rule, the fields carry the numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// In: closes these gaps, at this weighted gap per million rupiah (`None`: a free class).
    Closes {
        gaps: Vec<GapClosed>,
        per_million: Option<f64>,
        reaching: Option<Reaching>,
        /// The survey finding that raised a weight, when one did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ikm: Option<IkmNote>,
    },
    /// In: JP on the person's own job competencies (the 20-JP policy), no gap closed.
    AddsJp { reaching: Option<Reaching> },
    /// Out: no competency gap.
    NoGap,
    /// Out: a gap, but no class this year closes it.
    NoFit,
    /// Out: the best class for them is full.
    SeatsFull { class: String },
    /// Out: the class would exceed the JP limit per person.
    JpCap { class: String },
    /// Out: their unit's cap is spent.
    UnitCap { class: String },
    /// Out: below the plan's cut-off (weighted gap per million rupiah).
    Budget {
        class: String,
        per_million: Option<f64>,
        cutoff: Option<f64>,
    },
    /// Out: others with the same class came first.
    Outranked { class: String },
    /// Written before reasons were codes: an Indonesian sentence, shown as it is.
    Text { text: String },
}

impl Default for Reason {
    fn default() -> Self {
        Reason::Text {
            text: String::new(),
        }
    }
}

impl Reason {
    /// Reads a stored reason: the JSON form, or a sentence stored before reasons were codes.
    pub fn parse(stored: &str) -> Reason {
        serde_json::from_str(stored).unwrap_or_else(|_| Reason::Text {
            text: stored.to_string(),
        })
    }

    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The code as the left-out list's `code` field has it.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Closes { .. } => "closes",
            Reason::AddsJp { .. } => "adds_jp",
            Reason::NoGap => "no_gap",
            Reason::NoFit => "no_fit",
            Reason::SeatsFull { .. } => "seats_full",
            Reason::JpCap { .. } => "jp_cap",
            Reason::UnitCap { .. } => "unit_cap",
            Reason::Budget { .. } => "budget",
            Reason::Outranked { .. } => "outranked",
            Reason::Text { .. } => "text",
        }
    }
}

/// Weighted gap per million rupiah (`None` for a free class).
fn per_million(benefit: f64, cost: i64) -> Option<f64> {
    (cost > 0).then(|| benefit / (cost as f64 / 1e6))
}

pub(super) fn assignment(b: &Built, i: usize, plan_jp: &HashMap<u32, i64>) -> Reason {
    let pair = &b.instance.pairs[i];
    let o = &b.offerings[pair.offering as usize];
    let have = b.jp_have[pair.person as usize];
    let total = have + plan_jp.get(&pair.person).copied().unwrap_or(0);
    let reaching = (have < JP_TARGET && total >= JP_TARGET).then_some(Reaching {
        from: have,
        to: total,
    });
    if b.closes[i].is_empty() {
        return Reason::AddsJp { reaching };
    }
    Reason::Closes {
        gaps: b.closes[i]
            .iter()
            .map(|(code, from, to, weight)| GapClosed {
                competency: code.clone(),
                from: *from,
                to: *to,
                weight: *weight,
            })
            .collect(),
        per_million: per_million(pair.benefit, o.cost),
        reaching,
        ikm: b.ikm_notes[i].clone(),
    }
}

/// Everyone the plan leaves out, with the first rule that kept out their best class.
pub(super) fn left_out(b: &Built, plan: &cakap_plan::Plan) -> Vec<LeftOut> {
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
        let candidates = by_person.get(&(pi as u32)).map_or(&[][..], Vec::as_slice);
        let reason =
            match candidates.iter().max_by(|&&a, &&b2| {
                cakap_plan::ratio(inst, a)
                    .total_cmp(&cakap_plan::ratio(inst, b2))
                    .then(b2.cmp(&a))
            }) {
                None if b.has_gap[pi] => Reason::NoFit,
                None => Reason::NoGap,
                Some(&best) => {
                    let pair = &inst.pairs[best];
                    let o = &inst.offerings[pair.offering as usize];
                    let class = b.offerings[pair.offering as usize].code.clone();
                    let unit = inst.people[pi].unit;
                    if o.seats
                        .is_some_and(|s| seats_used[pair.offering as usize] >= s)
                    {
                        Reason::SeatsFull { class }
                    } else if o.jp + person_jp[pi] > inst.max_jp {
                        Reason::JpCap { class }
                    } else if inst.unit_caps.get(&unit).is_some_and(|cap| {
                        unit_spent.get(&unit).copied().unwrap_or(0) + o.cost > *cap
                    }) {
                        Reason::UnitCap { class }
                    } else if o.cost > remaining || cakap_plan::ratio(inst, best) < cutoff {
                        Reason::Budget {
                            class,
                            per_million: per_million(pair.benefit, o.cost),
                            cutoff: cutoff.is_finite().then_some(cutoff * 1e6),
                        }
                    } else {
                        Reason::Outranked { class }
                    }
                }
            };
        out.push(LeftOut {
            nip: p.nip.clone(),
            name: p.name.clone(),
            unit: p.unit_name.clone(),
            code: reason.code().to_string(),
            reason: String::new(),
            detail: reason,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_reasons_round_trip_and_old_sentences_stay_readable() {
        let r = Reason::Closes {
            gaps: vec![GapClosed {
                competency: "T.BNC.04".into(),
                from: 1,
                to: 3,
                weight: 2.0,
            }],
            per_million: Some(1.333),
            reaching: Some(Reaching { from: 12, to: 28 }),
            ikm: None,
        };
        assert_eq!(Reason::parse(&r.to_stored()), r);
        // Stored before the survey finding existed: still read, without it.
        assert!(!r.to_stored().contains("ikm"));
        let with = Reason::Closes {
            gaps: vec![],
            per_million: None,
            reaching: None,
            ikm: Some(IkmNote {
                unit: "RSUD Teungku Peukan".into(),
                unsur: 7,
                mutu: "C".into(),
            }),
        };
        assert_eq!(Reason::parse(&with.to_stored()), with);
        assert_eq!(
            Reason::parse("Menutup gap T.BNC.04 1→3 (bobot 2,0)"),
            Reason::Text {
                text: "Menutup gap T.BNC.04 1→3 (bobot 2,0)".into()
            }
        );
        let stored = Reason::SeatsFull {
            class: "K-1".into(),
        }
        .to_stored();
        assert_eq!(stored, r#"{"code":"seats_full","class":"K-1"}"#);
    }
}
