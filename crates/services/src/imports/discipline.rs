//! Importing the list of disciplinary sentences and unpaid leave (CLTN) that bars a Satyalancana
//! Karya Satya and, by the regency's rule, an ASN Berprestasi nomination
//! (docs/domain.md#recognition). A row of the same person, kind and start replaces the earlier.

use std::collections::HashSet;

use cakap_domain::recognition::Record;
use cakap_store::Conn;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, parse_date};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult};

const SPEC: &[Column] = &[
    Column::required("nip", &["NIP", "nip", "nip_baru"]),
    Column::required("kind", &["Jenis", "kind", "jenis", "Jenis Hukuman"]),
    Column::required("start_on", &["TMT", "start_on", "tmt", "Tanggal Mulai"]),
    Column::optional("end_on", &["Sampai", "end_on", "sampai", "Tanggal Selesai"]),
    Column::optional("note", &["Keterangan", "note", "keterangan"]),
];

pub(super) struct Discipline;

pub(super) struct Line {
    employee: i64,
    kind: Record,
    start_on: String,
    end_on: Option<String>,
    note: String,
}

impl Kind for Discipline {
    const NAME: &'static str = "discipline";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Recognition];
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
            let kind = Record::parse(get("kind"));
            if kind.is_none() {
                errors.push(fail("kind", "recognition.record_kind", get("kind")));
            }
            let start = parse_date(get("start_on"));
            if start.is_none() {
                errors.push(fail("start_on", "import.date", get("start_on")));
            }
            let end = match get("end_on").trim() {
                "" => None,
                v => match parse_date(v) {
                    Some(d) if start.is_none_or(|s| d >= s) => Some(d),
                    _ => {
                        errors.push(fail("end_on", "import.date", v));
                        None
                    }
                },
            };
            let note: String = get("note").trim().chars().take(500).collect();
            if let (Some(e), Some(k), Some(s)) = (employee, kind, start)
                && !seen.insert((e, k, s))
            {
                errors.push(fail("nip", "import.repeated", &nip));
            }
            if errors.len() == before
                && let (Some(employee), Some(kind), Some(start)) = (employee, kind, start)
            {
                plan.push(Line {
                    employee,
                    kind,
                    start_on: start.to_string(),
                    end_on: end.map(|d| d.to_string()),
                    note,
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
        for (done, l) in plan.iter().enumerate() {
            cakap_store::recognition::upsert_record(
                c,
                actor.tenant_id,
                l.employee,
                l.kind.as_str(),
                &l.start_on,
                l.end_on.as_deref(),
                &l.note,
            )
            .await?;
            ticks.written(done);
        }
        Ok(())
    }
}
