//! NIP (Nomor Induk Pegawai): the 18-digit civil-servant number (docs/domain.md#nip).
//!
//! PNS (PP 11/2017, Perka BKN): `YYYYMMDD` birth date, `YYYYMM` TMT CPNS, gender digit,
//! 3-digit sequence. PPPK (PermenPANRB 72/2020 practice): `YYYYMMDD` birth date, `YYYY` TMT
//! year, the PPPK code `2`, frekuensi `1`–`9`, gender digit, 3-digit sequence.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::Localizable;

/// A validated NIP. Construct it with [`Nip::parse`]; nothing else can.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nip {
    digits: String,
    birth_date: NaiveDate,
    tmt_year: i32,
    tmt_month: Option<u32>,
    gender: Gender,
    kind: NipKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NipKind {
    #[serde(rename = "PNS")]
    Pns,
    #[serde(rename = "PPPK")]
    Pppk,
}

impl NipKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NipKind::Pns => "PNS",
            NipKind::Pppk => "PPPK",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "PNS" | "CPNS" => Some(NipKind::Pns),
            "PPPK" => Some(NipKind::Pppk),
            _ => None,
        }
    }
}

/// Gender as coded in the NIP: `1` laki-laki (L), `2` perempuan (P).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Gender {
    L,
    P,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::L => "L",
            Gender::P => "P",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "L" => Some(Gender::L),
            "P" => Some(Gender::P),
            _ => None,
        }
    }
}

/// Why a NIP is invalid, naming the part that is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NipError {
    #[error("NIP must have 18 digits, found {0}")]
    Length(usize),
    #[error("NIP may contain digits only")]
    NotDigits,
    #[error("NIP: birth date {0} is not valid")]
    BirthDate(String),
    #[error("NIP: TMT month {0} is not valid")]
    TmtMonth(String),
    #[error("NIP: TMT {tmt} is before the 18th birthday ({birth_year})")]
    TmtBeforeAdult { tmt: String, birth_year: i32 },
    #[error("NIP: TMT {0} is after the current year")]
    TmtInFuture(String),
    #[error("NIP: gender digit {0} must be 1 or 2")]
    Gender(char),
    #[error("NIP: sequence 000 is not valid")]
    Sequence,
}

impl Localizable for NipError {
    fn key(&self) -> &'static str {
        match self {
            NipError::Length(_) => "nip.length",
            NipError::NotDigits => "nip.not_digits",
            NipError::BirthDate(_) => "nip.birth_date",
            NipError::TmtMonth(_) => "nip.tmt_month",
            NipError::TmtBeforeAdult { .. } => "nip.tmt_before_adult",
            NipError::TmtInFuture(_) => "nip.tmt_future",
            NipError::Gender(_) => "nip.gender",
            NipError::Sequence => "nip.sequence",
        }
    }

    fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            NipError::Length(n) => vec![("found", n.to_string())],
            NipError::NotDigits | NipError::Sequence => vec![],
            NipError::BirthDate(v) | NipError::TmtMonth(v) | NipError::TmtInFuture(v) => {
                vec![("value", v.clone())]
            }
            NipError::TmtBeforeAdult { tmt, birth_year } => {
                vec![
                    ("value", tmt.clone()),
                    ("birth_year", birth_year.to_string()),
                ]
            }
            NipError::Gender(c) => vec![("value", c.to_string())],
        }
    }
}

impl Nip {
    /// Parses a NIP typed with or without spaces, checked against `today` (for the TMT year).
    ///
    /// The kind is read from the digits: a `2` in position 13 followed by 1–9 can only be a
    /// PPPK code (a PNS TMT month never starts with 2).
    pub fn parse(input: &str, today: NaiveDate) -> Result<Nip, NipError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(NipError::NotDigits);
        }
        if digits.len() != 18 {
            return Err(NipError::Length(digits.len()));
        }
        let b = digits.as_bytes();
        let num = |from: usize, to: usize| -> u32 {
            b[from..to]
                .iter()
                .fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
        };
        let birth_date = NaiveDate::from_ymd_opt(num(0, 4) as i32, num(4, 6), num(6, 8))
            .ok_or_else(|| NipError::BirthDate(digits[0..8].to_string()))?;
        let tmt_year = num(8, 12) as i32;
        let (kind, tmt_month, gender_digit) = if b[12] == b'2' {
            let frekuensi = b[13] as char;
            if frekuensi == '0' {
                return Err(NipError::TmtMonth(digits[12..14].to_string()));
            }
            (NipKind::Pppk, None, b[14] as char)
        } else {
            let month = num(12, 14);
            if !(1..=12).contains(&month) {
                return Err(NipError::TmtMonth(digits[12..14].to_string()));
            }
            (NipKind::Pns, Some(month), b[14] as char)
        };
        let tmt_text = digits[8..if kind == NipKind::Pns { 14 } else { 12 }].to_string();
        if tmt_year < birth_date.year() + 18 {
            return Err(NipError::TmtBeforeAdult {
                tmt: tmt_text,
                birth_year: birth_date.year(),
            });
        }
        if tmt_year > today.year() {
            return Err(NipError::TmtInFuture(tmt_text));
        }
        let gender = match gender_digit {
            '1' => Gender::L,
            '2' => Gender::P,
            other => return Err(NipError::Gender(other)),
        };
        if &digits[15..18] == "000" {
            return Err(NipError::Sequence);
        }
        Ok(Nip {
            digits,
            birth_date,
            tmt_year,
            tmt_month,
            gender,
            kind,
        })
    }

    /// The 18 digits, no spaces: the stored form.
    pub fn as_str(&self) -> &str {
        &self.digits
    }
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }
    pub fn tmt_year(&self) -> i32 {
        self.tmt_year
    }
    /// TMT month; PPPK NIPs carry only the year.
    pub fn tmt_month(&self) -> Option<u32> {
        self.tmt_month
    }
    pub fn gender(&self) -> Gender {
        self.gender
    }
    pub fn kind(&self) -> NipKind {
        self.kind
    }

    /// Display form with spaces, e.g. `19740707 200212 1 008` (PPPK: `19900101 2021 2 1 1 001`).
    pub fn display(&self) -> String {
        let d = &self.digits;
        match self.kind {
            NipKind::Pns => format!("{} {} {} {}", &d[0..8], &d[8..14], &d[14..15], &d[15..18]),
            NipKind::Pppk => format!(
                "{} {} {} {} {} {}",
                &d[0..8],
                &d[8..12],
                &d[12..13],
                &d[13..14],
                &d[14..15],
                &d[15..18]
            ),
        }
    }

    /// The NIP with its middle hidden, for public pages: `19740707********008`.
    pub fn masked(&self) -> String {
        format!(
            "{}{}{}",
            &self.digits[..8],
            "*".repeat(7),
            &self.digits[15..]
        )
    }
}

