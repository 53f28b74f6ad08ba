//! Importing monthly attendance summaries for TPP (docs/domain.md#tpp): per ASN and month,
//! late arrivals per band and unexcused days, as the attendance machine's report sums them.
//! A later import of the same month replaces the person's line. The first import of a month
//! records the TPP rule version in force at the month's end (`tpp_months`).

use std::collections::{BTreeSet, HashSet};

use cakap_store::Conn;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceError, ServiceResult};

const SPEC: &[Column] = &[
    Column::required("nip", &["NIP", "nip", "nip_baru"]),
    Column::required("month", &["Bulan", "month", "bulan", "Periode"]),
    Column::required(
        "late_1",
        &["Terlambat 1-30", "late_1_30", "terlambat_1_30", "TL1"],
    ),
    Column::required(
        "late_2",
        &["Terlambat 31-60", "late_31_60", "terlambat_31_60", "TL2"],
    ),
    Column::required(
        "late_3",
        &["Terlambat 61-90", "late_61_90", "terlambat_61_90", "TL3"],
    ),
    Column::required(
        "late_4",
        &["Terlambat >90", "late_over_90", "terlambat_lebih_90", "TL4"],
    ),
    Column::required(
        "absent",
        &["Tanpa Keterangan", "absent", "tanpa_keterangan", "TK"],
    ),
];

pub(super) struct Attendances;

pub(super) struct Line {
    employee: i64,
    month: String,
    late: [i64; 4],
    absent: i64,
}

impl Kind for Attendances {
    const NAME: &'static str = "attendance";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Tpp];
    type Plan = Vec<Line>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Vec<Line>>> {
        let mut c = db.conn().await?;
        // Without rules a month cannot be computed.
        if cakap_store::tpp::latest_rules(&mut c, actor.tenant_id)
            .await?
            .is_none()
        {
            return Err(ServiceError::invalid("file", "tpp.no_rules"));
        }
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
            let month = crate::tpp::parse_month(get("month")).ok().map(|m| m.0);
            if month.is_none() {
                errors.push(fail("month", "tpp.month_invalid", get("month")));
            }
            let mut counts = [0i64; 5];
            for (i, f) in ["late_1", "late_2", "late_3", "late_4", "absent"]
                .iter()
                .enumerate()
            {
                let v = get(f).trim();
                match if v.is_empty() {
                    Ok(0)
                } else {
                    v.parse::<i64>()
                } {
                    Ok(n) if (0..=31).contains(&n) => counts[i] = n,
                    _ => errors.push(fail(f, "tpp.count", v)),
                }
            }
            if let (Some(e), Some(m)) = (employee, &month)
                && !seen.insert((e, m.clone()))
            {
                errors.push(fail("nip", "import.repeated", &nip));
            }
            if errors.len() == before
                && let (Some(employee), Some(month)) = (employee, month)
            {
                plan.push(Line {
                    employee,
                    month,
                    late: [counts[0], counts[1], counts[2], counts[3]],
                    absent: counts[4],
                });
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
        plan: Vec<Line>,
        _: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        // Each month keeps the version in force at its end, read in this transaction.
        let months: BTreeSet<&str> = plan.iter().map(|l| l.month.as_str()).collect();
        for m in months {
            let (_, _, last, _) = crate::tpp::parse_month(m)?;
            let until = crate::tpp::month_end_ms(&last);
            if let Some(r) = cakap_store::tpp::rules_in_force(c, actor.tenant_id, until).await? {
                cakap_store::tpp::fix_month(c, actor.tenant_id, m, r.version, &actor.username)
                    .await?;
            }
        }
        for (done, l) in plan.iter().enumerate() {
            cakap_store::tpp::set_attendance(
                c,
                actor.tenant_id,
                l.employee,
                &l.month,
                l.late,
                l.absent,
            )
            .await?;
            ticks.written(done);
        }
        Ok(())
    }
}
