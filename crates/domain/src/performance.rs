//! Performance evaluation (PermenPANRB 6/2022; docs/domain.md#performance) and the 9-box talent map
//! (PermenPANRB 3/2020; docs/domain.md#talent-map).

use std::str::FromStr;

/// A rating of Hasil Kerja or Perilaku Kerja (and of each BerAKHLAK value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rating {
    DiBawah,
    Sesuai,
    DiAtas,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Rating::DiAtas, Rating::Sesuai, Rating::DiBawah];

    pub fn as_str(self) -> &'static str {
        match self {
            Rating::DiAtas => "di_atas",
            Rating::Sesuai => "sesuai",
            Rating::DiBawah => "di_bawah",
        }
    }
}

impl FromStr for Rating {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace([' ', '-'], "_")
            .as_str()
        {
            "di_atas" | "di_atas_ekspektasi" | "above" => Ok(Rating::DiAtas),
            "sesuai" | "sesuai_ekspektasi" | "meets" => Ok(Rating::Sesuai),
            "di_bawah" | "di_bawah_ekspektasi" | "below" => Ok(Rating::DiBawah),
            _ => Err(()),
        }
    }
}

/// The predikat of a period's evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Predikat {
    SangatKurang,
    /// "Kurang/Misconduct": good results with behaviour below expectation.
    Kurang,
    ButuhPerbaikan,
    Baik,
    SangatBaik,
}

impl Predikat {
    /// Best first, as reports list them.
    pub const ALL: [Predikat; 5] = [
        Predikat::SangatBaik,
        Predikat::Baik,
        Predikat::ButuhPerbaikan,
        Predikat::Kurang,
        Predikat::SangatKurang,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "sangat_baik",
            Predikat::Baik => "baik",
            Predikat::ButuhPerbaikan => "butuh_perbaikan",
            Predikat::Kurang => "kurang",
            Predikat::SangatKurang => "sangat_kurang",
        }
    }

    /// The regulation's label, exactly.
    pub fn label(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "Sangat Baik",
            Predikat::Baik => "Baik",
            Predikat::ButuhPerbaikan => "Butuh Perbaikan",
            Predikat::Kurang => "Kurang/Misconduct",
            Predikat::SangatKurang => "Sangat Kurang",
        }
    }

    /// As the predikat of an organisation (unit) is called: the top one is *Istimewa*.
    pub fn unit_label(self) -> &'static str {
        match self {
            Predikat::SangatBaik => "Istimewa",
            Predikat::Kurang => "Kurang",
            p => p.label(),
        }
    }

    /// The matrix of docs/domain.md#performance: rows hasil kerja, columns perilaku kerja.
    pub fn of(hasil: Rating, perilaku: Rating) -> Predikat {
        use Rating::{DiAtas, DiBawah, Sesuai};
        match (hasil, perilaku) {
            (DiAtas, DiAtas) => Predikat::SangatBaik,
            (DiAtas | Sesuai, Sesuai) | (Sesuai, DiAtas) => Predikat::Baik,
            (DiAtas | Sesuai, DiBawah) => Predikat::Kurang,
            (DiBawah, DiBawah) => Predikat::SangatKurang,
            (DiBawah, Sesuai | DiAtas) => Predikat::ButuhPerbaikan,
        }
    }

    /// The kinerja axis of the talent map: Sangat Baik above, Baik as expected, the rest below.
    pub fn kinerja(self) -> Rating {
        match self {
            Predikat::SangatBaik => Rating::DiAtas,
            Predikat::Baik => Rating::Sesuai,
            _ => Rating::DiBawah,
        }
    }
}

impl FromStr for Predikat {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '-', '/'], "_");
        Predikat::ALL
            .into_iter()
            .find(|p| p.as_str() == s || (s == "kurang_misconduct" && *p == Predikat::Kurang))
            .ok_or(())
    }
}

