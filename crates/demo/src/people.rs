//! Demo people: Acehnese names, and NIPs whose birth date, TMT, golongan and position fit
//! together (entry grade by education, one grade about every four years).

use std::sync::LazyLock;

use cakap_domain::{Golongan, NipKind};
use serde::Deserialize;

use super::data::{self, data_file};
use super::org::{Gelar, PosSpec};
use super::rng::Rng;

/// First names (men's, women's) and family names, read from data/names.toml.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Names {
    male: Vec<String>,
    female: Vec<String>,
    family: Vec<String>,
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let file = data_file!("names.toml");
    let names: Names = data::toml(file);
    // After the titles Teuku and Cut, `person` picks a second first name past these.
    let starts = |list: &[String], head: &[&str]| {
        list.len() > head.len() && list.iter().zip(head).all(|(a, b)| a == b)
    };
    if !starts(&names.male, &["Muhammad", "Teuku"])
        || !starts(&names.female, &["Cut"])
        || names.family.is_empty()
    {
        data::malformed(
            file,
            "male must begin Muhammad, Teuku and female Cut, family not be empty",
        );
    }
    names
});

pub struct Person {
    pub name: String,
    pub nip: String,
    pub status: NipKind,
    pub golongan: Golongan,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// A believable holder of `pos`. `seq` makes the NIP sequence unique.
pub fn person(rng: &mut Rng, pos: &PosSpec, seq: u32) -> Person {
    let names = &*NAMES;
    let female = rng.below(100) < 48 + if pos.kind == "fungsional" { 12 } else { 0 };
    let first = if female {
        rng.pick(&names.female)
    } else {
        rng.pick(&names.male)
    };
    let second = if first == "Cut" || first == "Teuku" {
        if female {
            rng.pick(&names.female[1..])
        } else {
            rng.pick(&names.male[2..])
        }
    } else {
        rng.pick(&names.family)
    };
    let base = format!("{first} {second}");
    let name = match pos.gelar {
        Gelar::None => base.clone(),
        Gelar::Before(g) => format!("{g} {base}"),
        Gelar::After(g) => format!("{base}, {g}"),
    };
    let pppk = rng.below(100) < pos.pppk_pct;
    let (status, golongan, tmt_year, birth_year) = if pppk {
        pppk_career(rng, pos)
    } else {
        pns_career(rng, pos)
    };
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let gender = if female { 2 } else { 1 };
    let nip = match status {
        NipKind::Pns => format!(
            "{birth_year:04}{month:02}{day:02}{tmt_year:04}{:02}{gender}{:03}",
            [1, 3, 4, 12][rng.below(4) as usize],
            1 + seq % 999
        ),
        NipKind::Pppk => format!(
            "{birth_year:04}{month:02}{day:02}{tmt_year:04}2{}{gender}{:03}",
            1 + rng.below(3),
            1 + seq % 999
        ),
    };
    let slug = base.to_lowercase().replace(' ', ".");
    Person {
        name,
        nip,
        status,
        golongan,
        email: (rng.below(100) < 80).then(|| format!("{slug}{}@acehbaratdayakab.go.id", seq % 97)),
        phone: (rng.below(100) < 90).then(|| {
            format!(
                "08{}{:08}",
                [11, 12, 13, 52, 53][rng.below(5) as usize],
                rng.below(100_000_000)
            )
        }),
    }
}

/// (entry grade index, grade range) by position: index 0 = I/a … 16 = IV/e.
fn pns_grades(pos: &PosSpec) -> (u32, u32, u32) {
    // II/a = 4, II/c = 6, III/a = 8, III/c = 10, IV/a = 12, IV/c = 14.
    match (pos.kind, pos.jenjang) {
        ("jpt_pratama" | "jpt_madya" | "jpt_utama", _) => (8, 14, 15),
        ("administrator", _) => (8, 11, 13),
        ("pengawas", _) => (8, 10, 11),
        ("pelaksana", _) if pos.kelas <= 5 => (4, 5, 8),
        ("pelaksana", _) => (6, 7, 10),
        (_, Some("terampil")) => (6, 6, 9),
        (_, Some("mahir")) => (6, 8, 9),
        (_, Some("penyelia")) => (6, 10, 11),
        (_, Some("ahli_pertama")) => (8, 8, 9),
        (_, Some("ahli_muda")) => (8, 10, 11),
        (_, Some("ahli_madya")) => (8, 12, 14),
        (_, Some("ahli_utama")) => (8, 15, 16),
        _ => (8, 11, 13),
    }
}

const CURRENT_YEAR: u32 = 2026;

fn pns_career(rng: &mut Rng, pos: &PosSpec) -> (NipKind, Golongan, u32, u32) {
    let (entry, low, high) = pns_grades(pos);
    let grade = low + rng.below(high - low + 1);
    let years = ((grade - entry) * 4 + rng.below(4)).clamp(1, 34);
    let tmt = CURRENT_YEAR - years;
    let entry_age = if entry >= 8 {
        23 + rng.below(6)
    } else {
        20 + rng.below(6)
    };
    let birth = (tmt - entry_age).max(CURRENT_YEAR - 57);
    let golongan = Golongan::all_pns()
        .nth(grade as usize)
        .unwrap_or(Golongan::Pns {
            ruang: 3,
            sub: b'a',
        });
    (NipKind::Pns, golongan, tmt, birth)
}

fn pppk_career(rng: &mut Rng, pos: &PosSpec) -> (NipKind, Golongan, u32, u32) {
    let tmt = [2019, 2021, 2022, 2023, 2024][rng.below(5) as usize];
    let golongan = match pos.jenjang {
        Some("terampil" | "mahir") => 7,
        Some("ahli_pertama") => 9,
        Some("ahli_muda" | "penyelia") => 10,
        Some(_) => 11,
        None => 5,
    };
    let birth = tmt - 24 - rng.below(16);
    (NipKind::Pppk, Golongan::Pppk(golongan), tmt, birth)
}
