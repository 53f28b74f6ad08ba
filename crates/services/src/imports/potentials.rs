//! Importing potential scores (an assessment center's results): `NIP`, `Tahun`, `Skor`,
//! `Sumber`. One score per ASN per year; a later import replaces it.

use std::collections::HashSet;

use cakap_store::Conn;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult};

const SPEC: &[Column] = &[
    Column::required("nip", &["NIP", "nip", "nip_baru"]),
    Column::required("year", &["Tahun", "year", "tahun"]),
    Column::required("score", &["Skor", "score", "Skor Potensi", "nilai_potensi"]),
    Column::optional("source", &["Sumber", "source"]),
];

pub(super) struct Potentials;

/// (employee, year, score, source)
type Row = (i64, i64, f64, Option<String>);

impl Kind for Potentials {
    const NAME: &'static str = "potentials";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Performance];
    type Plan = Vec<Row>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Vec<Row>>> {
        let mut c = db.conn().await?;
        let nips = super::employee_ids(&mut c, actor.tenant_id).await?;
        drop(c);
        let mut plan = Vec::with_capacity(sheet.rows.len());
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
            ticks.checked(done);
        }
        let counts = Counts {
            valid: plan.len(),
            created: plan.len(),
            ..Counts::default()
        };
        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        plan: Vec<Row>,
        _: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        for (done, (e, y, s, src)) in plan.iter().enumerate() {
            cakap_store::performance::set_potential(
                c,
                actor.tenant_id,
                *e,
                *y,
                *s,
                src.as_deref(),
                &actor.username,
            )
            .await?;
            ticks.written(done);
        }
        Ok(())
    }
}
