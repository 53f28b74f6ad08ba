//! Performance and talent data for the demo: last year's annual evaluations (final, with
//! strengths and weaknesses) and potential scores for everyone, so the 9-box map and the
//! successors are filled; this year's quarters, the current one open with plans at every step
//! of the workflow in the Puskesmas Babahrot and the Dinas Kesehatan; a few key positions.

use cakap_domain::performance::BERAKHLAK;
use cakap_domain::status::{PeriodStatus, SkpStatus};
use cakap_domain::{Predikat, Rating};
use cakap_store::Conn;
use cakap_store::performance::{self as store, EvaluationRow, NewPeriod, ResultRow};
use chrono::{Datelike, NaiveDate};

use super::competence::Standards;
use super::rng::Rng;
use cakap_services::ServiceResult;

/// (unit code, is head, employee id, name, slot).
pub type Written<'a> = (&'a str, bool, i64, String, usize);

const RESULTS: [(&str, &str, &str); 6] = [
    (
        "Pelayanan kepada masyarakat sesuai standar pelayanan",
        "Persentase layanan selesai tepat waktu",
        "95%",
    ),
    (
        "Laporan kegiatan bulanan tersusun dan disampaikan",
        "Jumlah laporan tepat waktu",
        "12 laporan",
    ),
    (
        "Data sasaran program termutakhirkan",
        "Persentase data sasaran yang valid",
        "100%",
    ),
    (
        "Kegiatan penyuluhan/sosialisasi terlaksana",
        "Jumlah kegiatan",
        "8 kegiatan",
    ),
    (
        "Dokumen administrasi keuangan tertib",
        "Temuan pemeriksaan atas dokumen",
        "0 temuan",
    ),
    (
        "Kesiapsiagaan bencana di unit kerja",
        "Simulasi dan rencana kontinjensi",
        "2 simulasi",
    ),
];

fn results(rng: &mut Rng, n: usize) -> Vec<ResultRow> {
    let start = rng.below(RESULTS.len() as u32) as usize;
    (0..n)
        .map(|i| {
            let (d, ind, t) = RESULTS[(start + i) % RESULTS.len()];
            ResultRow {
                description: d.into(),
                indicator: ind.into(),
                target: t.into(),
                evidence: (i == 0).then(|| "https://drive.acehbaratdayakab.go.id/skp/bukti".into()),
                note: None,
            }
        })
        .collect()
}

/// Hasil and perilaku drawn so that most are Baik, some Sangat Baik, a few below.
fn ratings(rng: &mut Rng, head: bool) -> (Rating, Rating) {
    use Rating::{DiAtas, DiBawah, Sesuai};
    let roll = rng.below(100) + if head { 10 } else { 0 };
    match roll {
        0..2 => (DiBawah, DiBawah),
        2..5 => (Sesuai, DiBawah),
        5..12 => (DiBawah, Sesuai),
        12..67 => (Sesuai, Sesuai),
        67..75 => (Sesuai, DiAtas),
        75..85 => (DiAtas, Sesuai),
        _ => (DiAtas, DiAtas),
    }
}

fn evaluation(rng: &mut Rng, hasil: Rating, perilaku: Rating, evaluator: &str) -> EvaluationRow {
    // Each value as the overall behaviour, one of them a step apart now and then.
    let odd = rng.below(10) as usize;
    let other = match perilaku {
        Rating::DiAtas | Rating::DiBawah => Rating::Sesuai,
        Rating::Sesuai => Rating::DiAtas,
    };
    let v = |i: usize| if i == odd { other } else { perilaku }.as_str().to_string();
    debug_assert_eq!(BERAKHLAK.len(), 7);
    EvaluationRow {
        hasil_kerja: hasil.as_str().into(),
        perilaku_kerja: perilaku.as_str().into(),
        berorientasi_pelayanan: v(0),
        akuntabel: v(1),
        kompeten: v(2),
        harmonis: v(3),
        loyal: v(4),
        adaptif: v(5),
        kolaboratif: v(6),
        predikat: Predikat::of(hasil, perilaku).as_str().into(),
        note: None,
        evaluator: evaluator.into(),
    }
}

fn quarter_end(year: i32, q: u32) -> NaiveDate {
    let next = if q == 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, q * 3 + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MIN)
}

