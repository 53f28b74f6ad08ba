//! Crisis readiness (Perka BNPB 3/2016, the disaster emergency command system): hazards and
//! where they strike, the command roles, which kecamatan neighbour which, readiness of a
//! kecamatan for a hazard, and the assembly of a response team (docs/domain.md#readiness).

use std::collections::{HashMap, HashSet, VecDeque};

string_enum! {
    /// The hazards of Aceh Barat Daya.
    Hazard {
        Banjir = "banjir",
        Longsor = "longsor",
        BanjirBandang = "banjir_bandang",
        Gempa = "gempa",
        Tsunami = "tsunami",
    }
}

impl Hazard {
    pub fn label(self, english: bool) -> &'static str {
        match (self, english) {
            (Hazard::Banjir, false) => "Banjir",
            (Hazard::Banjir, true) => "Flood",
            (Hazard::Longsor, false) => "Tanah longsor",
            (Hazard::Longsor, true) => "Landslide",
            (Hazard::BanjirBandang, false) => "Banjir bandang",
            (Hazard::BanjirBandang, true) => "Flash flood",
            (Hazard::Gempa, false) => "Gempa bumi",
            (Hazard::Gempa, true) => "Earthquake",
            (Hazard::Tsunami, false) => "Tsunami",
            (Hazard::Tsunami, true) => "Tsunami",
        }
    }

    /// Kecamatan codes exposed to the hazard (DOMAIN §12): floods, flash floods and
    /// earthquakes everywhere; landslides along the national road; tsunami on the coast
    /// (**Decision**: Babahrot inland).
    pub fn exposed(self) -> &'static [&'static str] {
        const ALL: &[&str] = &[
            "11.12.01", "11.12.02", "11.12.03", "11.12.04", "11.12.05", "11.12.06", "11.12.07",
            "11.12.08", "11.12.09",
        ];
        match self {
            Hazard::Banjir | Hazard::BanjirBandang | Hazard::Gempa => ALL,
            Hazard::Longsor => &["11.12.05", "11.12.06", "11.12.09"],
            Hazard::Tsunami => &[
                "11.12.01", "11.12.02", "11.12.03", "11.12.04", "11.12.05", "11.12.07", "11.12.08",
                "11.12.09",
            ],
        }
    }

    pub fn exposes(self, kecamatan: &str) -> bool {
        self.exposed().contains(&kecamatan)
    }
}

string_enum! {
    /// Roles of the emergency command post, and the sections under operations.
    CommandRole {
        Komandan = "komandan",
        WakilKomandan = "wakil_komandan",
        Sekretariat = "sekretariat",
        Humas = "humas",
        Keselamatan = "keselamatan",
        PerwiraPenghubung = "perwira_penghubung",
        Operasi = "operasi",
        Perencanaan = "perencanaan",
        Logistik = "logistik",
        AdministrasiKeuangan = "administrasi_keuangan",
        Sar = "sar",
        Kesehatan = "kesehatan",
        KelompokRentan = "kelompok_rentan",
        KebutuhanDasar = "kebutuhan_dasar",
        SaranaKritis = "sarana_kritis",
    }
}

