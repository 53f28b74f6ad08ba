//! Importing position standards: `ID Jabatan` (or `Kode Unit` + `Jabatan`), `Kode Kompetensi`,
//! `Level`. Each row sets one required level; competencies not named keep theirs.

use std::collections::{HashMap, HashSet};

use cakap_domain::Level;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult};
use cakap_store::Conn;

const SPEC: &[Column] = &[
    Column::optional("position_id", &["ID Jabatan", "position_id", "id_jabatan"]),
    Column::optional("unit", &["Kode Unit", "unit_code", "kode_unit"]),
    Column::optional("position", &["Jabatan", "position", "jabatan"]),
    Column::required(
        "competency",
        &["Kode Kompetensi", "competency", "kode_kompetensi"],
    ),
    Column::required("level", &["Level", "level"]),
];

pub(super) struct Requirements;

impl Kind for Requirements {
    const NAME: &'static str = "requirements";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Standards];
    /// (position, competency, level)
    type Plan = Vec<(i64, i64, i64)>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Self::Plan>> {
        let total = sheet.rows.len();
        let names_position = cols.has("position_id") || (cols.has("unit") && cols.has("position"));
        if !names_position {
            let e = RowError {
                row: 1,
                column: "ID Jabatan".into(),
                key: "import.missing_column",
                args: vec![("column", "ID Jabatan / Kode Unit + Jabatan".into())],
            };
            return Ok(Ready::refused(errors, e));
        }
        let mut c = db.conn().await?;
        let (positions, _) =
            cakap_store::positions::list(&mut c, actor.tenant_id, "", None, i64::MAX / 2, 0)
                .await?;
        let by_id: HashSet<i64> = positions.iter().map(|p| p.id).collect();
        let by_name: HashMap<(String, String), i64> = positions
            .iter()
            .map(|p| ((p.unit_code.clone(), p.name.to_lowercase()), p.id))
            .collect();
        let dictionary: HashMap<String, i64> =
            cakap_store::competencies::list(&mut c, actor.tenant_id)
                .await?
                .into_iter()
                .filter(|k| k.active)
                .map(|k| (k.code, k.id))
                .collect();
        let existing: HashSet<(i64, i64)> =
            cakap_store::requirements::in_scope(&mut c, actor.tenant_id, "")
                .await?
                .into_iter()
                .map(|r| (r.position_id, r.competency_id))
                .collect();
        drop(c);
        let mut plan = Vec::with_capacity(total);
        let mut seen = HashSet::new();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let mut fail = |f: &str, key: &'static str, value: String| {
                errors.push(RowError {
                    row,
                    column: cols.header(f),
                    key,
                    args: vec![("value", value.chars().take(60).collect())],
                });
            };
            let position = match get("position_id") {
                "" => by_name
                    .get(&(get("unit").to_string(), get("position").to_lowercase()))
                    .copied(),
                id => id.parse::<i64>().ok().filter(|id| by_id.contains(id)),
            };
            if position.is_none() {
                let (f, v) = if get("position_id").is_empty() {
                    ("position", format!("{} / {}", get("unit"), get("position")))
                } else {
                    ("position_id", get("position_id").to_string())
                };
                fail(f, "import.unknown_position", v);
            }
            let competency = dictionary.get(get("competency")).copied();
            if competency.is_none() {
                fail(
                    "competency",
                    "error.unknown_competency",
                    get("competency").to_string(),
                );
            }
            let level = get("level")
                .parse::<i64>()
                .ok()
                .and_then(|l| Level::new(l).ok());
            if level.is_none() {
                fail("level", "competency.level_range", get("level").to_string());
            }
            if let (Some(p), Some(k)) = (position, competency)
                && !seen.insert((p, k))
            {
                fail(
                    "competency",
                    "import.duplicate_requirement",
                    get("competency").to_string(),
                );
            }
            if errors.len() == before
                && let (Some(p), Some(k), Some(l)) = (position, competency, level)
            {
                plan.push((p, k, i64::from(l.get())));
            }
            ticks.checked(done);
        }
        let valid = plan.len();
        let updated = plan
            .iter()
            .filter(|(p, k, _)| existing.contains(&(*p, *k)))
            .count();
        let created = valid - updated;
        let counts = Counts {
            valid,
            created,
            updated,
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
        for (p, k, l) in &plan {
            cakap_store::requirements::upsert(c, actor.tenant_id, *p, *k, *l).await?;
        }
        Ok(())
    }
}
