//! Importing the competency dictionary: `Kode Kompetensi`, `Nama`, `Jenis`, `Krisis`,
//! `Level 1` … `Level 5`. A known code whose row differs becomes a new version (the old one
//! stays in the history, as with an edit on the page); an unchanged row is left alone.

use std::collections::{HashMap, HashSet};

use cakap_store::competencies as store;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, row_error};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};
use cakap_store::Conn;

const LEVELS: [&str; 5] = ["level1", "level2", "level3", "level4", "level5"];

const SPEC: &[Column] = &[
    Column::required(
        "code",
        &["Kode Kompetensi", "code", "kode_kompetensi", "kode"],
    ),
    Column::required(
        "name",
        &["Nama", "name", "nama_kompetensi", "Nama Kompetensi"],
    ),
    Column::required(
        "kind",
        &["Jenis", "kind", "jenis_kompetensi", "Jenis Kompetensi"],
    ),
    Column::optional("crisis", &["Krisis", "crisis", "kritis"]),
    Column::required("level1", &["Level 1", "level_1", "descriptor_1"]),
    Column::required("level2", &["Level 2", "level_2", "descriptor_2"]),
    Column::required("level3", &["Level 3", "level_3", "descriptor_3"]),
    Column::required("level4", &["Level 4", "level_4", "descriptor_4"]),
    Column::required("level5", &["Level 5", "level_5", "descriptor_5"]),
];

/// `ya`/`tidak` as exported, and the usual spellings of yes and no.
fn flag(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "tidak" | "t" | "no" | "n" | "false" | "0" => Some(false),
        "ya" | "y" | "yes" | "true" | "1" => Some(true),
        _ => None,
    }
}

pub(super) struct Planned {
    code: String,
    name: String,
    kind: &'static str,
    crisis: bool,
    descriptors: Vec<String>,
}

pub(super) struct Competencies;

impl Kind for Competencies {
    const NAME: &'static str = "competencies";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Competencies];
    /// The dictionary as it is, and the rows to write.
    type Plan = (HashMap<String, store::CompetencyRow>, Vec<Planned>);

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
        let existing: HashMap<String, store::CompetencyRow> = store::list(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .map(|k| (k.code.clone(), k))
            .collect();
        drop(c);
        let mut plan = Vec::with_capacity(total);
        let mut seen = HashSet::new();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let mut refuse =
                |f: &str, e: ServiceError| errors.push(row_error(row, cols.header(f), e));
            let code = validate::code("code", get("code"))
                .map_err(|e| refuse("code", e))
                .ok();
            let name = validate::text("name", get("name"), 200)
                .map_err(|e| refuse("name", e))
                .ok();
            let kind = crate::competencies::check_kind(get("kind"))
                .map_err(|e| refuse("kind", e))
                .ok();
            let mut descriptors = Vec::with_capacity(5);
            for level in LEVELS {
                match validate::text("descriptors", get(level), 1000) {
                    Ok(d) => descriptors.push(d),
                    Err(e) => refuse(level, e),
                }
            }
            let crisis = flag(get("crisis"));
            if crisis.is_none() {
                let column = cols.header("crisis");
                errors.push(RowError::value(row, column, "import.yes_no", get("crisis")));
            }
            if let Some(code) = &code
                && !seen.insert(code.clone())
            {
                errors.push(RowError::value(
                    row,
                    cols.header("code"),
                    "import.repeated",
                    code,
                ));
            }
            if errors.len() == before
                && let (Some(code), Some(name), Some(kind), Some(crisis)) =
                    (code, name, kind, crisis)
            {
                plan.push(Planned {
                    code,
                    name,
                    kind,
                    crisis,
                    descriptors,
                });
            }
            ticks.checked(done);
        }
        let valid = plan.len();
        // Rows that change nothing are not written (no needless new version).
        plan.retain(|p| {
            existing.get(&p.code).is_none_or(|k| {
                let now = [&k.level1, &k.level2, &k.level3, &k.level4, &k.level5];
                k.name != p.name
                    || k.kind != p.kind
                    || k.crisis != p.crisis
                    || !k.active
                    || now.iter().zip(&p.descriptors).any(|(a, b)| *a != b)
            })
        });
        let updated = plan
            .iter()
            .filter(|p| existing.contains_key(&p.code))
            .count();
        let created = plan.len() - updated;
        let counts = Counts {
            valid,
            created,
            updated,
            ..Counts::default()
        };

        Ok(Ready {
            plan: (existing, plan),
            counts,
        })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        plan: Self::Plan,
        _: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        let (existing, plan) = plan;
        let mut position = 200 + existing.len() as i64;
        for (done, p) in plan.iter().enumerate() {
            let d = &p.descriptors;
            let descriptors = [&*d[0], &*d[1], &*d[2], &*d[3], &*d[4]];
            match existing.get(&p.code) {
                Some(current) => {
                    let data = store::CompetencyData {
                        name: &p.name,
                        kind: p.kind,
                        crisis: p.crisis,
                        descriptors,
                        active: true,
                    };
                    let saved = store::update(
                        c,
                        actor.tenant_id,
                        current,
                        current.version,
                        &data,
                        &actor.username,
                    )
                    .await?;
                    if !saved {
                        return Err(ServiceError::Conflict { key: "error.stale" });
                    }
                }
                None => {
                    let data = store::NewCompetency {
                        code: &p.code,
                        name: &p.name,
                        kind: p.kind,
                        crisis: p.crisis,
                        descriptors,
                        position,
                    };
                    store::insert(c, actor.tenant_id, &data).await?;
                    position += 1;
                }
            }
            ticks.written(done);
        }
        Ok(())
    }
}