impl CommandRole {
    pub fn label(self, english: bool) -> &'static str {
        match (self, english) {
            (CommandRole::Komandan, false) => "Komandan",
            (CommandRole::Komandan, true) => "Commander",
            (CommandRole::WakilKomandan, false) => "Wakil komandan",
            (CommandRole::WakilKomandan, true) => "Deputy commander",
            (CommandRole::Sekretariat, false) => "Sekretariat",
            (CommandRole::Sekretariat, true) => "Secretariat",
            (CommandRole::Humas, false) => "Hubungan masyarakat",
            (CommandRole::Humas, true) => "Public information",
            (CommandRole::Keselamatan, false) => "Keselamatan dan keamanan",
            (CommandRole::Keselamatan, true) => "Safety and security",
            (CommandRole::PerwiraPenghubung, false) => "Perwira penghubung",
            (CommandRole::PerwiraPenghubung, true) => "Liaison officer",
            (CommandRole::Operasi, false) => "Operasi",
            (CommandRole::Operasi, true) => "Operations",
            (CommandRole::Perencanaan, false) => "Perencanaan",
            (CommandRole::Perencanaan, true) => "Planning",
            (CommandRole::Logistik, false) => "Logistik dan peralatan",
            (CommandRole::Logistik, true) => "Logistics",
            (CommandRole::AdministrasiKeuangan, false) => "Administrasi dan keuangan",
            (CommandRole::AdministrasiKeuangan, true) => "Finance and administration",
            (CommandRole::Sar, false) => "Pencarian dan penyelamatan",
            (CommandRole::Sar, true) => "Search and rescue",
            (CommandRole::Kesehatan, false) => "Kesehatan",
            (CommandRole::Kesehatan, true) => "Health",
            (CommandRole::KelompokRentan, false) => "Perlindungan kelompok rentan",
            (CommandRole::KelompokRentan, true) => "Vulnerable groups",
            (CommandRole::KebutuhanDasar, false) => "Pemenuhan kebutuhan dasar",
            (CommandRole::KebutuhanDasar, true) => "Basic needs",
            (CommandRole::SaranaKritis, false) => "Pemulihan sarana kritis",
            (CommandRole::SaranaKritis, true) => "Critical facilities",
        }
    }
}

/// Which kecamatan share a border (**Decision**, docs/domain.md#readiness: drawn from the
/// coast's order north-west to south-east and the inland ones behind it).
pub const ADJACENCY: &[(&str, &str)] = &[
    ("11.12.06", "11.12.05"), // Babahrot – Kuala Batee
    ("11.12.05", "11.12.08"), // Kuala Batee – Jeumpa
    ("11.12.05", "11.12.04"), // Kuala Batee – Susoh
    ("11.12.08", "11.12.04"), // Jeumpa – Susoh
    ("11.12.08", "11.12.01"), // Jeumpa – Blangpidie
    ("11.12.04", "11.12.01"), // Susoh – Blangpidie
    ("11.12.01", "11.12.07"), // Blangpidie – Setia
    ("11.12.01", "11.12.02"), // Blangpidie – Tangan-Tangan
    ("11.12.07", "11.12.02"), // Setia – Tangan-Tangan
    ("11.12.02", "11.12.03"), // Tangan-Tangan – Manggeng
    ("11.12.03", "11.12.09"), // Manggeng – Lembah Sabil
];

/// Hops from `from` to every kecamatan over [`ADJACENCY`] (0 = the same one); kecamatan not
/// reachable are absent.
pub fn hops_from(from: &str) -> HashMap<&'static str, u32> {
    let mut out: HashMap<&'static str, u32> = HashMap::new();
    let Some(start) = crate::kecamatan::Kecamatan::by_code(from) else {
        return out;
    };
    out.insert(start.code, 0);
    let mut queue = VecDeque::from([start.code]);
    while let Some(k) = queue.pop_front() {
        let d = out[k];
        for (a, b) in ADJACENCY {
            let next = if *a == k {
                *b
            } else if *b == k {
                *a
            } else {
                continue;
            };
            if !out.contains_key(next) {
                out.insert(next, d + 1);
                queue.push_back(next);
            }
        }
    }
    out
}

/// One line of a target table or a team request: `count` people holding `competency` at
/// `level` or above, for `role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub role: CommandRole,
    pub competency: i64,
    pub level: u8,
    pub count: u32,
}

/// Someone who could be placed: their effective levels of the competencies asked for, and
/// how far away they are (hops; 0 = in the kecamatan).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub employee: i64,
    pub distance: u32,
    pub levels: Vec<(i64, u8)>,
}

impl Candidate {
    pub fn level(&self, competency: i64) -> u8 {
        self.levels
            .iter()
            .find(|(c, _)| *c == competency)
            .map_or(0, |(_, l)| *l)
    }

    fn meets(&self, n: &Need) -> bool {
        self.level(n.competency) >= n.level
    }
}

