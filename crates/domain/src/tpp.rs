//! TPP — Tambahan Penghasilan Pegawai (PP 12/2019 Ps 58; Kepmendagri 900-4700/2020;
//! docs/domain.md#tpp). The amounts and cuts are set by each regency's Perkada, so they are
//! the tenant's data ([`Rules`], versioned by the services); this module computes one ASN's
//! month from them and says why, cut by cut.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{Predikat, rupiah};

/// Lateness bands of the discipline cut: 1–30, 31–60, 61–90 minutes, and over 90 minutes or
/// no attendance record.
pub const LATE_BANDS: [&str; 4] = [
    "1–30 menit",
    "31–60 menit",
    "61–90 menit",
    "> 90 menit atau tanpa rekaman",
];

/// A regency's TPP rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Rupiah per month by kelas jabatan (1–17).
    pub basic: BTreeMap<u8, i64>,
    /// Percent of the basic amount paid on performance (e.g. 60) and on discipline (e.g. 40);
    /// together 100.
    pub kinerja_share: f64,
    pub disiplin_share: f64,
    /// Percent of the kinerja part paid per SKP predikat (`sangat_baik`, `baik`,
    /// `butuh_perbaikan`, `kurang`, `sangat_kurang`).
    pub kinerja_pct: BTreeMap<String, f64>,
    /// Percent of the kinerja part paid to someone without a predikat yet.
    pub unrated_pct: f64,
    /// Percent of the discipline part cut per late arrival, by band ([`LATE_BANDS`]).
    pub late_cut: [f64; 4],
    /// Percent of the discipline part cut per unexcused day.
    pub absent_cut: f64,
}

impl Default for Rules {
    /// The demo's Perbup (**Decision**: amounts of a small regency in Aceh; the cuts are
    /// DOMAIN §14's examples).
    fn default() -> Rules {
        let basic = [
            (1, 1_150_000),
            (2, 1_250_000),
            (3, 1_350_000),
            (4, 1_500_000),
            (5, 1_650_000),
            (6, 1_850_000),
            (7, 2_100_000),
            (8, 2_450_000),
            (9, 2_900_000),
            (10, 3_400_000),
            (11, 4_100_000),
            (12, 5_000_000),
            (13, 6_200_000),
            (14, 8_000_000),
            (15, 10_500_000),
            (16, 13_000_000),
            (17, 16_000_000),
        ]
        .into_iter()
        .collect();
        let kinerja_pct = [
            ("sangat_baik", 100.0),
            ("baik", 100.0),
            ("butuh_perbaikan", 75.0),
            ("kurang", 50.0),
            ("sangat_kurang", 25.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        Rules {
            basic,
            kinerja_share: 60.0,
            disiplin_share: 40.0,
            kinerja_pct,
            unrated_pct: 100.0,
            late_cut: [0.5, 1.0, 1.25, 1.5],
            absent_cut: 3.0,
        }
    }
}

/// What is wrong with a rule set: the field, and the message key (`tpp.*` in the locale files).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {key}")]
pub struct RulesError {
    pub field: &'static str,
    pub key: &'static str,
}

impl Rules {
    pub fn check(&self) -> Result<(), RulesError> {
        let err = |field, key| Err(RulesError { field, key });
        if self.basic.is_empty() {
            return err("basic", "tpp.basic_empty");
        }
        if self
            .basic
            .iter()
            .any(|(k, v)| !(1..=17).contains(k) || *v < 0 || *v > 1_000_000_000)
        {
            return err("basic", "tpp.basic_invalid");
        }
        let pct = |x: f64| x.is_finite() && (0.0..=100.0).contains(&x);
        if !pct(self.kinerja_share)
            || !pct(self.disiplin_share)
            || (self.kinerja_share + self.disiplin_share - 100.0).abs() > 1e-9
        {
            return err("kinerja_share", "tpp.shares_invalid");
        }
        for p in Predikat::ALL {
            match self.kinerja_pct.get(p.as_str()) {
                Some(v) if pct(*v) => {}
                _ => return err("kinerja_pct", "tpp.kinerja_pct"),
            }
        }
        if self.kinerja_pct.len() != Predikat::ALL.len() {
            return err("kinerja_pct", "tpp.kinerja_pct");
        }
        if !pct(self.unrated_pct) {
            return err("unrated_pct", "tpp.percent");
        }
        if !self.late_cut.iter().all(|x| pct(*x)) || !pct(self.absent_cut) {
            return err("late_cut", "tpp.cuts_invalid");
        }
        Ok(())
    }
}

/// One ASN's attendance summary of a month: late arrivals per band ([`LATE_BANDS`]) and
/// unexcused days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub late: [i64; 4],
    pub absent: i64,
}

/// The month's TPP of one ASN.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub kelas: Option<u8>,
    /// Rupiah for the kelas (0 without one).
    pub basic: i64,
    /// Percent of the kinerja part paid.
    pub kinerja_pct: f64,
    /// Percent of the discipline part cut (at most 100).
    pub disiplin_cut_pct: f64,
    /// Rupiah: basic × (kinerja share × kinerja % + disiplin share × (100 − cut) %), rounded.
    pub amount: i64,
    /// Every step, in words.
    pub reasons: Vec<String>,
}

