//! Demo standards and assessment results: every position gets the default managerial and
//! sosial-kultural levels of its kind plus the technical competencies of its agency; three in
//! four ASN have results around their required level, so the gap pages show a believable mix
//! of Optimal, Cukup and Kurang Optimal, "belum diases", expired results and self-assessments.

use std::collections::HashMap;

use cakap_domain::{Jenjang, PositionKind};
use cakap_store::assessments::NewAssessment;
use chrono::{Duration, NaiveDate};

use super::org::PosSpec;
use super::rng::Rng;

/// The technical competencies (code, level) an agency's positions require, by unit code.
fn technical(unit: &str) -> &'static [(&'static str, i64)] {
    let prefix = unit.split('.').next().unwrap_or(unit);
    match prefix {
        "BPBD" => &[
            ("T.BNC.01", 3),
            ("T.BNC.02", 3),
            ("T.BNC.03", 3),
            ("T.BNC.04", 3),
            ("T.BNC.05", 2),
        ],
        "PKM" | "DINKES" | "RSUD" => &[("T.KES.01", 3), ("T.BNC.04", 2)],
        "DISDIK" | "SKL" => &[("T.PDK.01", 3), ("T.BNC.03", 1)],
        "BPKD" => &[("T.KEU.01", 3)],
        "BKPSDM" => &[("T.SDM.01", 3)],
        "INSP" => &[("T.AUD.01", 3), ("T.KEU.01", 2)],
        "DISDUKCAPIL" => &[("T.ADK.01", 3)],
        "BAPPEDA" => &[("T.REN.01", 3)],
        "SATPOLPP" => &[("T.TIB.01", 3), ("T.BNC.04", 2)],
        "DISPUSIP" => &[("T.ARS.01", 3)],
        "PUPR" => &[("T.BNC.06", 2), ("T.PBJ.01", 2)],
        "DINSOS" => &[("T.BNC.05", 2)],
        "CAMAT" => &[("T.BNC.01", 2), ("T.ADK.01", 2)],
        "SETDA" if unit == "SETDA.PBJ" => &[("T.PBJ.01", 3)],
        _ => &[("T.ARS.01", 2)],
    }
}

pub struct Standards {
    /// (position id, competency id, level).
    pub rows: Vec<(i64, i64, i64)>,
    /// Per slot index: (competency id, code, level).
    pub by_slot: Vec<Vec<(i64, &'static str, i64)>>,
}

pub fn standards(slots: &[(&str, i64, i64, &PosSpec)], ids: &HashMap<&str, i64>) -> Standards {
    let mut rows = Vec::new();
    let mut by_slot = Vec::with_capacity(slots.len());
    for (unit, _, position, spec) in slots {
        let kind: PositionKind = spec.kind.parse().unwrap_or(PositionKind::Pelaksana);
        let jenjang = spec.jenjang.and_then(|j| j.parse::<Jenjang>().ok());
        let default = i64::from(kind.default_required_level(jenjang));
        let mut set: Vec<(i64, &'static str, i64)> = super::dictionary::manajerial_and_sosial()
            .iter()
            .filter_map(|e| {
                ids.get(e.code.as_str())
                    .map(|id| (*id, e.code.as_str(), default))
            })
            .collect();
        for (code, level) in technical(unit) {
            if let Some(id) = ids.get(code) {
                // Leaders need technical depth a level above their staff, up to 4.
                let lift = i64::from(matches!(
                    kind,
                    PositionKind::JptPratama | PositionKind::Administrator
                ));
                set.push((*id, code, (level + lift).min(4)));
            }
        }
        rows.extend(set.iter().map(|(k, _, l)| (*position, *k, *l)));
        by_slot.push(set);
    }
    Standards { rows, by_slot }
}

pub struct Result {
    employee_id: i64,
    competency_id: i64,
    level: i64,
    method: &'static str,
    assessed_on: String,
    valid_until: Option<String>,
    assessor: Option<&'static str>,
}

impl Result {
    pub fn as_new(&self) -> NewAssessment<'_> {
        NewAssessment {
            employee_id: self.employee_id,
            competency_id: self.competency_id,
            competency_version: 1,
            level: self.level,
            method: self.method,
            assessed_on: &self.assessed_on,
            valid_until: self.valid_until.as_deref(),
            assessor: self.assessor,
            note: None,
            created_by: "demo",
        }
    }
}

/// Results for `people` (employee id, slot index).
pub fn assessments(
    rng: &mut Rng,
    people: &[(i64, usize)],
    slots: &[(&str, i64, i64, &PosSpec)],
    standards: &Standards,
    today: NaiveDate,
) -> Vec<Result> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 2).unwrap_or(today);
    let span = (today - start).num_days().max(1) as u32;
    let mut out = Vec::new();
    for &(employee_id, slot) in people {
        let spec = slots[slot].3;
        let roll = rng.below(100);
        if roll < 25 {
            continue; // belum diases
        }
        let leader = matches!(spec.kind, "jpt_pratama" | "jpt_madya" | "administrator");
        let (method, assessor) = if leader {
            (
                "assessment_center",
                Some("UPT Penilaian Kompetensi BKPSDM Aceh"),
            )
        } else {
            match rng.below(100) {
                0..60 => ("uji_kompetensi", Some("BKPSDM Kabupaten Aceh Barat Daya")),
                60..85 => ("360", None),
                _ => ("course", None),
            }
        };
        let on = start + Duration::days(i64::from(rng.below(span)));
        // Assessment-center results stay valid three years; the oldest have expired.
        let until = (method == "assessment_center").then(|| on + Duration::days(3 * 365));
        // A person's overall standing, then small differences per competency.
        let bias: i64 = match rng.below(100) {
            0..12 => -1,
            12..88 => 0,
            _ => 1,
        };
        for (competency_id, _, required) in &standards.by_slot[slot] {
            let delta = match rng.below(100) {
                0..24 => -1,
                24..86 => 0,
                _ => 1,
            };
            out.push(Result {
                employee_id,
                competency_id: *competency_id,
                level: (required + bias + delta).clamp(1, 5),
                method,
                assessed_on: on.format("%Y-%m-%d").to_string(),
                valid_until: until.map(|u| u.format("%Y-%m-%d").to_string()),
                assessor,
            });
        }
        if rng.below(100) < 12 {
            for (competency_id, _, required) in standards.by_slot[slot].iter().take(3) {
                out.push(Result {
                    employee_id,
                    competency_id: *competency_id,
                    level: (required + 1).min(5),
                    method: "self",
                    assessed_on: (on + Duration::days(30))
                        .min(today)
                        .format("%Y-%m-%d")
                        .to_string(),
                    valid_until: None,
                    assessor: None,
                });
            }
        }
    }
    out
}
