//! Importing employees from our template or a SIASN export (docs/domain.md#siasn). A position is
//! matched by unit and name; a missing one is created from `Jenis Jabatan`/`Jenjang` with the
//! default standard of its kind.

use std::collections::{HashMap, HashSet};

use cakap_domain::{Jenjang, Nip, PositionKind};
use cakap_store::{employees as store, positions};

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, row_error};
use crate::cache::Topic;
use crate::employees::{Checked, parse_golongan, parse_status};
use crate::{Actor, Db, ServiceResult, validate};
use cakap_store::Conn;

const SPEC: &[Column] = &[
    Column::required("nip", &["NIP", "nip", "nip_baru"]),
    Column::required("name", &["Nama", "name", "nama"]),
    Column::extra("gelar_depan", &["gelar_depan", "Gelar Depan"]),
    Column::extra("gelar_belakang", &["gelar_belakang", "Gelar Belakang"]),
    Column::optional("status", &["Status", "status"]),
    Column::extra("status_cpns_pns", &["status_cpns_pns"]),
    Column::optional("golongan", &["Golongan", "golongan", "gol_akhir_nama"]),
    Column::optional("unit", &["Kode Unit", "unit_code", "kode_unit"]),
    Column::extra("unit_name", &["unor_nama", "Nama Unit", "unit_name"]),
    Column::optional("position", &["Jabatan", "position", "jabatan_nama"]),
    Column::optional(
        "position_kind",
        &["Jenis Jabatan", "position_kind", "jenis_jabatan_nama"],
    ),
    Column::optional("jenjang", &["Jenjang", "jenjang"]),
    Column::optional("email", &["Email", "email", "email_gov"]),
    Column::optional("phone", &["Telepon", "phone", "nomor_hp"]),
];

/// The kind of a position to create, from the import's `Jenis Jabatan` and its name.
fn kind_of(kind: &str, name: &str) -> Option<PositionKind> {
    if let Ok(k) = kind.parse::<PositionKind>() {
        return Some(k);
    }
    let k = kind.to_lowercase();
    let n = name.to_lowercase();
    if k.contains("fungsional umum") || k.contains("pelaksana") {
        Some(PositionKind::Pelaksana)
    } else if k.contains("fungsional") {
        Some(PositionKind::Fungsional)
    } else if k.contains("struktural") {
        // SIASN says only "struktural": the title tells the level.
        Some(
            if n.starts_with("kepala seksi")
                || n.starts_with("kepala sub")
                || n.starts_with("kasubbag")
            {
                PositionKind::Pengawas
            } else if n.starts_with("kepala dinas")
                || n.starts_with("kepala badan")
                || n.starts_with("inspektur") && !n.contains("pembantu")
            {
                PositionKind::JptPratama
            } else {
                PositionKind::Administrator
            },
        )
    } else {
        None
    }
}

/// The jenjang a functional title ends with ("Perawat Ahli Pertama" → ahli_pertama).
fn jenjang_of(explicit: &str, name: &str) -> Option<Jenjang> {
    if let Ok(j) = explicit.parse() {
        return Some(j);
    }
    let n = name.to_lowercase();
    Jenjang::ALL
        .into_iter()
        .find(|j| n.ends_with(&j.as_str().replace('_', " ")))
}

enum PositionRef {
    None,
    Existing(i64),
    /// (unit id, name, kind, jenjang): created once per distinct key.
    New(i64, String, PositionKind, Option<Jenjang>),
}

pub(super) struct Planned {
    checked: Checked,
    position: PositionRef,
    existing: Option<(i64, i64)>,
}

pub(super) struct Employees;

