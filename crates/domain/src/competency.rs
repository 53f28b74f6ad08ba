//! Competency levels, assessments and the gap / Job-Person Match rules
//! (PermenPANRB 38/2017; BKN assessment reports; docs/domain.md#competencies).

use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Localizable;

/// A proficiency level 1–5 (PermenPANRB 38/2017). Construct with [`Level::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Level(u8);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("level {0} is outside 1..5")]
pub struct LevelError(pub i64);

impl Localizable for LevelError {
    fn key(&self) -> &'static str {
        "competency.level_range"
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        vec![("value", self.0.to_string())]
    }
}

impl Level {
    pub fn new(n: i64) -> Result<Level, LevelError> {
        if (1..=5).contains(&n) {
            Ok(Level(n as u8))
        } else {
            Err(LevelError(n))
        }
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyKind {
    Teknis,
    Manajerial,
    SosialKultural,
}

impl CompetencyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CompetencyKind::Teknis => "teknis",
            CompetencyKind::Manajerial => "manajerial",
            CompetencyKind::SosialKultural => "sosial_kultural",
        }
    }
}

impl FromStr for CompetencyKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "teknis" | "technical" => Ok(CompetencyKind::Teknis),
            "manajerial" | "managerial" => Ok(CompetencyKind::Manajerial),
            "sosial_kultural" | "sosiokultural" | "socio_cultural" => {
                Ok(CompetencyKind::SosialKultural)
            }
            _ => Err(()),
        }
    }
}

/// How a level was established. The order is the authority used to break ties between
/// assessments of the same date (docs/domain.md#gap-jpm): assessment center > uji kompetensi > 360 >
/// course evidence. Self-assessments never count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    #[serde(rename = "assessment_center")]
    AssessmentCenter,
    #[serde(rename = "uji_kompetensi")]
    UjiKompetensi,
    #[serde(rename = "360")]
    Feedback360,
    #[serde(rename = "course")]
    Course,
    #[serde(rename = "self")]
    SelfAssessment,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::AssessmentCenter,
        Method::UjiKompetensi,
        Method::Feedback360,
        Method::Course,
        Method::SelfAssessment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::AssessmentCenter => "assessment_center",
            Method::UjiKompetensi => "uji_kompetensi",
            Method::Feedback360 => "360",
            Method::Course => "course",
            Method::SelfAssessment => "self",
        }
    }

    /// Higher wins a tie; self-assessments rank nowhere.
    pub fn authority(self) -> u8 {
        match self {
            Method::AssessmentCenter => 4,
            Method::UjiKompetensi => 3,
            Method::Feedback360 => 2,
            Method::Course => 1,
            Method::SelfAssessment => 0,
        }
    }

    pub fn counts(self) -> bool {
        self != Method::SelfAssessment
    }
}

impl FromStr for Method {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Method::ALL
            .into_iter()
            .find(|m| m.as_str() == norm)
            .ok_or(())
    }
}

/// One recorded result, as the gap rule needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assessment {
    pub level: Level,
    pub method: Method,
    pub assessed_on: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

impl Assessment {
    pub fn valid_on(&self, today: NaiveDate) -> bool {
        self.valid_until.is_none_or(|until| today <= until) && self.assessed_on <= today
    }
}

/// The effective actual level on `today`: the most recent unexpired assessment that counts,
/// ties on the date broken by method authority (then by the higher level, so the result does
/// not depend on input order). `None` means "belum diases" (docs/domain.md#effective-level).
///
/// This is the one statement of the rule: the gap engine reduces its rows with
/// [`precedence`], and the store's SQL ranks and filters methods with texts generated from
/// [`Method::authority`] and [`Method::counts`].
pub fn effective_level(assessments: &[Assessment], today: NaiveDate) -> Option<Level> {
    assessments
        .iter()
        .filter(|a| a.method.counts() && a.valid_on(today))
        .max_by_key(|a| precedence(a.assessed_on, a.method.authority(), a.level.get()))
        .map(|a| a.level)
}

/// Which of two results that count on a day decides the effective level: the greater key
/// wins — the more recent, then the more authoritative method, then the higher level. `day`
/// is any ordered form of the date (a `NaiveDate`, or `YYYYMMDD` as a number).
pub fn precedence<D: Ord>(day: D, authority: u8, level: u8) -> (D, u8, u8) {
    (day, authority, level)
}

/// One required competency of a position against what the person has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub required: Level,
    pub actual: Option<Level>,
}

