//! A training plan's reasons put into words in the reader's language. The optimizer stores
//! each reason as a code with its values (`cakap_services::plans::optimize::Reason`); pages
//! and the API's `reason` fields are filled here, so every language reads its own words.

use cakap_domain::learning::JP_TARGET;
use cakap_services::plans::optimize::{Reason, TrainingPlan};

use crate::i18n::{Lang, t, t_args};

fn value(lang: Lang, per_million: Option<f64>) -> String {
    match per_million {
        Some(v) => t_args(
            lang,
            "plan.reason.per_million",
            &[("value", crate::i18n::fmt_places(lang, v, 2))],
        ),
        None => t(lang, "plan.reason.free").to_string(),
    }
}

/// The reason as a sentence.
pub fn text(lang: Lang, reason: &Reason) -> String {
    let class = |key: &str, class: &str| t_args(lang, key, &[("class", class.to_string())]);
    let reaching = |r: &Option<cakap_services::plans::optimize::reasons::Reaching>| {
        r.map(|r| {
            t_args(
                lang,
                "plan.reason.reaching",
                &[
                    ("target", JP_TARGET.to_string()),
                    ("from", r.from.to_string()),
                    ("to", r.to.to_string()),
                ],
            )
        })
    };
    match reason {
        Reason::Closes {
            gaps,
            per_million,
            reaching: r,
            ikm,
        } => {
            let steps: Vec<String> = gaps
                .iter()
                .map(|g| {
                    t_args(
                        lang,
                        "plan.reason.gap_step",
                        &[
                            ("code", g.competency.clone()),
                            ("from", g.from.to_string()),
                            ("to", g.to.to_string()),
                            ("weight", crate::i18n::fmt_places(lang, g.weight, 1)),
                        ],
                    )
                })
                .collect();
            let mut s = t_args(
                lang,
                "plan.reason.closes",
                &[
                    ("gaps", steps.join(", ")),
                    ("value", value(lang, *per_million)),
                ],
            );
            if let Some(r) = reaching(r) {
                s.push_str("; ");
                s.push_str(&r);
            }
            if let Some(n) = ikm {
                s.push_str("; ");
                s.push_str(&t_args(
                    lang,
                    "plan.reason.ikm",
                    &[
                        ("unsur", n.unsur.to_string()),
                        ("unit", n.unit.clone()),
                        ("mutu", n.mutu.clone()),
                    ],
                ));
            }
            s
        }
        Reason::AddsJp { reaching: r } => {
            let mut s = t(lang, "plan.reason.adds_jp").to_string();
            if let Some(r) = reaching(r) {
                s.push_str("; ");
                s.push_str(&r);
            }
            s
        }
        Reason::NoGap => t(lang, "plan.reason.no_gap").to_string(),
        Reason::NoFit => t(lang, "plan.reason.no_fit").to_string(),
        Reason::SeatsFull { class: c } => class("plan.reason.seats_full", c),
        Reason::JpCap { class: c } => class("plan.reason.jp_cap", c),
        Reason::UnitCap { class: c } => class("plan.reason.unit_cap", c),
        Reason::Budget {
            class: c,
            per_million,
            cutoff,
        } => t_args(
            lang,
            "plan.reason.budget",
            &[
                ("class", c.clone()),
                ("value", value(lang, *per_million)),
                (
                    "cutoff",
                    cutoff.map_or_else(|| "-".to_string(), |x| crate::i18n::fmt_places(lang, x, 2)),
                ),
            ],
        ),
        Reason::Outranked { class: c } => class("plan.reason.outranked", c),
        Reason::Text { text } => text.clone(),
    }
}

/// Fills every `reason` of the plan in `lang`.
pub fn fill(lang: Lang, plan: &mut TrainingPlan) {
    for a in &mut plan.assignments {
        a.reason = text(lang, &a.reason_detail);
    }
    for l in &mut plan.left_out {
        l.reason = text(lang, &l.detail);
    }
}

#[cfg(test)]
mod tests {
    use cakap_services::plans::optimize::reasons::{GapClosed, Reaching};

    use super::*;

    #[test]
    fn reasons_read_in_each_language() {
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
        assert_eq!(
            text(Lang::Id, &r),
            "Menutup gap T.BNC.04 1→3 (bobot 2,0); 1,33 per juta rupiah; \
             membawa ke 20 JP (12 → 28 JP)"
        );
        assert_eq!(
            text(Lang::En, &r),
            "Closes gap T.BNC.04 1→3 (weight 2.0); 1.33 per million rupiah; \
             brings them to 20 JP (12 → 28 JP)"
        );
        let raised = Reason::Closes {
            gaps: vec![],
            per_million: None,
            reaching: None,
            ikm: Some(cakap_services::plans::optimize::IkmNote {
                unit: "RSUD Teungku Peukan".into(),
                unsur: 7,
                mutu: "C".into(),
            }),
        };
        assert!(text(Lang::Id, &raised).ends_with("IKM unsur 7 RSUD Teungku Peukan: C"));
        let full = Reason::SeatsFull {
            class: "K-01".into(),
        };
        assert_eq!(text(Lang::Id, &full), "Kursi kelas K-01 sudah penuh");
        assert_eq!(text(Lang::En, &full), "Class K-01 is full");
        let budget = Reason::Budget {
            class: "K-02".into(),
            per_million: None,
            cutoff: None,
        };
        assert_eq!(
            text(Lang::En, &budget),
            "Cut by the budget: class K-02 gives free of charge, the plan's cut-off -"
        );
    }
}