/// The seven BerAKHLAK core values (SE MenPANRB 20/2021), each with its guideline behaviours.
pub const BERAKHLAK: [(&str, &str, [&str; 3]); 7] = [
    (
        "berorientasi_pelayanan",
        "Berorientasi Pelayanan",
        [
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ],
    ),
    (
        "akuntabel",
        "Akuntabel",
        [
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ],
    ),
    (
        "kompeten",
        "Kompeten",
        [
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ],
    ),
    (
        "harmonis",
        "Harmonis",
        [
            "Menghargai setiap orang apa pun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ],
    ),
    (
        "loyal",
        "Loyal",
        [
            "Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ],
    ),
    (
        "adaptif",
        "Adaptif",
        [
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ],
    ),
    (
        "kolaboratif",
        "Kolaboratif",
        [
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ],
    ),
];

/// A rule of the distribution curve that a unit's ratings break (docs/domain.md#performance).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurveBreach {
    /// Message key: `curve.at_most`, `curve.at_least`, `curve.at_least_one` or
    /// `curve.none_allowed`.
    pub key: &'static str,
    /// The predikat (or predikat joined by " / ") the rule is about.
    pub what: String,
    /// The limit in percent (for at most / at least); 0 for "at least one".
    pub limit: u32,
    /// The share found, in percent of the rated people (rounded down to a tenth).
    pub found_permille: u32,
}

/// Checks the distribution of predikat among `counts` (per predikat) against the curve for
/// the unit's own predikat. An empty unit breaks nothing.
pub fn curve_breaches(unit: Predikat, counts: &[(Predikat, u32)]) -> Vec<CurveBreach> {
    use Predikat::{Baik, ButuhPerbaikan, Kurang, SangatBaik, SangatKurang};
    let total: u32 = counts.iter().map(|c| c.1).sum();
    if total == 0 {
        return Vec::new();
    }
    let n = |set: &[Predikat]| -> u32 {
        counts
            .iter()
            .filter(|c| set.contains(&c.0))
            .map(|c| c.1)
            .sum()
    };
    let permille = |set: &[Predikat]| n(set) * 1000 / total;
    let name = |set: &[Predikat]| {
        set.iter()
            .map(|p| p.label())
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut out = Vec::new();
    let mut at_most = |set: &[Predikat], pct: u32| {
        if n(set) * 100 > pct * total {
            out.push(CurveBreach {
                key: "curve.at_most",
                what: name(set),
                limit: pct,
                found_permille: permille(set),
            });
        }
    };
    match unit {
        SangatBaik => at_most(&[SangatBaik], 70),
        Baik => at_most(&[Baik], 70),
        ButuhPerbaikan | Kurang => at_most(&[SangatBaik], 10),
        SangatKurang => {}
    }
    let mut at_least = |set: &[Predikat], pct: u32| {
        let short = if pct == 0 {
            n(set) == 0
        } else {
            n(set) * 100 < pct * total
        };
        if short {
            out.push(CurveBreach {
                key: if pct == 0 {
                    "curve.at_least_one"
                } else {
                    "curve.at_least"
                },
                what: name(set),
                limit: pct,
                found_permille: permille(set),
            });
        }
    };
    match unit {
        SangatBaik => {}
        Baik => at_least(&[ButuhPerbaikan, Kurang], 0),
        ButuhPerbaikan => at_least(&[ButuhPerbaikan], 60),
        Kurang => {
            at_least(&[Kurang], 60);
            at_least(&[ButuhPerbaikan], 10);
        }
        SangatKurang => {
            at_least(&[SangatKurang], 60);
            at_least(&[Kurang, ButuhPerbaikan], 10);
        }
    }
    if unit == SangatKurang && n(&[SangatBaik]) > 0 {
        out.push(CurveBreach {
            key: "curve.none_allowed",
            what: SangatBaik.label().to_string(),
            limit: 0,
            found_permille: permille(&[SangatBaik]),
        });
    }
    out
}

/// The potential axis of the talent map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Potensi {
    Rendah,
    Menengah,
    Tinggi,
}

/// A tenant's thresholds on the potential score (docs/domain.md#talent-map decision: 90 and 78).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Lowest score that is tinggi.
    pub high: u8,
    /// Lowest score that is menengah.
    pub mid: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { high: 90, mid: 78 }
    }
}

