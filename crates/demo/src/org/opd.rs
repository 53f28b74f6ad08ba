//! The OPD of the regency with their bidang and fungsional staff, read from
//! data/opd.toml.

use std::sync::LazyLock;

use cakap_domain::{Jenjang, PositionKind};
use serde::Deserialize;

use super::super::data::{self, data_file};
use super::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Opd {
    pub(super) code: String,
    pub(super) name: String,
    /// Title of the head (a JPT pratama).
    pub(super) head: String,
    /// The first bidang also holds the fungsional staff.
    pub(super) bidang: Vec<String>,
    fungsional: Vec<Staff>,
}

/// A staff position as opd.toml writes it: the arguments of `fung` (or `pelaksana`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Staff {
    name: String,
    #[serde(default = "fungsional")]
    kind: PositionKind,
    jenjang: Option<Jenjang>,
    kelas: i64,
    weight: u32,
    gelar_before: Option<String>,
    gelar_after: Option<String>,
    pppk_pct: u32,
}

fn fungsional() -> PositionKind {
    PositionKind::Fungsional
}

impl Opd {
    /// The fungsional (and pelaksana) staff of the first bidang.
    pub(super) fn fungsional(&'static self) -> Vec<PosSpec> {
        self.fungsional
            .iter()
            .map(|s| {
                let gelar = match (&s.gelar_before, &s.gelar_after) {
                    (Some(g), _) => Gelar::Before(g),
                    (None, Some(g)) => Gelar::After(g),
                    (None, None) => Gelar::None,
                };
                staff(
                    &s.name,
                    s.kind.as_str(),
                    s.jenjang.map(Jenjang::as_str),
                    s.kelas,
                    s.weight,
                    gelar,
                    s.pppk_pct,
                )
            })
            .collect()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    opd: Vec<Opd>,
}

static OPD: LazyLock<Vec<Opd>> = LazyLock::new(|| {
    let file = data_file!("opd.toml");
    let opd = data::toml::<Table>(file).opd;
    for s in opd.iter().flat_map(|o| &o.fungsional) {
        if s.gelar_before.is_some() && s.gelar_after.is_some() {
            data::malformed(
                file,
                format!("{}: both gelar_before and gelar_after", s.name),
            );
        }
    }
    opd
});

/// The OPD in the order of the unit tree.
pub(super) fn opds() -> &'static [Opd] {
    &OPD
}
