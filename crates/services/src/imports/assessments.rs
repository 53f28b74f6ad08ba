//! Importing assessment results: `NIP, Kode Kompetensi, Level, Metode, Tanggal, Berlaku
//! Sampai` (dates as YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or Excel date cells).

use std::collections::HashMap;

use cakap_domain::{Level, Method};

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, parse_date};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult, validate};
use cakap_store::Conn;

const SPEC: &[Column] = &[
    Column::required("nip", &["NIP", "nip"]),
    Column::required(
        "competency",
        &["Kode Kompetensi", "competency", "kode_kompetensi"],
    ),
    Column::required("level", &["Level", "level"]),
    Column::required("method", &["Metode", "method"]),
    Column::required("assessed_on", &["Tanggal", "assessed_on", "tanggal"]),
    Column::optional(
        "valid_until",
        &["Berlaku Sampai", "valid_until", "berlaku_sampai"],
    ),
    Column::extra("assessor", &["Penilai", "assessor"]),
    Column::extra("note", &["Catatan", "note"]),
];

pub(super) struct Planned {
    employee_id: i64,
    competency_id: i64,
    version: i64,
    level: i64,
    method: Method,
    on: String,
    until: Option<String>,
    assessor: Option<String>,
    note: Option<String>,
}

pub(super) struct Assessments;

impl Kind for Assessments {
    const NAME: &'static str = "assessments";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Assessments];
    type Plan = Vec<Planned>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Self::Plan>> {
        let total = sheet.rows.len();
        let mut c = db.conn().await?;
        let nips = super::employee_ids(&mut c, actor.tenant_id).await?;
        let dictionary: HashMap<String, (i64, i64, bool)> =
            cakap_store::competencies::list(&mut c, actor.tenant_id)
                .await?
                .into_iter()
                .map(|k| (k.code, (k.id, k.version, k.active)))
                .collect();
        drop(c);
        let today = chrono::Local::now().date_naive();
        let mut plan = Vec::with_capacity(total);
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let mut fail = |f: &str, key: &'static str, value: &str| {
                errors.push(RowError {
                    row,
                    column: cols.header(f),
                    key,
                    args: vec![("value", value.chars().take(40).collect())],
                });
            };
            let nip: String = get("nip").chars().filter(|c| !c.is_whitespace()).collect();
            let employee = nips.get(&nip).copied();
            if employee.is_none() {
                fail("nip", "import.unknown_employee", &nip);
            }
            let competency = dictionary.get(get("competency")).filter(|k| k.2).copied();
            if competency.is_none() {
                fail("competency", "error.unknown_competency", get("competency"));
            }
            let level = get("level")
                .parse::<i64>()
                .ok()
                .and_then(|l| Level::new(l).ok());
            if level.is_none() {
                fail("level", "competency.level_range", get("level"));
            }
            let method = get("method").parse::<Method>().ok();
            if method.is_none() {
                fail("method", "assessment.unknown_method", get("method"));
            }
            let on = parse_date(get("assessed_on"));
            match on {
                None => fail("assessed_on", "import.date", get("assessed_on")),
                Some(d) if d > today => {
                    fail("assessed_on", "assessment.future", get("assessed_on"))
                }
                _ => {}
            }
            let until = match get("valid_until") {
                "" => None,
                s => match parse_date(s) {
                    Some(d) if on.is_some_and(|o| d < o) => {
                        fail("valid_until", "assessment.expiry_before", s);
                        None
                    }
                    Some(d) => Some(d),
                    None => {
                        fail("valid_until", "import.date", s);
                        None
                    }
                },
            };
            let assessor = validate::optional_text("assessor", Some(get("assessor")), 200)
                .ok()
                .flatten();
            let note = validate::optional_text("note", Some(get("note")), 2000)
                .ok()
                .flatten();
            if errors.len() == before
                && let (
                    Some(employee_id),
                    Some((competency_id, version, _)),
                    Some(level),
                    Some(method),
                    Some(on),
                ) = (employee, competency, level, method, on)
            {
                plan.push(Planned {
                    employee_id,
                    competency_id,
                    version,
                    level: i64::from(level.get()),
                    method,
                    on: on.format("%Y-%m-%d").to_string(),
                    until: until.map(|d| d.format("%Y-%m-%d").to_string()),
                    assessor,
                    note,
                });
            }
            ticks.checked(done);
        }
        let valid = plan.len();
        let counts = Counts {
            valid,
            created: valid,
            ..Counts::default()
        };
        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        plan: Self::Plan,
        _: &mut Counts,
        _: &Ticks<'_>,
    ) -> ServiceResult<()> {
        let rows: Vec<cakap_store::assessments::NewAssessment<'_>> = plan
            .iter()
            .map(|p| cakap_store::assessments::NewAssessment {
                employee_id: p.employee_id,
                competency_id: p.competency_id,
                competency_version: p.version,
                level: p.level,
                method: p.method.as_str(),
                assessed_on: &p.on,
                valid_until: p.until.as_deref(),
                assessor: p.assessor.as_deref(),
                note: p.note.as_deref(),
                created_by: &actor.username,
            })
            .collect();
        cakap_store::assessments::insert_many(c, actor.tenant_id, &rows).await?;
        Ok(())
    }
}