impl Kind for Employees {
    const NAME: &'static str = "employees";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::People, Topic::Units];
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
        if !cols.has("unit") && !cols.has("unit_name") {
            let e = RowError {
                row: 1,
                column: "Kode Unit".into(),
                key: "import.missing_column",
                args: vec![("column", "Kode Unit / unor_nama".into())],
            };
            return Ok(Ready::refused(errors, e));
        }
        let tree = crate::units::tree(db, actor.tenant_id).await?;
        let by_code: HashMap<&str, i64> = tree.iter().map(|u| (u.code.as_str(), u.id)).collect();
        let by_name: HashMap<String, i64> =
            tree.iter().map(|u| (u.name.to_lowercase(), u.id)).collect();
        let mut c = db.conn().await?;
        let (existing_positions, _) =
            positions::list(&mut c, actor.tenant_id, "", None, i64::MAX / 2, 0).await?;
        let positions_by_key: HashMap<(i64, String), (i64, i64)> = existing_positions
            .iter()
            .map(|p| ((p.unit_id, p.name.to_lowercase()), (p.id, p.unit_id)))
            .collect();
        let nips: HashMap<String, (i64, i64)> = store::nips(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .map(|r| (r.nip, (r.id, r.version)))
            .collect();
        drop(c);

        let today = chrono::Local::now().date_naive();
        let mut plan = Vec::with_capacity(total);
        let mut seen = HashSet::new();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let err = |f: &str, e: crate::ServiceError| row_error(row, cols.header(f), e);
            let nip = match Nip::parse(get("nip"), today) {
                Ok(n) => Some(n),
                Err(e) => {
                    errors.push(err("nip", crate::ServiceError::domain("nip", &e)));
                    None
                }
            };
            if let Some(n) = &nip
                && !seen.insert(n.as_str().to_string())
            {
                errors.push(RowError {
                    row,
                    column: cols.header("nip"),
                    key: "import.duplicate_in_file",
                    args: vec![("value", n.as_str().into())],
                });
            }
            // SIASN: P (PNS) and C (CPNS) are PNS; anything else is PPPK. Else our Status, else the NIP.
            let status = match (get("status"), get("status_cpns_pns")) {
                (s, _) if !s.is_empty() => parse_status(s)
                    .map_err(|e| errors.push(err("status", e)))
                    .ok(),
                (_, s) if !s.is_empty() => parse_status(if matches!(s, "P" | "C") {
                    "PNS"
                } else {
                    "PPPK"
                })
                .ok(),
                _ => nip.as_ref().map(Nip::kind),
            };
            if let (Some(n), Some(s)) = (&nip, status)
                && n.kind() != s
            {
                errors.push(err(
                    "status",
                    crate::ServiceError::Invalid {
                        field: "status",
                        key: "employee.nip_status",
                        args: vec![("kind", n.kind().as_str().into())],
                    },
                ));
            }
            let full_name = {
                let (front, back) = (get("gelar_depan"), get("gelar_belakang"));
                let base = get("name");
                let with_front = if front.is_empty() {
                    base.to_string()
                } else {
                    format!("{front} {base}")
                };
                if back.is_empty() {
                    with_front
                } else {
                    format!("{with_front}, {back}")
                }
            };
            let name = validate::text("name", &full_name, 200)
                .map_err(|e| errors.push(err("name", e)))
                .ok();
            let golongan = match status {
                Some(s) => parse_golongan(Some(get("golongan")), s)
                    .map_err(|e| errors.push(err("golongan", e)))
                    .ok()
                    .flatten(),
                None => None,
            };
            let unit_id = match (get("unit"), get("unit_name")) {
                (code, _) if !code.is_empty() => by_code.get(code).copied(),
                (_, name) if !name.is_empty() => by_name.get(&name.to_lowercase()).copied(),
                _ => None,
            };
            if unit_id.is_none() {
                let f = if get("unit").is_empty() {
                    "unit_name"
                } else {
                    "unit"
                };
                errors.push(RowError {
                    row,
                    column: cols.header(f),
                    key: "import.unknown_unit",
                    args: vec![("value", format!("{}{}", get("unit"), get("unit_name")))],
                });
            }
            let position = match (unit_id, get("position")) {
                (_, "") | (None, _) => PositionRef::None,
                (Some(unit), pname) => match positions_by_key.get(&(unit, pname.to_lowercase())) {
                    Some((id, _)) => PositionRef::Existing(*id),
                    None => match kind_of(get("position_kind"), pname) {
                        Some(kind) => {
                            let jenjang = (kind == PositionKind::Fungsional)
                                .then(|| jenjang_of(get("jenjang"), pname))
                                .flatten();
                            match validate::text("position", pname, 200) {
                                Ok(n) => PositionRef::New(unit, n, kind, jenjang),
                                Err(e) => {
                                    errors.push(err("position", e));
                                    PositionRef::None
                                }
                            }
                        }
                        None => {
                            errors.push(RowError {
                                row,
                                column: cols.header("position_kind"),
                                key: "import.position_kind_needed",
                                args: vec![("value", pname.into())],
                            });
                            PositionRef::None
                        }
                    },
                },
            };
            let email = validate::email(Some(get("email")))
                .map_err(|e| errors.push(err("email", e)))
                .ok()
                .flatten();
            let phone = validate::phone(Some(get("phone")))
                .map_err(|e| errors.push(err("phone", e)))
                .ok()
                .flatten();
            if errors.len() == before
                && let (Some(nip), Some(status), Some(name), Some(unit_id)) =
                    (nip, status, name, unit_id)
            {
                let existing = nips.get(nip.as_str()).copied();
                plan.push(Planned {
                    checked: Checked {
                        nip,
                        name,
                        status,
                        golongan,
                        position_id: None,
                        unit_id,
                        email,
                        phone,
                        active: true,
                    },
                    position,
                    existing,
                });
            }
            ticks.checked(done);
        }
        let valid = plan.len();
        let created = plan.iter().filter(|p| p.existing.is_none()).count();
        let updated = valid - created;
        let mut new_keys: Vec<(i64, String)> = plan
            .iter()
            .filter_map(|p| match &p.position {
                PositionRef::New(u, n, _, _) => Some((*u, n.to_lowercase())),
                _ => None,
            })
            .collect();
        new_keys.sort();
        new_keys.dedup();
        let counts = Counts {
            valid,
            created,
            updated,
            positions_created: new_keys.len(),
        };