/// Writes the demo's performance data; returns the number of evaluations.
#[allow(clippy::too_many_arguments)]
pub async fn load(
    c: &mut Conn,
    tenant: i64,
    rng: &mut Rng,
    written: &[Written<'_>],
    standards: &Standards,
    key_positions: &[i64],
    asn: Option<i64>,
    today: NaiveDate,
) -> ServiceResult<usize> {
    let year = today.year();
    let fmt = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    let last = i64::from(year - 1);
    let annual = store::insert_period(
        c,
        tenant,
        &NewPeriod {
            code: &last.to_string(),
            kind: "annual",
            year: last,
            starts_on: &format!("{last}-01-01"),
            ends_on: &format!("{last}-12-31"),
        },
    )
    .await?;
    store::insert_period(
        c,
        tenant,
        &NewPeriod {
            code: &year.to_string(),
            kind: "annual",
            year: i64::from(year),
            starts_on: &format!("{year}-01-01"),
            ends_on: &format!("{year}-12-31"),
        },
    )
    .await?;
    let current_q = (today.month() - 1) / 3 + 1;
    let mut current = 0;
    for q in 1..=current_q {
        let start = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).unwrap_or(today);
        let id = store::insert_period(
            c,
            tenant,
            &NewPeriod {
                code: &format!("{year}-Q{q}"),
                kind: "periodic",
                year: i64::from(year),
                starts_on: &fmt(start),
                ends_on: &fmt(quarter_end(year, q)),
            },
        )
        .await?;
        if q < current_q {
            store::set_period_status(c, tenant, id, PeriodStatus::Closed).await?;
        }
        current = id;
    }

    // Last year: everyone planned, was rated and the rating is final.
    let mut evaluations = 0;
    for (unit, head, employee, _, slot) in written {
        let plan = store::insert_plan(c, tenant, *employee, annual).await?;
        store::replace_results(c, tenant, plan, &results(rng, 2)).await?;
        let (hasil, perilaku) = ratings(rng, *head);
        let evaluator = if unit.starts_with("PKM.06") {
            "kapus.babahrot"
        } else {
            "admin"
        };
        store::save_evaluation(
            c,
            tenant,
            plan,
            &evaluation(rng, hasil, perilaku, evaluator),
        )
        .await?;
        let mine = &standards.by_slot[*slot];
        let mut findings = Vec::new();
        if !mine.is_empty() {
            if rng.below(100) < 60 {
                let k = mine[rng.below(mine.len() as u32) as usize].0;
                findings.push((k, "weakness", None));
            }
            if rng.below(100) < 50 {
                let k = mine[rng.below(mine.len() as u32) as usize].0;
                if !findings
                    .iter()
                    .any(|f: &(i64, &str, Option<&str>)| f.0 == k)
                {
                    findings.push((k, "strength", None));
                }
            }
        }
        store::replace_findings(c, tenant, plan, &findings).await?;
        store::set_plan_status(c, tenant, plan, 1, SkpStatus::Final, None).await?;
        evaluations += 1;
        // Potential from an assessment center: most between 70 and 95, heads higher.
        let score = 66.0
            + f64::from(rng.below(30))
            + f64::from(rng.below(10)) / 10.0
            + if *head { 6.0 } else { 0.0 };
        let source = Some("Assessment center BKPSDM");
        store::set_potential(
            c,
            tenant,
            *employee,
            last,
            score.min(100.0),
            source,
            "admin",
        )
        .await?;
    }

    store::set_period_status(c, tenant, annual, PeriodStatus::Closed).await?;

    // This quarter, in the Puskesmas Babahrot and the Dinas Kesehatan: every step.
    for (unit, _, employee, _, _) in written
        .iter()
        .filter(|w| w.0 == "PKM.06" || w.0 == "DINKES")
    {
        let roll = if Some(*employee) == asn {
            0
        } else {
            rng.below(100)
        };
        if roll >= 90 {
            continue; // no plan yet
        }
        let plan = store::insert_plan(c, tenant, *employee, current).await?;
        store::replace_results(c, tenant, plan, &results(rng, 3)).await?;
        let evaluator = if *unit == "PKM.06" {
            "kapus.babahrot"
        } else {
            "kadinkes"
        };
        match roll {
            0..25 => {} // draft
            25..35 => {
                let note = Some("Target belum terukur; mohon perjelas indikator.");
                store::set_plan_status(c, tenant, plan, 1, SkpStatus::Returned, note).await?;
            }
            35..70 => {
                store::set_plan_status(c, tenant, plan, 1, SkpStatus::Submitted, None).await?;
            }
            _ => {
                let (hasil, perilaku) = ratings(rng, false);
                let e = evaluation(rng, hasil, perilaku, evaluator);
                store::save_evaluation(c, tenant, plan, &e).await?;
                store::set_plan_status(c, tenant, plan, 1, SkpStatus::Evaluated, None).await?;
                evaluations += 1;
            }
        }
    }
    for p in key_positions {
        store::set_key_position(c, tenant, *p, true, "admin").await?;
    }
    Ok(evaluations)
}