/// Who fills each need: per need (same order), the employees placed, in placement order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub filled: Vec<Vec<i64>>,
}

impl Placement {
    /// How many each need is short.
    pub fn short(&self, needs: &[Need]) -> Vec<u32> {
        needs
            .iter()
            .zip(&self.filled)
            .map(|(n, f)| n.count.saturating_sub(f.len() as u32))
            .collect()
    }
}

/// Places people: needs in their order; for each, among those not yet placed who meet it,
/// the nearest first, then the one who meets the fewest of the needs still to fill (keep the
/// versatile for later, **Decision** "greedy by scarcity"), then the lower sufficient level
/// (keep the strongest for where they are needed), then the employee id. Each person once.
pub fn place(needs: &[Need], candidates: &[Candidate]) -> Placement {
    let mut used: HashSet<i64> = HashSet::new();
    let mut filled = Vec::with_capacity(needs.len());
    for (i, n) in needs.iter().enumerate() {
        let later = &needs[i + 1..];
        let mut fit: Vec<(&Candidate, usize)> = candidates
            .iter()
            .filter(|c| !used.contains(&c.employee) && c.meets(n))
            .map(|c| (c, later.iter().filter(|m| c.meets(m)).count()))
            .collect();
        fit.sort_by_key(|(c, options)| (c.distance, *options, c.level(n.competency), c.employee));
        let chosen: Vec<i64> = fit
            .into_iter()
            .take(n.count as usize)
            .map(|(c, _)| c.employee)
            .collect();
        used.extend(&chosen);
        filled.push(chosen);
    }
    Placement { filled }
}

/// Readiness of a kecamatan for a hazard (DOMAIN §12): per need `min(1, holders ÷ count)`,
/// averaged, × 100, rounded to 1 decimal; `holders` are those of the kecamatan itself (all at
/// distance 0), each counted once by [`place`]. `None` with no needs.
pub fn readiness(needs: &[Need], placement: &Placement) -> Option<f64> {
    let needs: Vec<(&Need, &Vec<i64>)> = needs
        .iter()
        .zip(&placement.filled)
        .filter(|(n, _)| n.count > 0)
        .collect();
    if needs.is_empty() {
        return None;
    }
    let sum: f64 = needs
        .iter()
        .map(|(n, f)| (f.len() as f64 / f64::from(n.count)).min(1.0))
        .sum();
    Some((sum / needs.len() as f64 * 1000.0).round() / 10.0)
}