impl Requirement {
    /// `max(0, required − actual)`, an unassessed competency counting actual 0.
    pub fn gap(&self) -> u8 {
        self.required
            .get()
            .saturating_sub(self.actual.map_or(0, Level::get))
    }
}

/// Job-Person Match in percent, `Σ actual ÷ Σ required × 100`, capped at 100, rounded to
/// 2 decimals. A position without requirements has no JPM.
pub fn jpm(requirements: &[Requirement]) -> Option<f64> {
    let required: u32 = requirements
        .iter()
        .map(|r| u32::from(r.required.get()))
        .sum();
    if required == 0 {
        return None;
    }
    let actual: u32 = requirements
        .iter()
        .map(|r| u32::from(r.actual.map_or(0, Level::get)))
        .sum();
    let pct = (f64::from(actual) * 100.0 / f64::from(required)).min(100.0);
    Some((pct * 100.0).round() / 100.0)
}

/// Mapping categories (pemetaan): Optimal ≥ 90, Cukup Optimal 78–<90, Kurang Optimal < 78.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Pemetaan {
    #[serde(rename = "Optimal")]
    Optimal,
    #[serde(rename = "Cukup Optimal")]
    CukupOptimal,
    #[serde(rename = "Kurang Optimal")]
    KurangOptimal,
}

impl Pemetaan {
    pub const ALL: [Pemetaan; 3] = [
        Pemetaan::Optimal,
        Pemetaan::CukupOptimal,
        Pemetaan::KurangOptimal,
    ];

    /// Classifies the JPM as shown (2 decimals).
    pub fn of(jpm: f64) -> Pemetaan {
        if jpm >= 90.0 {
            Pemetaan::Optimal
        } else if jpm >= 78.0 {
            Pemetaan::CukupOptimal
        } else {
            Pemetaan::KurangOptimal
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Pemetaan::Optimal => "Optimal",
            Pemetaan::CukupOptimal => "Cukup Optimal",
            Pemetaan::KurangOptimal => "Kurang Optimal",
        }
    }
}

/// Selection/promotion categories (seleksi): Memenuhi Syarat ≥ 80, Masih Memenuhi Syarat
/// 68–<80, Kurang Memenuhi Syarat < 68.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Seleksi {
    #[serde(rename = "Memenuhi Syarat")]
    MemenuhiSyarat,
    #[serde(rename = "Masih Memenuhi Syarat")]
    MasihMemenuhiSyarat,
    #[serde(rename = "Kurang Memenuhi Syarat")]
    KurangMemenuhiSyarat,
}

