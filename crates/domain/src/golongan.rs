//! Golongan/pangkat (docs/domain.md#golongan): PNS I/a–IV/e (PP 99/2000), PPPK I–XVII (Perpres 98/2020).

use std::fmt;
use std::str::FromStr;

use crate::Localizable;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Golongan {
    /// Ruang 1–4 and sub-grade `a`..`e` (IV goes to `e`, the others to `d`).
    Pns { ruang: u8, sub: u8 },
    /// PPPK golongan 1–17.
    Pppk(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("golongan {0:?} is not valid")]
pub struct GolonganError(pub String);

impl Localizable for GolonganError {
    fn key(&self) -> &'static str {
        "golongan.invalid"
    }
    fn args(&self) -> Vec<(&'static str, String)> {
        vec![("value", self.0.clone())]
    }
}

const ROMAN: [&str; 17] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII",
];

const PANGKAT: [[&str; 5]; 4] = [
    ["Juru Muda", "Juru Muda Tk. I", "Juru", "Juru Tk. I", ""],
    [
        "Pengatur Muda",
        "Pengatur Muda Tk. I",
        "Pengatur",
        "Pengatur Tk. I",
        "",
    ],
    [
        "Penata Muda",
        "Penata Muda Tk. I",
        "Penata",
        "Penata Tk. I",
        "",
    ],
    [
        "Pembina",
        "Pembina Tk. I",
        "Pembina Utama Muda",
        "Pembina Utama Madya",
        "Pembina Utama",
    ],
];

impl Golongan {
    /// The pangkat title of a PNS golongan (`III/a` → Penata Muda); PPPK have none.
    pub fn pangkat(self) -> Option<&'static str> {
        match self {
            Golongan::Pns { ruang, sub } => {
                Some(PANGKAT[usize::from(ruang - 1)][usize::from(sub - b'a')])
            }
            Golongan::Pppk(_) => None,
        }
    }

    pub fn is_pppk(self) -> bool {
        matches!(self, Golongan::Pppk(_))
    }

    /// Every PNS golongan, lowest first.
    pub fn all_pns() -> impl Iterator<Item = Golongan> {
        (1..=4u8).flat_map(|ruang| {
            let last = if ruang == 4 { b'e' } else { b'd' };
            (b'a'..=last).map(move |sub| Golongan::Pns { ruang, sub })
        })
    }
}

fn roman_value(s: &str) -> Option<u8> {
    ROMAN.iter().position(|r| *r == s).map(|i| i as u8 + 1)
}

impl FromStr for Golongan {
    type Err = GolonganError;

    /// Accepts `III/a`, `III-a`, `3a`, `IIIa`, `3/a`, any case, spaces ignored; PPPK as `IX`
    /// or `9`.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = || GolonganError(input.to_string());
        let s: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '/' && *c != '-')
            .collect::<String>()
            .to_ascii_uppercase();
        if s.is_empty() {
            return Err(err());
        }
        let last = s.as_bytes()[s.len() - 1];
        if (b'A'..=b'E').contains(&last) {
            let head = &s[..s.len() - 1];
            let ruang = head
                .parse::<u8>()
                .ok()
                .or_else(|| roman_value(head))
                .ok_or_else(err)?;
            let sub = last.to_ascii_lowercase();
            let max = if ruang == 4 { b'e' } else { b'd' };
            if !(1..=4).contains(&ruang) || sub > max {
                return Err(err());
            }
            return Ok(Golongan::Pns { ruang, sub });
        }
        let n = s
            .parse::<u8>()
            .ok()
            .or_else(|| roman_value(&s))
            .ok_or_else(err)?;
        if (1..=17).contains(&n) {
            Ok(Golongan::Pppk(n))
        } else {
            Err(err())
        }
    }
}

impl fmt::Display for Golongan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Golongan::Pns { ruang, sub } => {
                write!(f, "{}/{}", ROMAN[usize::from(*ruang - 1)], *sub as char)
            }
            Golongan::Pppk(n) => f.write_str(ROMAN[usize::from(*n - 1)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_input_forms_canonicalise() {
        let cases = [
            ("III/a", "III/a"),
            ("III-a", "III/a"),
            ("3a", "III/a"),
            ("IIIa", "III/a"),
            ("3/A", "III/a"),
            (" iii / b ", "III/b"),
            ("IV/e", "IV/e"),
            ("4e", "IV/e"),
            ("I/a", "I/a"),
            ("II/d", "II/d"),
            ("IX", "IX"),
            ("9", "IX"),
            ("XVII", "XVII"),
            ("17", "XVII"),
            ("i", "I"),
        ];
        for (input, canonical) in cases {
            let g: Golongan = input.parse().unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(g.to_string(), canonical, "{input}");
        }
    }

    #[test]
    fn invalid_forms_are_refused() {
        for input in [
            "", "III/e", "V/a", "0a", "5a", "18", "XVIII", "0", "III/f", "abc", "'; --",
        ] {
            assert!(
                input.parse::<Golongan>().is_err(),
                "{input} should be refused"
            );
        }
    }

    #[test]
    fn pangkat_titles_follow_pp_99_2000() {
        let titles: Vec<_> = Golongan::all_pns()
            .map(|g| (g.to_string(), g.pangkat()))
            .collect();
        assert_eq!(titles.len(), 17);
        assert_eq!(titles[0], ("I/a".into(), Some("Juru Muda")));
        assert_eq!(titles[3], ("I/d".into(), Some("Juru Tk. I")));
        assert_eq!(titles[8], ("III/a".into(), Some("Penata Muda")));
        assert_eq!(titles[11], ("III/d".into(), Some("Penata Tk. I")));
        assert_eq!(titles[14], ("IV/c".into(), Some("Pembina Utama Muda")));
        assert_eq!(titles[16], ("IV/e".into(), Some("Pembina Utama")));
        assert_eq!(Golongan::Pppk(9).pangkat(), None);
    }
}
