//! The individual development plan (IDP) generator: from a person's gaps, the weaknesses of
//! their last evaluation and (for succession candidates) the gaps against a target position,
//! one proposal per need — a course from the catalogue where one closes it, else the cheap
//! non-classroom paths of docs/domain.md#learning (coaching, mentoring, belajar mandiri) — and a
//! top-up of belajar mandiri when the year would end below the 20-JP right.

use chrono::NaiveDate;

use crate::learning::{Duration, JP_TARGET, Jalur, activity_jp};

/// Why an item is in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Gap,
    Weakness,
    Succession,
    /// Reaching the yearly JP right.
    Jp,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Gap => "gap",
            Source::Weakness => "weakness",
            Source::Succession => "succession",
            Source::Jp => "jp",
        }
    }
}

/// One competency need.
#[derive(Debug, Clone)]
pub struct Need {
    pub competency_id: i64,
    pub name: String,
    pub required: u8,
    pub actual: u8,
    pub crisis: bool,
    /// Named a weakness in the last evaluation.
    pub weakness: bool,
    pub source: Source,
}

impl Need {
    pub fn gap(&self) -> u8 {
        self.required.saturating_sub(self.actual)
    }
}

/// A course the person could take, with its class this year if one is open.
#[derive(Debug, Clone)]
pub struct CourseOption {
    pub course_id: i64,
    pub title: String,
    pub jalur: Jalur,
    pub jp: i64,
    pub e_learning: bool,
    /// (competency, level the course brings it to)
    pub targets: Vec<(i64, u8)>,
    /// (offering id, first day) of this year's class, if any.
    pub offering: Option<(i64, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub source: Source,
    pub competency_id: Option<i64>,
    pub gap: u8,
    pub jalur: Jalur,
    pub course_id: Option<i64>,
    pub offering_id: Option<i64>,
    pub title: String,
    pub target_date: NaiveDate,
    pub jp: i64,
}

/// Most competency items in one plan (the largest needs first).
pub const MAX_NEEDS: usize = 6;

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or(NaiveDate::MIN)
}

/// The proposals for `year`, in priority order: crisis competencies, then weaknesses, then
/// the largest gaps; a course serves only one item.
pub fn propose(year: i32, needs: &[Need], courses: &[CourseOption], jp_have: i64) -> Vec<Proposal> {
    let mut order: Vec<&Need> = needs
        .iter()
        .filter(|n| n.gap() > 0 || n.source == Source::Weakness)
        .collect();
    order.sort_by(|a, b| {
        b.crisis
            .cmp(&a.crisis)
            .then(b.weakness.cmp(&a.weakness))
            .then(b.gap().cmp(&a.gap()))
            .then(a.name.cmp(&b.name))
    });
    let mut used_courses = Vec::new();
    let mut out: Vec<Proposal> = Vec::new();
    for need in order {
        if out.len() >= MAX_NEEDS {
            break;
        }
        if out
            .iter()
            .any(|p| p.competency_id == Some(need.competency_id))
        {
            continue;
        }
        let gap = need.gap();
        if gap == 0 {
            // A weakness the standard does not show as a gap: coaching by the supervisor.
            out.push(activity(
                need,
                Source::Weakness,
                Jalur::Coaching,
                2,
                day(year, 4, 30),
            ));
            continue;
        }
        match best_course(need, courses, &used_courses) {
            Some(c) => {
                used_courses.push(c.course_id);
                out.push(Proposal {
                    source: need.source,
                    competency_id: Some(need.competency_id),
                    gap,
                    jalur: c.jalur,
                    course_id: Some(c.course_id),
                    offering_id: c.offering.map(|o| o.0),
                    title: c.title.clone(),
                    target_date: c.offering.map_or(day(year, 6, 30), |o| o.1),
                    jp: c.jp,
                });
            }
            None if gap == 1 && need.source != Source::Succession => {
                out.push(activity(
                    need,
                    need.source,
                    Jalur::Coaching,
                    2,
                    day(year, 4, 30),
                ));
            }
            None => out.push(activity(
                need,
                need.source,
                Jalur::Mentoring,
                4,
                day(year, 8, 31),
            )),
        }
    }
    let planned: i64 = out.iter().map(|p| p.jp).sum();
    let missing = JP_TARGET - jp_have - planned;
    if missing > 0 {
        let days = (missing + 1) / 2;
        let d = Duration {
            days,
            ..Duration::default()
        };
        out.push(Proposal {
            source: Source::Jp,
            competency_id: None,
            gap: 0,
            jalur: Jalur::BelajarMandiri,
            course_id: None,
            offering_id: None,
            title: format!("Belajar mandiri {days} hari (menuju {JP_TARGET} JP)"),
            target_date: day(year, 11, 30),
            jp: activity_jp(Jalur::BelajarMandiri, d).unwrap_or(2 * days),
        });
    }
    out
}

fn activity(need: &Need, source: Source, jalur: Jalur, sessions: i64, on: NaiveDate) -> Proposal {
    let what = match jalur {
        Jalur::Coaching => "Coaching oleh atasan",
        _ => "Mentoring",
    };
    Proposal {
        source,
        competency_id: Some(need.competency_id),
        gap: need.gap(),
        jalur,
        course_id: None,
        offering_id: None,
        title: format!("{what}: {} ({sessions} sesi)", need.name),
        target_date: on,
        jp: activity_jp(
            jalur,
            Duration {
                sessions,
                ..Duration::default()
            },
        )
        .unwrap_or(0),
    }
}