impl Seleksi {
    pub fn of(jpm: f64) -> Seleksi {
        if jpm >= 80.0 {
            Seleksi::MemenuhiSyarat
        } else if jpm >= 68.0 {
            Seleksi::MasihMemenuhiSyarat
        } else {
            Seleksi::KurangMemenuhiSyarat
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Seleksi::MemenuhiSyarat => "Memenuhi Syarat",
            Seleksi::MasihMemenuhiSyarat => "Masih Memenuhi Syarat",
            Seleksi::KurangMemenuhiSyarat => "Kurang Memenuhi Syarat",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(n: i64) -> Level {
        Level::new(n).expect("level")
    }

    fn reqs(required: &[i64], actual: &[Option<i64>]) -> Vec<Requirement> {
        required
            .iter()
            .zip(actual)
            .map(|(r, a)| Requirement {
                required: l(*r),
                actual: a.map(l),
            })
            .collect()
    }

    #[test]
    fn domain_worked_example() {
        // Required (3,3,3,2), actual (3,2,4,1): Σ 10 / 11 → 90.91 → Optimal; gaps (0,1,0,1).
        let r = reqs(&[3, 3, 3, 2], &[Some(3), Some(2), Some(4), Some(1)]);
        assert_eq!(jpm(&r), Some(90.91));
        assert_eq!(Pemetaan::of(90.91), Pemetaan::Optimal);
        assert_eq!(
            r.iter().map(Requirement::gap).collect::<Vec<_>>(),
            vec![0, 1, 0, 1]
        );
    }

    #[test]
    fn jpm_caps_at_100_and_counts_unassessed_as_zero() {
        type Case<'a> = (&'a [i64], &'a [Option<i64>], Option<f64>);
        let cases: [Case; 6] = [
            (&[2, 2], &[Some(5), Some(5)], Some(100.0)),
            (&[3, 3], &[None, Some(3)], Some(50.0)),
            (&[3], &[None], Some(0.0)),
            (&[3, 3, 3], &[Some(1), Some(1), Some(1)], Some(33.33)),
            (&[3, 3, 3], &[Some(2), Some(2), Some(2)], Some(66.67)),
            (&[], &[], None),
        ];
        for (required, actual, expected) in cases {
            assert_eq!(
                jpm(&reqs(required, actual)),
                expected,
                "{required:?} {actual:?}"
            );
        }
        assert_eq!(
            Requirement {
                required: l(3),
                actual: None
            }
            .gap(),
            3
        );
        assert_eq!(
            Requirement {
                required: l(2),
                actual: Some(l(4))
            }
            .gap(),
            0
        );
    }

    #[test]
    fn category_boundaries() {
        let pemetaan = [
            (100.0, Pemetaan::Optimal),
            (90.0, Pemetaan::Optimal),
            (89.99, Pemetaan::CukupOptimal),
            (78.0, Pemetaan::CukupOptimal),
            (77.99, Pemetaan::KurangOptimal),
            (0.0, Pemetaan::KurangOptimal),
        ];
        for (v, c) in pemetaan {
            assert_eq!(Pemetaan::of(v), c, "{v}");
        }
        let seleksi = [
            (80.0, Seleksi::MemenuhiSyarat),
            (79.99, Seleksi::MasihMemenuhiSyarat),
            (68.0, Seleksi::MasihMemenuhiSyarat),
            (67.99, Seleksi::KurangMemenuhiSyarat),
        ];
        for (v, c) in seleksi {
            assert_eq!(Seleksi::of(v), c, "{v}");
        }
    }

    #[test]
    fn levels_are_one_to_five() {
        assert!(Level::new(0).is_err());
        assert!(Level::new(6).is_err());
        assert!(Level::new(-1).is_err());
        assert_eq!(Level::new(5).map(Level::get), Ok(5));
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn a(level: i64, method: Method, on: &str, until: Option<&str>) -> Assessment {
        Assessment {
            level: l(level),
            method,
            assessed_on: d(on),
            valid_until: until.map(d),
        }
    }

    #[test]
    fn effective_level_rule() {
        let today = d("2026-11-28");
        use Method::*;
        let cases: Vec<(Vec<Assessment>, Option<i64>, &str)> = vec![
            (vec![], None, "nothing assessed"),
            (
                vec![a(4, SelfAssessment, "2026-01-01", None)],
                None,
                "self never counts",
            ),
            (
                vec![
                    a(2, Course, "2025-01-01", None),
                    a(3, Feedback360, "2026-01-01", None),
                ],
                Some(3),
                "most recent wins",
            ),
            (
                vec![
                    a(4, UjiKompetensi, "2026-01-01", None),
                    a(2, Course, "2026-06-01", None),
                ],
                Some(2),
                "recent course beats older test",
            ),
            (
                vec![
                    a(2, Course, "2026-03-01", None),
                    a(4, AssessmentCenter, "2026-03-01", None),
                ],
                Some(4),
                "tie: assessment center",
            ),
            (
                vec![
                    a(4, Feedback360, "2026-03-01", None),
                    a(3, UjiKompetensi, "2026-03-01", None),
                ],
                Some(3),
                "tie: uji kompetensi over 360",
            ),
            (
                vec![
                    a(5, AssessmentCenter, "2024-01-01", Some("2025-12-31")),
                    a(2, Course, "2023-01-01", None),
                ],
                Some(2),
                "expired no longer counts",
            ),
            (
                vec![a(5, AssessmentCenter, "2024-01-01", Some("2026-11-28"))],
                Some(5),
                "valid through its last day",
            ),
            (
                vec![a(3, Course, "2027-01-01", None)],
                None,
                "not yet assessed on a future date",
            ),
            (
                vec![
                    a(5, SelfAssessment, "2026-11-01", None),
                    a(2, Course, "2020-01-01", None),
                ],
                Some(2),
                "self beside a real one",
            ),
        ];
        for (list, expected, why) in cases {
            assert_eq!(
                effective_level(&list, today).map(Level::get),
                expected.map(|e| e as u8),
                "{why}"
            );
        }
    }

    #[test]
    fn methods_and_kinds_parse() {
        assert_eq!("360".parse(), Ok(Method::Feedback360));
        assert_eq!("Assessment Center".parse(), Ok(Method::AssessmentCenter));
        assert_eq!("uji-kompetensi".parse(), Ok(Method::UjiKompetensi));
        assert!("guess".parse::<Method>().is_err());
        assert_eq!(
            "Sosial Kultural".parse(),
            Ok(CompetencyKind::SosialKultural)
        );
    }
}
