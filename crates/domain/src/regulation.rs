//! Regulations (JDIH, Perpres 33/2012; metadata after Permenkumham 8/2019) and their
//! read-and-acknowledge campaigns: the lists, the relations and the reminder schedule
//! (docs/domain.md#regulations).

use chrono::{Days, NaiveDate};

string_enum! {
    /// Kinds of regulation a JDIH records.
    Jenis {
        Uu = "uu",
        Perppu = "perppu",
        Pp = "pp",
        Perpres = "perpres",
        Permen = "permen",
        Perda = "perda",
        Perbup = "perbup",
        Perwal = "perwal",
        Kepbup = "kepbup",
        Se = "se",
        Sk = "sk",
        Lainnya = "lainnya",
    }
}

impl Jenis {
    /// The name the JDIHN feed and the pages show.
    pub fn name(self) -> &'static str {
        match self {
            Jenis::Uu => "Undang-Undang",
            Jenis::Perppu => "Peraturan Pemerintah Pengganti Undang-Undang",
            Jenis::Pp => "Peraturan Pemerintah",
            Jenis::Perpres => "Peraturan Presiden",
            Jenis::Permen => "Peraturan Menteri",
            Jenis::Perda => "Qanun / Peraturan Daerah",
            Jenis::Perbup => "Peraturan Bupati",
            Jenis::Perwal => "Peraturan Wali Kota",
            Jenis::Kepbup => "Keputusan Bupati",
            Jenis::Se => "Surat Edaran",
            Jenis::Sk => "Surat Keputusan",
            Jenis::Lainnya => "Lainnya",
        }
    }

    /// The short form (`singkatanJenis` of the feed).
    pub fn short(self) -> &'static str {
        match self {
            Jenis::Uu => "UU",
            Jenis::Perppu => "PERPPU",
            Jenis::Pp => "PP",
            Jenis::Perpres => "PERPRES",
            Jenis::Permen => "PERMEN",
            Jenis::Perda => "PERDA",
            Jenis::Perbup => "PERBUP",
            Jenis::Perwal => "PERWAL",
            Jenis::Kepbup => "KEPBUP",
            Jenis::Se => "SE",
            Jenis::Sk => "SK",
            Jenis::Lainnya => "LAINNYA",
        }
    }
}

string_enum! {
    /// Whether a regulation is in force.
    RegStatus {
        Berlaku = "berlaku",
        TidakBerlaku = "tidak_berlaku",
    }
}

string_enum! {
    /// How one regulation acts on another: `mencabut` revokes it (the target is no longer in
    /// force), `mengubah` amends it (the target stays in force, in a new version).
    Relation {
        Mencabut = "mencabut",
        Mengubah = "mengubah",
    }
}

/// Whether adding the relation `from → to` to `edges` (each `(from, to)`) would make a
/// regulation act on itself, directly or through others.
pub fn would_cycle(edges: &[(i64, i64)], from: i64, to: i64) -> bool {
    if from == to {
        return true;
    }
    // Does `to` already reach `from`?
    let mut stack = vec![to];
    let mut seen = std::collections::HashSet::new();
    while let Some(n) = stack.pop() {
        if n == from {
            return true;
        }
        if seen.insert(n) {
            stack.extend(edges.iter().filter(|e| e.0 == n).map(|e| e.1));
        }
    }
    false
}

/// Days between reminders once the due date has passed.
pub const OVERDUE_EVERY: u64 = 3;

/// The first reminder date after `after` for a campaign assigned on `assigned` and due on
/// `due`: on assignment, 7 days and 1 day before the due date, on it, then every 3 days
/// (DOMAIN §11). Dates before the assignment are skipped.
pub fn next_reminder(assigned: NaiveDate, due: NaiveDate, after: NaiveDate) -> NaiveDate {
    let before = [
        Some(assigned),
        due.checked_sub_days(Days::new(7)),
        due.checked_sub_days(Days::new(1)),
        Some(due),
    ];
    if let Some(d) = before
        .into_iter()
        .flatten()
        .filter(|d| *d >= assigned && *d > after)
        .min()
    {
        return d;
    }
    // Past the due date: the next multiple of three days after it.
    let since = (after - due).num_days().max(0) as u64;
    let steps = since / OVERDUE_EVERY + 1;
    due + Days::new(steps * OVERDUE_EVERY)
}

/// An acknowledgement still owed after the due date.
pub fn overdue(due: NaiveDate, today: NaiveDate, acknowledged: bool) -> bool {
    !acknowledged && today > due
}

/// **Decision**: an amendment asks again with at least this many days to read it; a due date
/// further away is kept.
pub const AMENDMENT_DAYS: u64 = 7;

/// The due date of a campaign once its regulation is amended on `today`.
pub fn due_after_amendment(due: NaiveDate, today: NaiveDate) -> NaiveDate {
    due.max(today + Days::new(AMENDMENT_DAYS))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn reminders_follow_the_schedule_of_domain_11() {
        // Assigned 1 June, due 20 June: 1 June, 13 June, 19 June, 20 June, 23 June, 26 June …
        let (assigned, due) = (d("2026-06-01"), d("2026-06-20"));
        let cases = [
            ("2026-05-31", "2026-06-01"),
            ("2026-06-01", "2026-06-13"),
            ("2026-06-12", "2026-06-13"),
            ("2026-06-13", "2026-06-19"),
            ("2026-06-19", "2026-06-20"),
            ("2026-06-20", "2026-06-23"),
            ("2026-06-21", "2026-06-23"),
            ("2026-06-23", "2026-06-26"),
            ("2026-07-01", "2026-07-02"),
        ];
        for (after, want) in cases {
            assert_eq!(
                next_reminder(assigned, due, d(after)),
                d(want),
                "after {after}"
            );
        }
        // Due in three days: the 7-days-before reminder would fall before the assignment.
        let (assigned, due) = (d("2026-06-17"), d("2026-06-20"));
        assert_eq!(
            next_reminder(assigned, due, d("2026-06-17")),
            d("2026-06-19")
        );
    }

    #[test]
    fn a_regulation_cannot_act_on_itself() {
        let edges = [(1, 2), (2, 3)];
        assert!(would_cycle(&edges, 4, 4));
        assert!(would_cycle(&edges, 3, 1));
        assert!(would_cycle(&edges, 2, 1));
        assert!(!would_cycle(&edges, 1, 3));
        assert!(!would_cycle(&edges, 4, 1));
    }

    #[test]
    fn overdue_and_amendments() {
        assert!(!overdue(d("2026-06-20"), d("2026-06-20"), false));
        assert!(overdue(d("2026-06-20"), d("2026-06-21"), false));
        assert!(!overdue(d("2026-06-20"), d("2026-06-21"), true));
        assert_eq!(
            due_after_amendment(d("2026-06-20"), d("2026-06-18")),
            d("2026-06-25")
        );
        assert_eq!(
            due_after_amendment(d("2026-07-20"), d("2026-06-18")),
            d("2026-07-20")
        );
    }

    #[test]
    fn lists_have_their_stored_forms() {
        assert_eq!(Jenis::ALL.len(), 12);
        assert_eq!("perbup".parse::<Jenis>(), Ok(Jenis::Perbup));
        assert!("peraturan".parse::<Jenis>().is_err());
        assert_eq!(RegStatus::TidakBerlaku.as_str(), "tidak_berlaku");
    }
}
