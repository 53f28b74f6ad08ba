//! Recognition (DOMAIN §14; docs/domain.md#recognition): who is due a Satyalancana Karya Satya
//! (PP 35/2010) in a year, and who the regency's rule nominates as "ASN Berprestasi".

use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::Predikat;

/// The class of a Satyalancana Karya Satya.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Satya {
    X,
    XX,
    XXX,
}

impl Satya {
    pub fn as_str(self) -> &'static str {
        match self {
            Satya::X => "X",
            Satya::XX => "XX",
            Satya::XXX => "XXX",
        }
    }

    /// The highest class `years` of service reach (10, 20, 30).
    pub fn of(years: i32) -> Option<Satya> {
        match years {
            30.. => Some(Satya::XXX),
            20.. => Some(Satya::XX),
            10.. => Some(Satya::X),
            _ => None,
        }
    }
}

/// The day years of service are counted to in `year`: 17 August, when the decorations are
/// presented (**Decision**, docs/domain.md#recognition).
pub fn counted_on(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 8, 17)
}

/// Whole years from TMT CPNS (the 1st of its month) to `on`.
pub fn service_years(tmt_year: i32, tmt_month: u32, on: NaiveDate) -> i32 {
    let mut years = on.year() - tmt_year;
    if on.month() < tmt_month {
        years -= 1;
    }
    years.max(0)
}

/// Why someone on the disciplinary list is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// Hukuman disiplin ringan: does not bar a decoration.
    Ringan,
    Sedang,
    Berat,
    /// Cuti di luar tanggungan negara.
    Cltn,
}

impl Record {
    pub const ALL: [Record; 4] = [Record::Ringan, Record::Sedang, Record::Berat, Record::Cltn];

    pub fn as_str(self) -> &'static str {
        match self {
            Record::Ringan => "ringan",
            Record::Sedang => "sedang",
            Record::Berat => "berat",
            Record::Cltn => "cltn",
        }
    }

    /// Accepts the code or the words a BKPSDM list uses ("Hukuman disiplin sedang", "CLTN").
    pub fn parse(s: &str) -> Option<Record> {
        let s = s.trim().to_lowercase();
        if s.contains("cltn") || s.contains("luar tanggungan") {
            return Some(Record::Cltn);
        }
        Record::ALL
            .into_iter()
            .find(|r| s == r.as_str() || s.ends_with(&format!(" {}", r.as_str())))
    }

    /// Whether it bars a Satyalancana Karya Satya (DOMAIN §14: sedang, berat, CLTN).
    pub fn bars_satyalancana(self) -> bool {
        self != Record::Ringan
    }

    /// Whether it is a disciplinary sentence (every level; CLTN is leave, not a sentence).
    pub fn is_sentence(self) -> bool {
        self != Record::Cltn
    }
}

/// The regency's rule for "ASN Berprestasi" nominations (**Decision**, tenant data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominationRule {
    /// The lowest final annual predikat (`sangat_baik` … `sangat_kurang`).
    pub min_predikat: String,
    /// Talent-map boxes that qualify (1–9).
    pub boxes: Vec<u8>,
    /// JP of the year at least.
    pub min_jp: i64,
    /// Whether any disciplinary sentence on record excludes.
    pub no_sentence: bool,
}

impl Default for NominationRule {
    /// DOMAIN §14: Sangat Baik, box 9, ≥ 20 JP, no disciplinary sentence.
    fn default() -> NominationRule {
        NominationRule {
            min_predikat: Predikat::SangatBaik.as_str().to_string(),
            boxes: vec![9],
            min_jp: 20,
            no_sentence: true,
        }
    }
}

/// What a person brings to the rule.
#[derive(Debug, Clone, Default)]
pub struct Candidate {
    pub predikat: Option<Predikat>,
    pub nine_box: Option<u8>,
    pub jp: i64,
    pub sentenced: bool,
}

/// One criterion of the rule and whether it is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Predikat,
    Box,
    Jp,
    NoSentence,
}