impl fmt::Display for Nip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    #[test]
    fn valid_nips_parse_into_their_parts() {
        // (input, kind, birth, tmt_year, tmt_month, gender)
        let cases = [
            (
                "19740707 200212 1 008",
                NipKind::Pns,
                (1974, 7, 7),
                2002,
                Some(12),
                Gender::L,
            ),
            (
                "197407072002121008",
                NipKind::Pns,
                (1974, 7, 7),
                2002,
                Some(12),
                Gender::L,
            ),
            (
                "198802292015032001",
                NipKind::Pns,
                (1988, 2, 29),
                2015,
                Some(3),
                Gender::P,
            ),
            (
                "199001012021211001",
                NipKind::Pppk,
                (1990, 1, 1),
                2021,
                None,
                Gender::L,
            ),
            (
                "199505052023292999",
                NipKind::Pppk,
                (1995, 5, 5),
                2023,
                None,
                Gender::P,
            ),
            (
                "200001012026011001",
                NipKind::Pns,
                (2000, 1, 1),
                2026,
                Some(1),
                Gender::L,
            ),
        ];
        for (input, kind, (y, m, d), tmt_year, tmt_month, gender) in cases {
            let nip = Nip::parse(input, today()).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(nip.kind(), kind, "{input}");
            assert_eq!(
                nip.birth_date(),
                NaiveDate::from_ymd_opt(y, m, d).expect("date")
            );
            assert_eq!(nip.tmt_year(), tmt_year, "{input}");
            assert_eq!(nip.tmt_month(), tmt_month, "{input}");
            assert_eq!(nip.gender(), gender, "{input}");
            assert_eq!(nip.as_str().len(), 18);
        }
    }

    #[test]
    fn each_invalid_part_is_named() {
        let cases: [(&str, NipError); 11] = [
            ("1974070720021210", NipError::Length(16)),
            ("1974070720021210081", NipError::Length(19)),
            ("19740707200212100A", NipError::NotDigits),
            (
                "19741307200212100 8",
                NipError::BirthDate("19741307".into()),
            ),
            ("197402302002121008", NipError::BirthDate("19740230".into())),
            ("198902292015032001", NipError::BirthDate("19890229".into())),
            ("197407072002131008", NipError::TmtMonth("13".into())),
            ("197407072002001008", NipError::TmtMonth("00".into())),
            (
                "197407071990011008",
                NipError::TmtBeforeAdult {
                    tmt: "199001".into(),
                    birth_year: 1974,
                },
            ),
            ("197407072027011008", NipError::TmtInFuture("202701".into())),
            ("197407072002123008", NipError::Gender('3')),
        ];
        for (input, expected) in cases {
            assert_eq!(Nip::parse(input, today()), Err(expected), "{input}");
        }
        assert_eq!(
            Nip::parse("197407072002121000", today()),
            Err(NipError::Sequence)
        );
        assert_eq!(
            Nip::parse("199001012021201001", today()),
            Err(NipError::TmtMonth("20".into()))
        );
        assert_eq!(
            Nip::parse("199001012021210001", today()),
            Err(NipError::Gender('0'))
        );
    }

    #[test]
    fn display_and_mask() {
        let nip = Nip::parse("197407072002121008", today()).expect("valid");
        assert_eq!(nip.display(), "19740707 200212 1 008");
        assert_eq!(nip.masked(), "19740707*******008");
    }
}
