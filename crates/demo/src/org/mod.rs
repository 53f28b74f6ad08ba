//! The demo organisation of Kabupaten Aceh Barat Daya: OPD, their sub-units, puskesmas and
//! schools in every kecamatan, the nine kantor camat, and the positions in each.

mod opd;
mod tree;

use opd::*;
pub use tree::*;

pub struct UnitSpec {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub kecamatan: &'static str,
    pub positions: Vec<PosSpec>,
}

#[derive(Clone)]
pub struct PosSpec {
    pub name: String,
    pub kind: &'static str,
    pub jenjang: Option<&'static str>,
    pub kelas: i64,
    /// 0 for a head (exactly one holder); otherwise the relative number of holders.
    pub weight: u32,
    /// Academic title added to holders' names (e.g. `S.Pd.`, `dr.`).
    pub gelar: Gelar,
    /// Share of holders who are PPPK, in percent.
    pub pppk_pct: u32,
}

#[derive(Clone, Copy)]
pub enum Gelar {
    None,
    Before(&'static str),
    After(&'static str),
}

fn head(name: &str, kind: &'static str, kelas: i64, gelar: Gelar) -> PosSpec {
    PosSpec {
        name: name.into(),
        kind,
        jenjang: None,
        kelas,
        weight: 0,
        gelar,
        pppk_pct: 0,
    }
}

fn staff(
    name: &str,
    kind: &'static str,
    jenjang: Option<&'static str>,
    kelas: i64,
    weight: u32,
    gelar: Gelar,
    pppk_pct: u32,
) -> PosSpec {
    PosSpec {
        name: name.into(),
        kind,
        jenjang,
        kelas,
        weight,
        gelar,
        pppk_pct,
    }
}

fn fung(
    name: &str,
    jenjang: &'static str,
    kelas: i64,
    weight: u32,
    gelar: Gelar,
    pppk_pct: u32,
) -> PosSpec {
    staff(
        name,
        "fungsional",
        Some(jenjang),
        kelas,
        weight,
        gelar,
        pppk_pct,
    )
}

fn pelaksana(name: &str, kelas: i64, weight: u32) -> PosSpec {
    staff(name, "pelaksana", None, kelas, weight, Gelar::None, 20)
}

const S1: Gelar = Gelar::After("S.E.");
const SPD: Gelar = Gelar::After("S.Pd.");
const STP: Gelar = Gelar::After("S.STP");