/// Readiness bands for the map's colours: ≥ 80 siap, ≥ 50 sebagian, below rawan.
pub fn band(readiness: f64) -> &'static str {
    if readiness >= 80.0 {
        "siap"
    } else if readiness >= 50.0 {
        "sebagian"
    } else {
        "rawan"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(role: CommandRole, competency: i64, level: u8, count: u32) -> Need {
        Need {
            role,
            competency,
            level,
            count,
        }
    }

    fn cand(employee: i64, distance: u32, levels: &[(i64, u8)]) -> Candidate {
        Candidate {
            employee,
            distance,
            levels: levels.to_vec(),
        }
    }

    #[test]
    fn exposure_follows_domain_12() {
        for h in Hazard::ALL {
            assert!(!h.exposed().is_empty());
            for k in h.exposed() {
                assert!(crate::kecamatan::Kecamatan::by_code(k).is_some(), "{k}");
            }
        }
        assert_eq!(Hazard::Banjir.exposed().len(), 9);
        assert_eq!(Hazard::Tsunami.exposed().len(), 8);
        assert!(!Hazard::Tsunami.exposes("11.12.06"), "Babahrot is inland");
        assert!(Hazard::Longsor.exposes("11.12.06"));
        assert!(!Hazard::Longsor.exposes("11.12.04"));
        assert_eq!("banjir_bandang".parse(), Ok(Hazard::BanjirBandang));
        assert_eq!("<script>".parse::<Hazard>(), Err(()));
        assert_eq!(CommandRole::ALL.len(), 15);
    }

    #[test]
    fn every_kecamatan_is_reachable_and_hops_are_shortest() {
        for k in crate::kecamatan::ACEH_BARAT_DAYA {
            assert_eq!(hops_from(k.code).len(), 9, "{}", k.name);
        }
        let h = hops_from("11.12.06");
        assert_eq!(h["11.12.06"], 0);
        assert_eq!(h["11.12.05"], 1);
        assert_eq!(h["11.12.04"], 2);
        assert_eq!(h["11.12.01"], 3);
        assert_eq!(h["11.12.09"], 6);
        assert!(hops_from("99").is_empty());
    }

    /// (needs, holders' levels, expected readiness, expected short per need)
    #[test]
    fn readiness_table() {
        use CommandRole::*;
        type Row = (Vec<Need>, Vec<Candidate>, Option<f64>, Vec<u32>);
        let rows: Vec<Row> = vec![
            // nothing asked: no figure
            (vec![], vec![cand(1, 0, &[(10, 3)])], None, vec![]),
            // 2 of 4 logistics, 1 of 1 commander → (0.5 + 1) / 2 = 75.0
            (
                vec![need(Komandan, 1, 3, 1), need(Logistik, 5, 2, 4)],
                vec![
                    cand(1, 0, &[(1, 4)]),
                    cand(2, 0, &[(5, 2)]),
                    cand(3, 0, &[(5, 3)]),
                    cand(4, 0, &[(5, 1)]),
                ],
                Some(75.0),
                vec![0, 2],
            ),
            // one person qualifies for both: counted once, for the scarcer later need it is
            // the only one for → the first need takes the specialist
            (
                vec![need(Sar, 4, 2, 1), need(Kesehatan, 7, 2, 1)],
                vec![cand(1, 0, &[(4, 3), (7, 3)]), cand(2, 0, &[(4, 2)])],
                Some(100.0),
                vec![0, 0],
            ),
            // more than needed caps at 1; a third of three → (1 + 1/3) / 2 = 66.7
            (
                vec![need(Sar, 4, 2, 1), need(Kesehatan, 7, 3, 3)],
                vec![
                    cand(1, 0, &[(4, 5)]),
                    cand(2, 0, &[(4, 2)]),
                    cand(3, 0, &[(7, 3)]),
                ],
                Some(66.7),
                vec![0, 2],
            ),
            // nobody: 0.0
            (
                vec![need(Logistik, 5, 2, 2)],
                vec![cand(1, 0, &[(5, 1)])],
                Some(0.0),
                vec![2],
            ),
            // a count of 0 is ignored in the average
            (
                vec![need(Logistik, 5, 2, 0), need(Humas, 9, 1, 1)],
                vec![cand(1, 0, &[(9, 1)])],
                Some(100.0),
                vec![0, 0],
            ),
        ];
        for (i, (needs, cands, want, short)) in rows.into_iter().enumerate() {
            let p = place(&needs, &cands);
            assert_eq!(readiness(&needs, &p), want, "row {i}");
            assert_eq!(p.short(&needs), short, "row {i}");
        }
    }

    #[test]
    fn placement_takes_the_nearest_then_the_least_versatile() {
        use CommandRole::*;
        let needs = [need(Logistik, 5, 2, 2), need(Kesehatan, 7, 2, 1)];
        let cands = [
            cand(1, 2, &[(5, 3)]),
            cand(2, 0, &[(5, 2), (7, 2)]),
            cand(3, 1, &[(5, 2)]),
            cand(4, 0, &[(5, 2)]),
            cand(5, 3, &[(7, 4)]),
        ];
        let p = place(&needs, &cands);
        // 4 and 2 are both here; 4 can do only logistics, 2 both → 4 first, then 2 (still
        // nearer than 3). Health then goes to 5, far away.
        assert_eq!(p.filled, vec![vec![4, 2], vec![5]]);
        let fewer = [need(Logistik, 5, 2, 1), need(Kesehatan, 7, 2, 1)];
        assert_eq!(place(&fewer, &cands).filled, vec![vec![4], vec![2]]);
    }
}