fn pct_text(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{} %", s.replace('.', ","))
}

/// The month's TPP for someone of `kelas` with `predikat` for the month and `attendance`
/// (none imported: no cut is known — said so).
pub fn compute(
    rules: &Rules,
    kelas: Option<u8>,
    predikat: Option<Predikat>,
    attendance: Option<&Attendance>,
) -> Line {
    let mut reasons = Vec::new();
    let basic = kelas.and_then(|k| rules.basic.get(&k)).copied();
    let Some(basic) = basic else {
        reasons.push(match kelas {
            Some(k) => format!("Kelas jabatan {k} tidak ada dalam aturan TPP: tidak dibayar"),
            None => "Jabatan tanpa kelas jabatan: tidak dibayar".into(),
        });
        return Line {
            kelas,
            basic: 0,
            kinerja_pct: 0.0,
            disiplin_cut_pct: 0.0,
            amount: 0,
            reasons,
        };
    };
    reasons.push(format!(
        "Kelas jabatan {}: {} (kinerja {}, disiplin {})",
        kelas.unwrap_or(0),
        rupiah(basic),
        pct_text(rules.kinerja_share),
        pct_text(rules.disiplin_share)
    ));
    let kinerja_pct = match predikat {
        Some(p) => {
            let v = rules.kinerja_pct.get(p.as_str()).copied().unwrap_or(0.0);
            reasons.push(format!(
                "Predikat {}: kinerja dibayar {}",
                p.label(),
                pct_text(v)
            ));
            v
        }
        None => {
            reasons.push(format!(
                "Belum ada predikat kinerja: kinerja dibayar {}",
                pct_text(rules.unrated_pct)
            ));
            rules.unrated_pct
        }
    };
    let mut cut = 0.0;
    match attendance {
        None => reasons.push("Rekap kehadiran bulan ini belum diimpor: tanpa potongan".into()),
        Some(a) => {
            for (i, n) in a.late.iter().enumerate() {
                if *n > 0 {
                    let c = *n as f64 * rules.late_cut[i];
                    cut += c;
                    reasons.push(format!(
                        "Terlambat {} {n} kali × {} = {}",
                        LATE_BANDS[i],
                        pct_text(rules.late_cut[i]),
                        pct_text(c)
                    ));
                }
            }
            if a.absent > 0 {
                let c = a.absent as f64 * rules.absent_cut;
                cut += c;
                reasons.push(format!(
                    "Tanpa keterangan {} hari × {} = {}",
                    a.absent,
                    pct_text(rules.absent_cut),
                    pct_text(c)
                ));
            }
            if cut == 0.0 {
                reasons.push("Disiplin penuh: tanpa potongan".into());
            }
        }
    }
    let cut = (cut * 100.0).round() / 100.0;
    let capped = cut.min(100.0);
    if cut > 100.0 {
        reasons.push(format!(
            "Potongan {} dibatasi 100 % dari porsi disiplin",
            pct_text(cut)
        ));
    }
    let paid = basic as f64
        * (rules.kinerja_share / 100.0 * kinerja_pct / 100.0
            + rules.disiplin_share / 100.0 * (100.0 - capped) / 100.0);
    let amount = paid.round() as i64;
    reasons.push(format!("Dibayar {}", rupiah(amount)));
    Line {
        kelas,
        basic,
        kinerja_pct,
        disiplin_cut_pct: capped,
        amount,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kelas, predikat, attendance, kinerja %, cut %, amount)
    type Case = (
        Option<u8>,
        Option<Predikat>,
        Option<Attendance>,
        f64,
        f64,
        i64,
    );

    fn att(late: [i64; 4], absent: i64) -> Attendance {
        Attendance { late, absent }
    }

    #[test]
    fn months_as_domain_md() {
        let r = Rules::default();
        // (kelas, predikat, attendance, kinerja %, cut %, amount) — docs/domain.md#tpp.
        let cases: &[Case] = &[
            // Kelas 7 Rp2.100.000: 60 % kinerja in full, 40 % discipline in full.
            (
                Some(7),
                Some(Predikat::Baik),
                Some(att([0; 4], 0)),
                100.0,
                0.0,
                2_100_000,
            ),
            // 3 × 0.5 % + 1 × 1.25 % = 2.75 % of the discipline part (Rp840.000 → Rp23.100).
            (
                Some(7),
                Some(Predikat::Baik),
                Some(att([3, 0, 1, 0], 0)),
                100.0,
                2.75,
                2_076_900,
            ),
            // Butuh Perbaikan: 75 % of Rp1.260.000; 2 unexcused days: 6 %.
            (
                Some(7),
                Some(Predikat::ButuhPerbaikan),
                Some(att([0; 4], 2)),
                75.0,
                6.0,
                1_734_600,
            ),
            // Cuts beyond the discipline part stop at 100 %: only the kinerja part is paid.
            (
                Some(9),
                Some(Predikat::SangatBaik),
                Some(att([0, 0, 0, 20], 30)),
                100.0,
                100.0,
                1_740_000,
            ),
            // No predikat yet: the rule's unrated share (100 %); no attendance: no cut, said so.
            (Some(5), None, None, 100.0, 0.0, 1_650_000),
            // Sangat Kurang: 25 %; every band once: 0.5 + 1 + 1.25 + 1.5 = 4.25 %.
            (
                Some(12),
                Some(Predikat::SangatKurang),
                Some(att([1, 1, 1, 1], 0)),
                25.0,
                4.25,
                2_665_000,
            ),
            // No kelas, or a kelas the rules do not pay: nothing.
            (None, Some(Predikat::Baik), None, 0.0, 0.0, 0),
        ];
        for (kelas, predikat, a, kinerja, cut, amount) in cases {
            let l = compute(&r, *kelas, *predikat, a.as_ref());
            assert_eq!(l.kinerja_pct, *kinerja, "{kelas:?} {predikat:?} {a:?}");
            assert_eq!(l.disiplin_cut_pct, *cut, "{kelas:?} {predikat:?} {a:?}");
            assert_eq!(
                l.amount, *amount,
                "{kelas:?} {predikat:?} {a:?}: {:?}",
                l.reasons
            );
            assert!(!l.reasons.is_empty());
        }
    }

    #[test]
    fn every_cut_is_explained() {
        let l = compute(
            &Rules::default(),
            Some(7),
            Some(Predikat::Baik),
            Some(&att([3, 0, 1, 0], 1)),
        );
        assert_eq!(
            l.reasons,
            [
                "Kelas jabatan 7: Rp2.100.000 (kinerja 60 %, disiplin 40 %)",
                "Predikat Baik: kinerja dibayar 100 %",
                "Terlambat 1–30 menit 3 kali × 0,5 % = 1,5 %",
                "Terlambat 61–90 menit 1 kali × 1,25 % = 1,25 %",
                "Tanpa keterangan 1 hari × 3 % = 3 %",
                "Dibayar Rp2.051.700",
            ]
        );
    }

    #[test]
    fn rules_are_checked() {
        assert_eq!(Rules::default().check(), Ok(()));
        let r = Rules {
            kinerja_share: 70.0,
            ..Rules::default()
        };
        assert_eq!(r.check().map_err(|e| e.field), Err("kinerja_share"));
        let mut r = Rules::default();
        r.basic.insert(18, 1);
        assert_eq!(r.check().map_err(|e| e.field), Err("basic"));
        let mut r = Rules::default();
        r.kinerja_pct.remove("baik");
        assert_eq!(r.check().map_err(|e| e.field), Err("kinerja_pct"));
        let mut r = Rules::default();
        r.late_cut[2] = f64::NAN;
        assert_eq!(r.check().map_err(|e| e.field), Err("late_cut"));
        let mut r = Rules::default();
        r.basic.insert(3, -5);
        assert_eq!(r.check().map_err(|e| e.field), Err("basic"));
    }
}