impl Potensi {
    pub fn of(score: f64, t: Thresholds) -> Potensi {
        if score >= f64::from(t.high) {
            Potensi::Tinggi
        } else if score >= f64::from(t.mid) {
            Potensi::Menengah
        } else {
            Potensi::Rendah
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Potensi::Tinggi => "tinggi",
            Potensi::Menengah => "menengah",
            Potensi::Rendah => "rendah",
        }
    }
}

/// The box (1–9) of kinerja × potensi, as numbered in PermenPANRB 3/2020 (docs/domain.md#talent-map).
pub fn nine_box(kinerja: Rating, potensi: Potensi) -> u8 {
    use Potensi::{Menengah, Rendah, Tinggi};
    use Rating::{DiAtas, DiBawah, Sesuai};
    match (kinerja, potensi) {
        (DiAtas, Tinggi) => 9,
        (Sesuai, Tinggi) => 8,
        (DiAtas, Menengah) => 7,
        (DiBawah, Tinggi) => 6,
        (Sesuai, Menengah) => 5,
        (DiAtas, Rendah) => 4,
        (DiBawah, Menengah) => 3,
        (Sesuai, Rendah) => 2,
        (DiBawah, Rendah) => 1,
    }
}

/// Where a box sits in the 3×3 grid: (row from the top, 0 = tinggi; column, 0 = di bawah).
pub fn grid_position(b: u8) -> (usize, usize) {
    match b {
        9 => (0, 2),
        8 => (0, 1),
        6 => (0, 0),
        7 => (1, 2),
        5 => (1, 1),
        3 => (1, 0),
        4 => (2, 2),
        2 => (2, 1),
        _ => (2, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Predikat::*;
    use Rating::*;

    #[test]
    fn predikat_matrix_all_nine_cells() {
        // docs/domain.md#performance: rows hasil kerja, columns perilaku kerja (di bawah, sesuai, di atas).
        let table = [
            (DiAtas, [Kurang, Baik, SangatBaik]),
            (Sesuai, [Kurang, Baik, Baik]),
            (DiBawah, [SangatKurang, ButuhPerbaikan, ButuhPerbaikan]),
        ];
        for (hasil, row) in table {
            for (perilaku, want) in [DiBawah, Sesuai, DiAtas].into_iter().zip(row) {
                assert_eq!(
                    Predikat::of(hasil, perilaku),
                    want,
                    "{hasil:?} × {perilaku:?}"
                );
            }
        }
        assert_eq!(Kurang.label(), "Kurang/Misconduct");
        assert_eq!(
            Predikat::ALL.map(Predikat::unit_label),
            [
                "Istimewa",
                "Baik",
                "Butuh Perbaikan",
                "Kurang",
                "Sangat Kurang"
            ]
        );
        assert_eq!("Kurang/Misconduct".parse(), Ok(Kurang));
        assert_eq!("sangat_baik".parse(), Ok(SangatBaik));
        assert_eq!("di atas ekspektasi".parse(), Ok(DiAtas));
        assert!("luar biasa".parse::<Rating>().is_err());
    }

    #[test]
    fn nine_boxes_and_their_axes() {
        use Potensi::*;
        let table = [
            (DiAtas, Tinggi, 9),
            (Sesuai, Tinggi, 8),
            (DiAtas, Menengah, 7),
            (DiBawah, Tinggi, 6),
            (Sesuai, Menengah, 5),
            (DiAtas, Rendah, 4),
            (DiBawah, Menengah, 3),
            (Sesuai, Rendah, 2),
            (DiBawah, Rendah, 1),
        ];
        let mut cells = std::collections::HashSet::new();
        for (k, p, b) in table {
            assert_eq!(nine_box(k, p), b, "{k:?} × {p:?}");
            assert!(cells.insert(grid_position(b)), "box {b} has its own cell");
        }
        assert_eq!(SangatBaik.kinerja(), DiAtas);
        assert_eq!(Baik.kinerja(), Sesuai);
        for p in [ButuhPerbaikan, Kurang, SangatKurang] {
            assert_eq!(p.kinerja(), DiBawah);
        }
        let t = Thresholds::default();
        for (score, want) in [
            (100.0, Tinggi),
            (90.0, Tinggi),
            (89.99, Menengah),
            (78.0, Menengah),
            (77.99, Rendah),
            (0.0, Rendah),
        ] {
            assert_eq!(Potensi::of(score, t), want, "{score}");
        }
        let custom = Thresholds { high: 85, mid: 70 };
        assert_eq!(Potensi::of(86.0, custom), Tinggi);
        assert_eq!(Potensi::of(70.0, custom), Menengah);
    }

    fn keys(unit: Predikat, counts: &[(Predikat, u32)]) -> Vec<(&'static str, String)> {
        curve_breaches(unit, counts)
            .into_iter()
            .map(|b| (b.key, b.what))
            .collect()
    }

    #[test]
    fn each_curve_rule_passes_and_fails() {
        // Istimewa (the unit's Sangat Baik): at most 70% Sangat Baik.
        assert!(keys(SangatBaik, &[(SangatBaik, 7), (Baik, 3)]).is_empty());
        assert_eq!(
            keys(SangatBaik, &[(SangatBaik, 8), (Baik, 2)]),
            [("curve.at_most", "Sangat Baik".to_string())]
        );
        // Baik: at most 70% Baik and at least one Butuh Perbaikan or Kurang/Misconduct.
        assert!(keys(Baik, &[(Baik, 7), (SangatBaik, 2), (ButuhPerbaikan, 1)]).is_empty());
        assert!(keys(Baik, &[(Baik, 7), (SangatBaik, 2), (Kurang, 1)]).is_empty());
        assert_eq!(
            keys(Baik, &[(Baik, 8), (SangatBaik, 2)]),
            [
                ("curve.at_most", "Baik".to_string()),
                (
                    "curve.at_least_one",
                    "Butuh Perbaikan / Kurang/Misconduct".to_string()
                )
            ]
        );
        // Butuh Perbaikan: at least 60% Butuh Perbaikan, at most 10% Sangat Baik.
        assert!(
            keys(
                ButuhPerbaikan,
                &[(ButuhPerbaikan, 6), (Baik, 3), (SangatBaik, 1)]
            )
            .is_empty()
        );
        assert_eq!(
            keys(
                ButuhPerbaikan,
                &[(ButuhPerbaikan, 5), (Baik, 3), (SangatBaik, 2)]
            ),
            [
                ("curve.at_most", "Sangat Baik".to_string()),
                ("curve.at_least", "Butuh Perbaikan".to_string())
            ]
        );
        // Kurang: at least 60% Kurang, at least 10% Butuh Perbaikan, at most 10% Sangat Baik.
        assert!(
            keys(
                Kurang,
                &[(Kurang, 6), (ButuhPerbaikan, 1), (Baik, 2), (SangatBaik, 1)]
            )
            .is_empty()
        );
        assert_eq!(
            keys(Kurang, &[(Kurang, 5), (Baik, 3), (SangatBaik, 2)]),
            [
                ("curve.at_most", "Sangat Baik".to_string()),
                ("curve.at_least", "Kurang/Misconduct".to_string()),
                ("curve.at_least", "Butuh Perbaikan".to_string())
            ]
        );
        // Sangat Kurang: at least 60% Sangat Kurang, at least 10% Kurang or Butuh Perbaikan,
        // no Sangat Baik.
        assert!(keys(SangatKurang, &[(SangatKurang, 6), (Kurang, 1), (Baik, 3)]).is_empty());
        assert_eq!(
            keys(
                SangatKurang,
                &[(SangatKurang, 5), (Baik, 4), (SangatBaik, 1)]
            ),
            [
                ("curve.at_least", "Sangat Kurang".to_string()),
                (
                    "curve.at_least",
                    "Kurang/Misconduct / Butuh Perbaikan".to_string()
                ),
                ("curve.none_allowed", "Sangat Baik".to_string())
            ]
        );
        // Nobody rated: nothing to warn about.
        assert!(keys(Baik, &[]).is_empty());
        let b = &curve_breaches(SangatBaik, &[(SangatBaik, 3)])[0];
        assert_eq!((b.limit, b.found_permille), (70, 1000));
    }
}
