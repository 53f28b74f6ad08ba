//! Property tests of the NIP parser (DOMAIN §1; issue 19 "faults"): thousands of generated
//! inputs, never a panic, always an answer — a NIP whose parts are the ones written, or an
//! error with a message in both languages.

use cakap_domain::Localizable;
use cakap_domain::nip::{Gender, Nip, NipKind};
use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
}

/// An error is said in words, in Indonesian and in English: its key is in both locale files
/// (the web crate's), in its section.
fn explained(e: &impl Localizable) -> bool {
    let (section, name) = e.key().split_once('.').expect("section.name");
    [
        include_str!("../../web/locales/id.toml"),
        include_str!("../../web/locales/en.toml"),
    ]
    .iter()
    .all(|file| {
        let header = format!("[{section}]\n");
        file.split_once(&header).is_some_and(|(_, rest)| {
            let body = rest.split("\n[").next().unwrap_or("");
            body.lines().any(|l| l.starts_with(&format!("{name} = ")))
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any text at all: an answer, never a panic.
    #[test]
    fn any_text_gets_an_answer(s in "\\PC{0,40}") {
        match Nip::parse(&s, today()) {
            Ok(n) => prop_assert_eq!(n.as_str().len(), 18),
            Err(e) => prop_assert!(explained(&e), "{e:?}"),
        }
    }

    /// Any 18 digits, with spaces anywhere: either a NIP that gives its digits back, or a
    /// clear error.
    #[test]
    fn any_eighteen_digits(digits in "[0-9]{18}", spaces in proptest::collection::vec(0usize..18, 0..4)) {
        let mut typed = digits.clone();
        for at in spaces {
            typed.insert(at.min(typed.len()), ' ');
        }
        match Nip::parse(&typed, today()) {
            Ok(n) => {
                prop_assert_eq!(n.as_str(), digits.as_str());
                prop_assert!(n.tmt_year() >= n.birth_date().year() + 18);
                prop_assert!(n.tmt_year() <= today().year());
            }
            Err(e) => prop_assert!(explained(&e), "{e:?}"),
        }
    }

    /// A NIP written from its parts reads back as those parts.
    #[test]
    fn written_parts_read_back(
        birth in (1960i32..2000, 1u32..=12, 1u32..=28),
        after in 18i32..27,
        month in 1u32..=12,
        pppk in any::<bool>(),
        woman in any::<bool>(),
        serial in 1u32..=999,
        spaces in proptest::collection::vec(0usize..18, 0..4),
    ) {
        let born = NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).expect("date");
        let tmt = (birth.0 + after).min(today().year());
        prop_assume!(tmt >= birth.0 + 18);
        let middle = if pppk { format!("{tmt}2{}", month % 9 + 1) } else { format!("{tmt}{month:02}") };
        let text = format!(
            "{}{middle}{}{serial:03}",
            born.format("%Y%m%d"),
            if woman { 2 } else { 1 },
        );
        // Typed with spaces anywhere, it reads the same.
        let mut typed = text.clone();
        for at in spaces {
            typed.insert(at.min(typed.len()), ' ');
        }
        let n = Nip::parse(&typed, today()).expect("a NIP written from valid parts");
        prop_assert_eq!(n.as_str(), text.as_str());
        prop_assert_eq!(n.birth_date(), born);
        prop_assert_eq!(n.tmt_year(), tmt);
        prop_assert_eq!(n.kind(), if pppk { NipKind::Pppk } else { NipKind::Pns });
        prop_assert_eq!(n.tmt_month(), if pppk { None } else { Some(month) });
        prop_assert_eq!(n.gender(), if woman { Gender::P } else { Gender::L });
    }
}
