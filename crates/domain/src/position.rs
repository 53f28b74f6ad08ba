//! Position kinds and jenjang (UU 20/2023, PermenPANRB 38/2017) and the default required
//! level of managerial and sosial-kultural competencies per kind (docs/domain.md#default-levels, a Decision).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    JptUtama,
    JptMadya,
    JptPratama,
    Administrator,
    Pengawas,
    Pelaksana,
    Fungsional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Jenjang {
    Pemula,
    Terampil,
    Mahir,
    Penyelia,
    AhliPertama,
    AhliMuda,
    AhliMadya,
    AhliUtama,
}

impl PositionKind {
    pub const ALL: [PositionKind; 7] = [
        PositionKind::JptUtama,
        PositionKind::JptMadya,
        PositionKind::JptPratama,
        PositionKind::Administrator,
        PositionKind::Pengawas,
        PositionKind::Pelaksana,
        PositionKind::Fungsional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PositionKind::JptUtama => "jpt_utama",
            PositionKind::JptMadya => "jpt_madya",
            PositionKind::JptPratama => "jpt_pratama",
            PositionKind::Administrator => "administrator",
            PositionKind::Pengawas => "pengawas",
            PositionKind::Pelaksana => "pelaksana",
            PositionKind::Fungsional => "fungsional",
        }
    }

    /// Default required level for managerial and sosial-kultural competencies.
    /// `jenjang` matters only for fungsional; a fungsional without jenjang gets level 1.
    pub fn default_required_level(self, jenjang: Option<Jenjang>) -> u8 {
        match self {
            PositionKind::JptUtama | PositionKind::JptMadya => 5,
            PositionKind::JptPratama => 4,
            PositionKind::Administrator => 3,
            PositionKind::Pengawas => 2,
            PositionKind::Pelaksana => 1,
            PositionKind::Fungsional => match jenjang {
                Some(Jenjang::Pemula) | None => 1,
                Some(Jenjang::Terampil | Jenjang::Mahir | Jenjang::AhliPertama) => 2,
                Some(Jenjang::Penyelia | Jenjang::AhliMuda) => 3,
                Some(Jenjang::AhliMadya) => 4,
                Some(Jenjang::AhliUtama) => 5,
            },
        }
    }
}

impl FromStr for PositionKind {
    type Err = ();
    /// Accepts the API codes and the usual Indonesian labels ("Jabatan Fungsional", "JPT Pratama").
    fn from_str(s: &str) -> Result<Self, ()> {
        let norm: String = s
            .trim()
            .to_ascii_lowercase()
            .replace("jabatan", "")
            .replace("pimpinan tinggi", "jpt")
            .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("_");
        PositionKind::ALL
            .into_iter()
            .find(|k| k.as_str() == norm)
            .ok_or(())
    }
}

impl Jenjang {
    pub const ALL: [Jenjang; 8] = [
        Jenjang::Pemula,
        Jenjang::Terampil,
        Jenjang::Mahir,
        Jenjang::Penyelia,
        Jenjang::AhliPertama,
        Jenjang::AhliMuda,
        Jenjang::AhliMadya,
        Jenjang::AhliUtama,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Jenjang::Pemula => "pemula",
            Jenjang::Terampil => "terampil",
            Jenjang::Mahir => "mahir",
            Jenjang::Penyelia => "penyelia",
            Jenjang::AhliPertama => "ahli_pertama",
            Jenjang::AhliMuda => "ahli_muda",
            Jenjang::AhliMadya => "ahli_madya",
            Jenjang::AhliUtama => "ahli_utama",
        }
    }
}

impl FromStr for Jenjang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let norm = s.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Jenjang::ALL
            .into_iter()
            .find(|j| j.as_str() == norm)
            .ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_levels_follow_domain_table() {
        use Jenjang::*;
        use PositionKind::*;
        let cases = [
            (JptUtama, None, 5),
            (JptMadya, None, 5),
            (JptPratama, None, 4),
            (Administrator, None, 3),
            (Pengawas, None, 2),
            (Pelaksana, None, 1),
            (Fungsional, Some(Pemula), 1),
            (Fungsional, Some(Terampil), 2),
            (Fungsional, Some(Mahir), 2),
            (Fungsional, Some(Penyelia), 3),
            (Fungsional, Some(AhliPertama), 2),
            (Fungsional, Some(AhliMuda), 3),
            (Fungsional, Some(AhliMadya), 4),
            (Fungsional, Some(AhliUtama), 5),
        ];
        for (kind, jenjang, level) in cases {
            assert_eq!(
                kind.default_required_level(jenjang),
                level,
                "{kind:?} {jenjang:?}"
            );
        }
    }

    #[test]
    fn kinds_parse_from_codes_and_labels() {
        assert_eq!("jpt_pratama".parse(), Ok(PositionKind::JptPratama));
        assert_eq!("JPT Pratama".parse(), Ok(PositionKind::JptPratama));
        assert_eq!("Jabatan Fungsional".parse(), Ok(PositionKind::Fungsional));
        assert_eq!("Pelaksana".parse(), Ok(PositionKind::Pelaksana));
        assert_eq!("Ahli Muda".parse(), Ok(Jenjang::AhliMuda));
        assert!("manager".parse::<PositionKind>().is_err());
    }
}
