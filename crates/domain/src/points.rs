//! Points and badges (DOMAIN §14; docs/domain.md#points). A **Decision** of the regency, kept
//! as tenant data: so many points per JP credited, per certificate, per regulation acknowledged
//! on time and per drill taken part in; a badge at each of three thresholds of a year's points.

use serde::{Deserialize, Serialize};

/// The regency's points rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub per_jp: i64,
    pub per_certificate: i64,
    pub per_acknowledgement: i64,
    pub per_drill: i64,
    /// Points of a year for the bronze, silver and gold badge, rising.
    pub thresholds: [i64; 3],
}

impl Default for Rules {
    /// DOMAIN §14's values: 1 per JP, 10 per certificate, 5 per acknowledgement on time, 20 per
    /// drill; badges at 50, 100 and 200 points (20 JP, a certificate, four regulations and a
    /// drill make a silver year).
    fn default() -> Rules {
        Rules {
            per_jp: 1,
            per_certificate: 10,
            per_acknowledgement: 5,
            per_drill: 20,
            thresholds: [50, 100, 200],
        }
    }
}

/// What is wrong with a rule: the field and the message key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    pub field: &'static str,
    pub key: &'static str,
}

/// The most a rule may give per item or ask as a threshold (a typo, not a policy).
pub const MAX_POINTS: i64 = 100_000;

impl Rules {
    pub fn check(&self) -> Result<(), RulesError> {
        let err = |field, key| Err(RulesError { field, key });
        for (field, v) in [
            ("per_jp", self.per_jp),
            ("per_certificate", self.per_certificate),
            ("per_acknowledgement", self.per_acknowledgement),
            ("per_drill", self.per_drill),
        ] {
            if !(0..=MAX_POINTS).contains(&v) {
                return err(field, "points.per_range");
            }
        }
        let [a, b, c] = self.thresholds;
        if a < 1 || c > MAX_POINTS * 100 {
            return err("thresholds", "points.threshold_range");
        }
        if !(a < b && b < c) {
            return err("thresholds", "points.threshold_order");
        }
        Ok(())
    }

    /// The points of a year's counts.
    pub fn points(&self, n: &Counts) -> i64 {
        n.jp * self.per_jp
            + n.certificates * self.per_certificate
            + n.acknowledgements * self.per_acknowledgement
            + n.drills * self.per_drill
    }

    /// The badges `points` reach, lowest first.
    pub fn reached(&self, points: i64) -> impl Iterator<Item = Badge> + '_ {
        Badge::ALL
            .into_iter()
            .zip(self.thresholds)
            .filter(move |(_, t)| points >= *t)
            .map(|(b, _)| b)
    }

    pub fn threshold(&self, badge: Badge) -> i64 {
        self.thresholds[badge as usize]
    }
}

/// What earns points in a year, per person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub jp: i64,
    pub certificates: i64,
    pub acknowledgements: i64,
    pub drills: i64,
}

/// A badge of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Badge {
    Bronze = 0,
    Silver = 1,
    Gold = 2,
}

impl Badge {
    pub const ALL: [Badge; 3] = [Badge::Bronze, Badge::Silver, Badge::Gold];

    pub fn as_str(self) -> &'static str {
        match self {
            Badge::Bronze => "bronze",
            Badge::Silver => "silver",
            Badge::Gold => "gold",
        }
    }

    pub fn parse(s: &str) -> Option<Badge> {
        Badge::ALL.into_iter().find(|b| b.as_str() == s)
    }

    /// The badge's name as the regency gives it ("Pembelajar Perak").
    pub fn name_id(self) -> &'static str {
        match self {
            Badge::Bronze => "Pembelajar Perunggu",
            Badge::Silver => "Pembelajar Perak",
            Badge::Gold => "Pembelajar Emas",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(jp: i64, certificates: i64, acknowledgements: i64, drills: i64) -> Counts {
        Counts {
            jp,
            certificates,
            acknowledgements,
            drills,
        }
    }

    #[test]
    fn points_follow_domain_14() {
        let r = Rules::default();
        // (counts, points, badges reached)
        let table: &[(Counts, i64, &[Badge])] = &[
            (counts(0, 0, 0, 0), 0, &[]),
            (counts(20, 0, 0, 0), 20, &[]),
            (counts(20, 1, 4, 1), 20 + 10 + 20 + 20, &[Badge::Bronze]),
            (counts(30, 2, 0, 0), 50, &[Badge::Bronze]),
            (counts(49, 0, 0, 0), 49, &[]),
            (
                counts(40, 3, 2, 1),
                40 + 30 + 10 + 20,
                &[Badge::Bronze, Badge::Silver],
            ),
            (counts(120, 5, 6, 1), 120 + 50 + 30 + 20, &Badge::ALL),
        ];
        for (n, points, badges) in table {
            assert_eq!(r.points(n), *points, "{n:?}");
            assert_eq!(r.reached(*points).collect::<Vec<_>>(), *badges, "{n:?}");
        }
    }

    #[test]
    fn a_regency_sets_its_own_values() {
        let r = Rules {
            per_jp: 2,
            per_certificate: 0,
            per_acknowledgement: 1,
            per_drill: 50,
            thresholds: [10, 60, 61],
        };
        assert_eq!(r.points(&counts(5, 9, 3, 1)), 10 + 3 + 50);
        assert_eq!(r.reached(61).count(), 3);
        assert_eq!(r.threshold(Badge::Silver), 60);
    }

    #[test]
    fn rules_are_checked() {
        let bad = |f: fn(&mut Rules)| {
            let mut r = Rules::default();
            f(&mut r);
            r.check().err()
        };
        assert_eq!(Rules::default().check(), Ok(()));
        assert_eq!(bad(|r| r.per_jp = -1).map(|e| e.field), Some("per_jp"));
        assert_eq!(
            bad(|r| r.per_drill = MAX_POINTS + 1).map(|e| e.field),
            Some("per_drill")
        );
        assert_eq!(
            bad(|r| r.thresholds = [50, 50, 200]).map(|e| e.key),
            Some("points.threshold_order")
        );
        assert_eq!(
            bad(|r| r.thresholds = [0, 50, 200]).map(|e| e.key),
            Some("points.threshold_range")
        );
    }

    #[test]
    fn badges_have_names_and_codes() {
        for b in Badge::ALL {
            assert_eq!(Badge::parse(b.as_str()), Some(b));
        }
        assert_eq!(Badge::parse("platinum"), None);
        assert_eq!(Badge::Silver.name_id(), "Pembelajar Perak");
    }
}
