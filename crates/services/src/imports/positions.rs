//! Importing positions: `ID Jabatan` (optional), `Kode Unit`, `Jabatan`, `Jenis Jabatan`,
//! `Jenjang`, `Kelas`. A row with an ID updates that position; without one, the position is
//! found by unit and name, or created with the default standard of its kind (docs/domain.md#default-levels).

use std::collections::{HashMap, HashSet};

use cakap_domain::position::Jenjang;
use cakap_store::positions as store;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceError, ServiceResult, validate};
use cakap_store::Conn;

const SPEC: &[Column] = &[
    Column::optional("id", &["ID Jabatan", "position_id", "id_jabatan", "id"]),
    Column::required("unit", &["Kode Unit", "unit_code", "kode_unit", "unit"]),
    Column::required(
        "name",
        &["Jabatan", "position", "jabatan", "name", "Nama Jabatan"],
    ),
    Column::required("kind", &["Jenis Jabatan", "kind", "jenis_jabatan"]),
    Column::optional("jenjang", &["Jenjang", "jenjang"]),
    Column::optional("kelas", &["Kelas", "kelas", "kelas_jabatan"]),
];

pub(super) struct Planned {
    /// The position updated; `None` creates one.
    id: Option<i64>,
    version: i64,
    unit_id: i64,
    name: String,
    kind: cakap_domain::position::PositionKind,
    jenjang: Option<Jenjang>,
    kelas: Option<i64>,
}

pub(super) struct Positions;

impl Kind for Positions {
    const NAME: &'static str = "positions";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Standards];
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
        let units: HashMap<String, i64> = crate::units::tree(db, actor.tenant_id)
            .await?
            .iter()
            .map(|u| (u.code.clone(), u.id))
            .collect();
        let mut c = db.conn().await?;
        let (positions, _) =
            store::list(&mut c, actor.tenant_id, "", None, i64::MAX / 2, 0).await?;
        let by_id: HashMap<i64, &store::PositionRow> =
            positions.iter().map(|p| (p.id, p)).collect();
        let by_name: HashMap<(i64, String), i64> = positions
            .iter()
            .map(|p| ((p.unit_id, p.name.to_lowercase()), p.id))
            .collect();
        let mut plan = Vec::with_capacity(total);
        let (mut seen, mut seen_ids) = (HashSet::new(), HashSet::new());
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let fail = |f: &str, key: &'static str, value: &str| {
                RowError::value(row, cols.header(f), key, value)
            };
            let unit = units.get(get("unit")).copied();
            if unit.is_none() {
                errors.push(fail("unit", "import.unknown_unit", get("unit")));
            }
            let kelas = match get("kelas") {
                "" => Some(None),
                k => k.parse::<i64>().ok().map(Some),
            };
            if kelas.is_none() {
                errors.push(fail("kelas", "position.kelas_range", get("kelas")));
            }
            let name = validate::text("name", get("name"), 200);
            let kind =
                crate::positions::check_kind(get("kind"), Some(get("jenjang")), kelas.flatten());
            let refuse = |e: &ServiceError| {
                let (field, key, args) = match e {
                    ServiceError::Invalid { field, key, args } => (*field, *key, args.clone()),
                    _ => ("name", "error.internal", vec![]),
                };
                RowError {
                    row,
                    column: cols.header(field),
                    key,
                    args,
                }
            };
            errors.extend(name.as_ref().err().map(refuse));
            errors.extend(kind.as_ref().err().map(refuse));
            let current = match get("id") {
                "" => None,
                id => {
                    let found = id
                        .parse::<i64>()
                        .ok()
                        .and_then(|id| by_id.get(&id).copied());
                    if found.is_none() {
                        errors.push(fail("id", "import.unknown_position", id));
                    }
                    found
                }
            };
            if errors.len() == before
                && let (Some(unit_id), Ok(name), Ok((kind, jenjang, kelas))) = (unit, name, kind)
            {
                let key = (unit_id, name.to_lowercase());
                let other = by_name.get(&key).copied();
                let current = current.or_else(|| other.and_then(|id| by_id.get(&id).copied()));
                let clash = other.is_some_and(|o| current.is_some_and(|c| c.id != o));
                let twice = current.is_some_and(|c| !seen_ids.insert(c.id));
                if !seen.insert(key) || clash || twice {
                    errors.push(fail("name", "import.repeated", &name));
                    continue;
                }
                plan.push(Planned {
                    id: current.map(|p| p.id),
                    version: current.map_or(0, |p| p.version),
                    unit_id,
                    name,
                    kind,
                    jenjang,
                    kelas,
                });
                if let Some(p) = current
                    && p.unit_id != unit_id
                    && store::holders(&mut c, actor.tenant_id, p.id).await? > 0
                {
                    errors.push(fail("unit", "position.has_holders", get("unit")));
                }
            }
            ticks.checked(done);
        }
        drop(c);
        let valid = plan.len();
        let updated = plan.iter().filter(|p| p.id.is_some()).count();
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
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        let dictionary = cakap_store::competencies::list(c, actor.tenant_id).await?;
        for (done, p) in plan.iter().enumerate() {
            let data = store::PositionData {
                unit_id: p.unit_id,
                name: &p.name,
                kind: p.kind.as_str(),
                jenjang: p.jenjang.map(Jenjang::as_str),
                kelas: p.kelas,
            };
            match p.id {
                Some(id) => {
                    if !store::update(c, actor.tenant_id, id, p.version, &data).await? {
                        return Err(ServiceError::Conflict { key: "error.stale" });
                    }
                }
                None => {
                    let id = store::insert(c, actor.tenant_id, &data).await?;
                    let rows: Vec<(i64, i64, i64)> =
                        crate::requirements::defaults(p.kind, p.jenjang, &dictionary)
                            .into_iter()
                            .map(|(k, l)| (id, k, l))
                            .collect();
                    cakap_store::requirements::insert_many(c, actor.tenant_id, &rows).await?;
                }
            }
            ticks.written(done);
        }
        Ok(())
    }
}