/// A course that brings the competency above the current level: one that reaches the
/// required level first, then one with a class this year, then (gap 1) e-learning, then the
/// fewest JP, then the lowest id.
fn best_course<'a>(
    need: &Need,
    courses: &'a [CourseOption],
    used: &[i64],
) -> Option<&'a CourseOption> {
    courses
        .iter()
        .filter(|c| !used.contains(&c.course_id))
        .filter_map(|c| {
            let level = c.targets.iter().find(|t| t.0 == need.competency_id)?.1;
            (level > need.actual).then_some((c, level))
        })
        .min_by_key(|(c, level)| {
            (
                *level < need.required,
                c.offering.is_none(),
                !(need.gap() == 1 && c.e_learning),
                c.jp,
                c.course_id,
            )
        })
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(id: i64, required: u8, actual: u8) -> Need {
        Need {
            competency_id: id,
            name: format!("K{id}"),
            required,
            actual,
            crisis: false,
            weakness: false,
            source: Source::Gap,
        }
    }

    fn course(id: i64, targets: &[(i64, u8)], e_learning: bool, offering: bool) -> CourseOption {
        CourseOption {
            course_id: id,
            title: format!("C{id}"),
            jalur: if e_learning {
                Jalur::ELearning
            } else {
                Jalur::PelatihanTeknis
            },
            jp: if e_learning { 8 } else { 24 },
            e_learning,
            targets: targets.to_vec(),
            offering: offering.then(|| (100 + id, day(2027, 3, 1))),
        }
    }

    /// (needs, courses, JP already) → (jalur, course, JP) per item, in order.
    #[test]
    fn proposals_follow_the_table() {
        struct Case {
            name: &'static str,
            needs: Vec<Need>,
            courses: Vec<CourseOption>,
            jp_have: i64,
            want: Vec<(Jalur, Option<i64>, i64)>,
        }
        let crisis = Need {
            crisis: true,
            ..need(2, 3, 2)
        };
        let weak = Need {
            weakness: true,
            source: Source::Weakness,
            ..need(3, 3, 3)
        };
        let successor = Need {
            source: Source::Succession,
            ..need(4, 4, 3)
        };
        let cases = vec![
            Case {
                name: "gap 1 without a course: coaching, then belajar mandiri to 20 JP",
                needs: vec![need(1, 3, 2)],
                courses: vec![],
                jp_have: 0,
                want: vec![
                    (Jalur::Coaching, None, 4),
                    (Jalur::BelajarMandiri, None, 16),
                ],
            },
            Case {
                name: "gap 2 without a course: mentoring",
                needs: vec![need(1, 4, 2)],
                courses: vec![],
                jp_have: 20,
                want: vec![(Jalur::Mentoring, None, 8)],
            },
            Case {
                name: "gap 1 prefers the e-learning course",
                needs: vec![need(1, 3, 2)],
                courses: vec![
                    course(7, &[(1, 3)], false, true),
                    course(8, &[(1, 3)], true, true),
                ],
                jp_have: 12,
                want: vec![(Jalur::ELearning, Some(8), 8)],
            },
            Case {
                name: "a course that stops below the standard comes after one that reaches it",
                needs: vec![need(1, 4, 1)],
                courses: vec![
                    course(7, &[(1, 2)], true, true),
                    course(9, &[(1, 4)], false, false),
                ],
                jp_have: 20,
                want: vec![(Jalur::PelatihanTeknis, Some(9), 24)],
            },
            Case {
                name: "a course not above the current level is no use",
                needs: vec![need(1, 4, 3)],
                courses: vec![course(7, &[(1, 3)], true, true)],
                jp_have: 20,
                want: vec![(Jalur::Coaching, None, 4)],
            },
            Case {
                name: "crisis first, then the weakness (coaching), then the rest; a course once",
                needs: vec![need(1, 3, 2), weak.clone(), crisis.clone()],
                courses: vec![course(7, &[(1, 3), (2, 3)], false, true)],
                jp_have: 0,
                want: vec![
                    (Jalur::PelatihanTeknis, Some(7), 24),
                    (Jalur::Coaching, None, 4),
                    (Jalur::Coaching, None, 4),
                ],
            },
            Case {
                name: "succession gap of 1 without a course: mentoring",
                needs: vec![successor],
                courses: vec![],
                jp_have: 30,
                want: vec![(Jalur::Mentoring, None, 8)],
            },
            Case {
                name: "no gap and enough JP: nothing",
                needs: vec![need(1, 3, 3)],
                courses: vec![],
                jp_have: 20,
                want: vec![],
            },
        ];
        for case in cases {
            let got: Vec<(Jalur, Option<i64>, i64)> =
                propose(2027, &case.needs, &case.courses, case.jp_have)
                    .iter()
                    .map(|p| (p.jalur, p.course_id, p.jp))
                    .collect();
            assert_eq!(got, case.want, "{}", case.name);
        }
    }

    #[test]
    fn at_most_six_needs_and_the_class_date_is_the_target() {
        let needs: Vec<Need> = (1..=9).map(|i| need(i, 4, 2)).collect();
        let courses = vec![course(1, &[(1, 4)], false, true)];
        let out = propose(2027, &needs, &courses, 40);
        assert_eq!(out.len(), MAX_NEEDS);
        assert_eq!(out[0].offering_id, Some(101));
        assert_eq!(out[0].target_date, day(2027, 3, 1));
    }
}