impl NominationRule {
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if Predikat::from_str(&self.min_predikat).is_err() {
            return Err(("min_predikat", "recognition.predikat"));
        }
        if self.boxes.is_empty() || self.boxes.iter().any(|b| !(1..=9).contains(b)) {
            return Err(("boxes", "recognition.boxes"));
        }
        if !(0..=1000).contains(&self.min_jp) {
            return Err(("min_jp", "recognition.min_jp"));
        }
        Ok(())
    }

    /// Every criterion with whether `c` meets it; nominated when all are met.
    pub fn assess(&self, c: &Candidate) -> Vec<(Criterion, bool)> {
        let min = Predikat::from_str(&self.min_predikat).unwrap_or(Predikat::SangatBaik);
        let mut out = vec![
            (Criterion::Predikat, c.predikat.is_some_and(|p| p >= min)),
            (
                Criterion::Box,
                c.nine_box.is_some_and(|b| self.boxes.contains(&b)),
            ),
            (Criterion::Jp, c.jp >= self.min_jp),
        ];
        if self.no_sentence {
            out.push((Criterion::NoSentence, !c.sentenced));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn years_of_service_and_class_on_17_august() {
        // (TMT year, month, year counted, years, class)
        let table: &[(i32, u32, i32, i32, Option<Satya>)] = &[
            (2016, 8, 2026, 10, Some(Satya::X)),
            (2016, 9, 2026, 9, None),
            (2006, 3, 2026, 20, Some(Satya::XX)),
            (2006, 9, 2026, 19, Some(Satya::X)),
            (1996, 1, 2026, 30, Some(Satya::XXX)),
            (1990, 4, 2026, 36, Some(Satya::XXX)),
            (2026, 1, 2026, 0, None),
            (2030, 1, 2026, 0, None),
        ];
        for &(y, m, year, years, class) in table {
            let on = counted_on(year).expect("17 August");
            assert_eq!(on, d(year, 8, 17));
            assert_eq!(service_years(y, m, on), years, "{y}-{m} in {year}");
            assert_eq!(Satya::of(years), class, "{years}");
        }
    }

    #[test]
    fn the_list_of_records_reads_codes_and_words() {
        let table = [
            ("sedang", Some(Record::Sedang)),
            ("Hukuman disiplin berat", Some(Record::Berat)),
            ("HUKDIS RINGAN", Some(Record::Ringan)),
            ("CLTN", Some(Record::Cltn)),
            ("cuti di luar tanggungan negara", Some(Record::Cltn)),
            ("teguran", None),
            ("", None),
        ];
        for (s, r) in table {
            assert_eq!(Record::parse(s), r, "{s}");
        }
        assert!(!Record::Ringan.bars_satyalancana());
        assert!(Record::Cltn.bars_satyalancana() && !Record::Cltn.is_sentence());
    }

    #[test]
    fn nominations_follow_the_rule() {
        let rule = NominationRule::default();
        let star = Candidate {
            predikat: Some(Predikat::SangatBaik),
            nine_box: Some(9),
            jp: 20,
            sentenced: false,
        };
        let met = |c: &Candidate| rule.assess(c).iter().all(|(_, ok)| *ok);
        assert!(met(&star));
        type Change = fn(&mut Candidate);
        let table: &[(Change, Criterion)] = &[
            (|c| c.predikat = Some(Predikat::Baik), Criterion::Predikat),
            (|c| c.predikat = None, Criterion::Predikat),
            (|c| c.nine_box = Some(8), Criterion::Box),
            (|c| c.nine_box = None, Criterion::Box),
            (|c| c.jp = 19, Criterion::Jp),
            (|c| c.sentenced = true, Criterion::NoSentence),
        ];
        for (change, failing) in table {
            let mut c = star.clone();
            change(&mut c);
            let unmet: Vec<Criterion> = rule
                .assess(&c)
                .into_iter()
                .filter(|(_, ok)| !ok)
                .map(|(k, _)| k)
                .collect();
            assert_eq!(unmet, vec![*failing]);
        }
        let lenient = NominationRule {
            min_predikat: "baik".into(),
            boxes: vec![8, 9],
            min_jp: 0,
            no_sentence: false,
        };
        let mut c = star.clone();
        c.predikat = Some(Predikat::Baik);
        c.nine_box = Some(8);
        c.sentenced = true;
        assert!(lenient.assess(&c).iter().all(|(_, ok)| *ok));
        assert_eq!(lenient.check(), Ok(()));
        let bad = NominationRule {
            boxes: vec![10],
            ..NominationRule::default()
        };
        assert_eq!(bad.check().map_err(|e| e.0), Err("boxes"));
        let bad = NominationRule {
            min_predikat: "' OR 1=1".into(),
            ..NominationRule::default()
        };
        assert_eq!(bad.check().map_err(|e| e.0), Err("min_predikat"));
    }
}
