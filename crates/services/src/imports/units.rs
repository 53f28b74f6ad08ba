//! Importing units: `Kode Unit`, `Nama`, `Kode Induk`, `Kecamatan`. A unit already known by
//! its code is updated (name, kecamatan and — when the column is there — its parent); a new
//! one is created. Parents may come later in the file: units are written parent-first, and a
//! file that would make a unit its own ancestor is refused.

use std::collections::{HashMap, HashSet};

use cakap_store::units as store;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, row_error};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult, validate};
use cakap_store::Conn;

const SPEC: &[Column] = &[
    Column::required("code", &["Kode Unit", "code", "kode_unit", "unit_code"]),
    Column::required("name", &["Nama", "name", "nama_unit", "Nama Unit"]),
    Column::optional(
        "parent",
        &["Kode Induk", "parent", "parent_code", "kode_induk"],
    ),
    Column::optional("kecamatan", &["Kecamatan", "kecamatan", "kode_kecamatan"]),
];

pub(super) struct Planned {
    row: usize,
    code: String,
    name: String,
    /// `None` keeps the current parent (no parent column); `Some(None)` puts it at the top.
    parent: Option<Option<String>>,
    kecamatan: Option<String>,
}

pub(super) struct Units;

impl Kind for Units {
    const NAME: &'static str = "units";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Units];
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
        let existing = crate::units::tree(db, actor.tenant_id).await?;
        // code → parent code, as the tree will be once the file is applied.
        let mut parents: HashMap<String, Option<String>> = existing
            .iter()
            .map(|u| (u.code.clone(), u.parent_code.clone()))
            .collect();
        let in_file: HashSet<&str> = sheet
            .rows
            .iter()
            .map(|(_, cells)| cols.get(cells, "code"))
            .collect();
        let mut plan = Vec::with_capacity(total);
        let mut seen = HashSet::new();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let mut refuse = |f: &str, e| errors.push(row_error(row, cols.header(f), e));
            let code = validate::code("code", get("code"))
                .map_err(|e| refuse("code", e))
                .ok();
            let name = validate::text("name", get("name"), 200)
                .map_err(|e| refuse("name", e))
                .ok();
            let kecamatan = validate::kecamatan(Some(get("kecamatan")))
                .map_err(|e| refuse("kecamatan", e))
                .ok()
                .flatten();
            let parent = match get("parent") {
                "" => None,
                p if parents.contains_key(p) || in_file.contains(p) => Some(p.to_string()),
                p => {
                    let column = cols.header("parent");
                    errors.push(RowError::value(row, column, "import.unknown_unit", p));
                    None
                }
            };
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
                && let (Some(code), Some(name)) = (code, name)
            {
                plan.push(Planned {
                    row,
                    code,
                    name,
                    parent: cols.has("parent").then_some(parent),
                    kecamatan,
                });
            }
            ticks.checked(done);
        }
        for p in &plan {
            match &p.parent {
                Some(parent) => {
                    parents.insert(p.code.clone(), parent.clone());
                }
                None => {
                    parents.entry(p.code.clone()).or_insert(None);
                }
            }
        }
        // Depth of each planned unit in the final tree; a unit met again on its way up is a cycle.
        let mut depth = HashMap::new();
        for p in &plan {
            let mut at = p.code.as_str();
            let mut steps = 0usize;
            while let Some(Some(up)) = parents.get(at) {
                steps += 1;
                if up == &p.code || steps > parents.len() {
                    errors.push(RowError {
                        row: p.row,
                        column: cols.header("parent"),
                        key: "unit.parent_cycle",
                        args: vec![],
                    });
                    break;
                }
                at = up;
            }
            depth.insert(p.code.clone(), steps);
        }
        let known: HashSet<&str> = existing.iter().map(|u| u.code.as_str()).collect();
        let valid = plan.len();
        let updated = plan
            .iter()
            .filter(|p| known.contains(p.code.as_str()))
            .count();
        let created = valid - updated;
        let counts = Counts {
            valid,
            created,
            updated,
            ..Counts::default()
        };
        plan.sort_by_key(|p| depth.get(&p.code).copied().unwrap_or(0));
        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        cols: &Columns,
        plan: Self::Plan,
        _: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        c.lock_tenant_tree(actor.tenant_id).await?;
        for (done, p) in plan.iter().enumerate() {
            let current = store::by_code(c, actor.tenant_id, &p.code).await?;
            let parent_code = match (&p.parent, &current) {
                (Some(parent), _) => parent.clone(),
                (None, Some(cur)) => cur.parent_code.clone(),
                (None, None) => None,
            };
            let parent = match parent_code {
                Some(code) => store::by_code(c, actor.tenant_id, &code).await?,
                None => None,
            };
            let parent = parent.as_ref().map(|u| (u.id, u.path.as_str()));
            match current {
                Some(cur) => {
                    let kecamatan = if cols.has("kecamatan") {
                        p.kecamatan.as_deref()
                    } else {
                        cur.kecamatan.as_deref()
                    };
                    let data = store::UnitUpdate {
                        name: &p.name,
                        parent,
                        kecamatan,
                    };
                    store::update(c, actor.tenant_id, &cur, cur.version, &data).await?;
                }
                None => {
                    let data = store::NewUnit {
                        code: &p.code,
                        name: &p.name,
                        parent,
                        kecamatan: p.kecamatan.as_deref(),
                    };
                    store::insert(c, actor.tenant_id, &data).await?;
                }
            }
            ticks.written(done);
        }
        Ok(())
    }
}
