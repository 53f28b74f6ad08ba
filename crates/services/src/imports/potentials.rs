//! Importing potential scores (an assessment center's results): `NIP`, `Tahun`, `Skor`,
//! `Sumber`. One score per ASN per year; a later import replaces it.

use std::collections::{HashMap, HashSet};

use super::{Column, Columns, ImportSummary, Outcome, RowError, Sheet};
use crate::{Actor, Db, ServiceResult};

const SPEC: &[Column] = &[
    Column {
        field: "nip",
        names: &["NIP", "nip", "nip_baru"],
        required: true,
    },
    Column {
        field: "year",
        names: &["Tahun", "year", "tahun"],
        required: true,
    },
    Column {
        field: "score",
        names: &["Skor", "score", "Skor Potensi", "nilai_potensi"],
        required: true,
    },
    Column {
        field: "source",
        names: &["Sumber", "source"],
        required: false,
    },
];

pub async fn run(
    db: &Db,
    actor: &Actor,
    sheet: &Sheet,
    dry_run: bool,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> ServiceResult<Outcome> {
    let total = sheet.rows.len();
    let base = ImportSummary::new("potentials", total);
    let cols = match Columns::map(sheet, SPEC) {
        Ok(c) => c,
        Err(errors) => return Ok(Outcome::refused(base, errors)),
    };
    let mut c = db.conn().await?;
    let nips: HashMap<String, i64> = cakap_store::employees::nips(&mut c, actor.tenant_id)
        .await?
        .into_iter()
        .map(|r| (r.nip, r.id))
        .collect();
    drop(c);
    let mut errors = Vec::new();
    let mut plan = Vec::with_capacity(total);
    let mut seen = HashSet::new();
    for (done, (row, cells)) in sheet.rows.iter().enumerate() {
        let row = *row;
        let before = errors.len();
        let get = |f: &str| cols.get(cells, f);
        let fail = |f: &str, key: &'static str, value: &str| {
            RowError::value(row, cols.header(f), key, value)
        };
        let nip: String = get("nip").chars().filter(|c| !c.is_whitespace()).collect();
        let employee = nips.get(&nip).copied();
        if employee.is_none() {
            errors.push(fail("nip", "import.unknown_employee", &nip));
        }
        let year = get("year")
            .parse::<i64>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.push(fail("year", "performance.year", get("year")));
        }
        // Decimal comma as written in Indonesian spreadsheets.
        let score = get("score")
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && (0.0..=100.0).contains(s));
        if score.is_none() {
            errors.push(fail("score", "talent.score_range", get("score")));
        }
        let source = crate::validate::optional_text("source", Some(get("source")), 200)
            .map_err(|e| errors.push(super::row_error(row, cols.header("source"), e)));
        if let (Some(e), Some(y)) = (employee, year)
            && !seen.insert((e, y))
        {
            errors.push(fail("nip", "import.repeated", &nip));
        }
        if errors.len() == before
            && let (Some(e), Some(y), Some(s), Ok(src)) = (employee, year, score, source)
        {
            plan.push((e, y, (s * 100.0).round() / 100.0, src));
        }
        if done % 1000 == 999 {
            progress(done as u64 + 1, total as u64 * 2);
        }
    }
    let summary = ImportSummary {
        valid: plan.len(),
        created: plan.len(),
        ..base
    };
    if !errors.is_empty() || dry_run {
        return Ok(Outcome { summary, errors });
    }
    let mut c = db.begin().await?;
    for (done, (e, y, s, src)) in plan.iter().enumerate() {
        cakap_store::performance::set_potential(
            &mut c,
            actor.tenant_id,
            *e,
            *y,
            *s,
            src.as_deref(),
            &actor.username,
        )
        .await?;
        if done % 100 == 99 {
            progress((total + done + 1) as u64, total as u64 * 2);
        }
    }
    super::finish(c, actor, summary, progress).await
}