        Ok(Ready { plan, counts })
    }

    async fn write(
        c: &mut Conn,
        actor: &Actor,
        _: &Columns,
        mut plan: Self::Plan,
        counts: &mut Counts,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<()> {
        let dictionary = cakap_store::competencies::list(c, actor.tenant_id).await?;
        let mut made: HashMap<(i64, String), i64> = HashMap::new();
        for (i, p) in plan.iter_mut().enumerate() {
            let position_id = match &p.position {
                PositionRef::None => None,
                PositionRef::Existing(id) => Some(*id),
                PositionRef::New(unit, name, kind, jenjang) => {
                    let key = (*unit, name.to_lowercase());
                    if let Some(id) = made.get(&key) {
                        Some(*id)
                    } else {
                        let id = positions::insert(
                            c,
                            actor.tenant_id,
                            &positions::PositionData {
                                unit_id: *unit,
                                name,
                                kind: kind.as_str(),
                                jenjang: jenjang.map(Jenjang::as_str),
                                kelas: None,
                            },
                        )
                        .await?;
                        let rows: Vec<(i64, i64, i64)> =
                            crate::requirements::defaults(*kind, *jenjang, &dictionary)
                                .into_iter()
                                .map(|(k, l)| (id, k, l))
                                .collect();
                        cakap_store::requirements::insert_many(c, actor.tenant_id, &rows).await?;
                        made.insert(key, id);
                        Some(id)
                    }
                }
            };
            p.checked.position_id = position_id;
            match p.existing {
                None => {
                    crate::employees::insert_checked(c, actor.tenant_id, &p.checked).await?;
                }
                Some((id, version)) => {
                    crate::employees::update_checked(c, actor.tenant_id, id, version, &p.checked)
                        .await?;
                }
            }
            ticks.written_every(i, 1000);
        }
        counts.positions_created = made.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_jenjang_from_siasn_words() {
        assert_eq!(
            kind_of("Jabatan Fungsional", "Perawat Ahli Pertama"),
            Some(PositionKind::Fungsional)
        );
        assert_eq!(
            kind_of("Jabatan Fungsional Umum", "Pengadministrasi Umum"),
            Some(PositionKind::Pelaksana)
        );
        assert_eq!(
            kind_of("Jabatan Pelaksana", "Operator Layanan"),
            Some(PositionKind::Pelaksana)
        );
        assert_eq!(
            kind_of("Jabatan Struktural", "Kepala Seksi Pemerintahan"),
            Some(PositionKind::Pengawas)
        );
        assert_eq!(
            kind_of("Jabatan Struktural", "Kepala Bidang Anggaran"),
            Some(PositionKind::Administrator)
        );
        assert_eq!(
            kind_of("Jabatan Struktural", "Kepala Dinas Sosial"),
            Some(PositionKind::JptPratama)
        );
        assert_eq!(kind_of("jpt_pratama", "x"), Some(PositionKind::JptPratama));
        assert_eq!(kind_of("", "x"), None);
        assert_eq!(
            jenjang_of("", "Perawat Ahli Pertama"),
            Some(Jenjang::AhliPertama)
        );
        assert_eq!(jenjang_of("terampil", "Bidan"), Some(Jenjang::Terampil));
        assert_eq!(jenjang_of("", "Bidan"), None);
    }
}
