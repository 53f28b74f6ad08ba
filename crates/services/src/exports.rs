//! Spreadsheet exports (the API contract (docs/interfaces.md)): the same columns as the import templates, in XLSX or
//! CSV. A cell that a spreadsheet would read as a formula (`= + - @`, tab, CR) is written as
//! text: in CSV with a leading apostrophe, in XLSX as a string cell.

use cakap_domain::Role;
use cakap_store::exports;

use crate::{Actor, Db, ServiceError, ServiceResult};

pub const KINDS: [&str; 6] = [
    "units",
    "positions",
    "competencies",
    "requirements",
    "employees",
    "assessments",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "xlsx" | "" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// A sheet: Indonesian headers (the import template's) and text cells.
pub struct Table {
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The columns of a kind's import template (and export): the import's own column list
/// (`imports::template`), so the two cannot drift apart.
pub fn headers(kind: &str) -> Vec<&'static str> {
    crate::imports::template(kind).unwrap_or_default()
}

/// The rows of `kind` the actor may export: `admin` and `auditor` everything, a `pimpinan`
/// their subtree; the dictionary is open to all three.
pub async fn table(db: &Db, actor: &Actor, kind: &str) -> ServiceResult<Table> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    if !KINDS.contains(&kind) {
        return Err(ServiceError::NotFound);
    }
    let scope = actor.unit_scope();
    let mut c = db.conn().await?;
    let rows: Vec<Vec<String>> = match kind {
        "employees" => exports::employees(&mut c, actor.tenant_id, &scope)
            .await?
            .into_iter()
            .map(|e| {
                vec![
                    e.nip,
                    e.name,
                    e.status,
                    e.golongan.unwrap_or_default(),
                    e.unit_code,
                    e.position.unwrap_or_default(),
                    e.kind.unwrap_or_default(),
                    e.jenjang.unwrap_or_default(),
                    e.email.unwrap_or_default(),
                    e.phone.unwrap_or_default(),
                ]
            })
            .collect(),
        "competencies" => cakap_store::competencies::list(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .map(|k| {
                vec![
                    k.code,
                    k.name,
                    k.kind,
                    if k.crisis {
                        "ya".into()
                    } else {
                        "tidak".into()
                    },
                    k.level1,
                    k.level2,
                    k.level3,
                    k.level4,
                    k.level5,
                ]
            })
            .collect(),
        _ => {
            let width = headers(kind).len();
            exports::rows(&mut c, actor.tenant_id, kind, &scope)
                .await?
                .ok_or(ServiceError::NotFound)?
                .into_iter()
                .map(|r| {
                    [r.a, r.b, r.c, r.d, r.e, r.f]
                        .into_iter()
                        .take(width)
                        .map(Option::unwrap_or_default)
                        .collect()
                })
                .collect()
        }
    };
    Ok(Table {
        headers: headers(kind),
        rows,
    })
}

/// Columns of the SIASN training-history export: SIASN's *riwayat kursus/diklat* fields in the
/// snake_case of its exports (docs/interfaces.md#siasn-training-history).
pub const TRAINING_HISTORY: [&str; 12] = [
    "nip_baru",
    "nama",
    "jenis_diklat",
    "jalur",
    "nama_kursus",
    "institusi_penyelenggara",
    "lokasi",
    "tanggal_kursus",
    "tanggal_selesai_kursus",
    "tahun_kursus",
    "jumlah_jam",
    "nomor_sertipikat",
];

/// The training history of a year for SIASN: completions in the catalogue and approved
/// activities, of people in the actor's scope (admin and auditor: everyone; a pimpinan: their
/// subtree) or of `unit`'s subtree within it.
pub async fn training_history(
    db: &Db,
    actor: &Actor,
    year: i32,
    unit: Option<&str>,
) -> ServiceResult<Table> {
    actor.require_any(&[Role::Admin, Role::Auditor, Role::Pimpinan])?;
    if !(2000..=2100).contains(&year) {
        return Err(ServiceError::invalid("year", "performance.year"));
    }
    let scope = crate::units::scope(db, actor, unit).await?;
    let mut c = db.conn().await?;
    let tenant = cakap_store::tenants::by_id(&mut c, actor.tenant_id)
        .await?
        .map(|t| t.name)
        .unwrap_or_default();
    let lines = exports::training_history(
        &mut c,
        actor.tenant_id,
        &scope,
        &format!("{year}-01-01"),
        &format!("{}-01-01", year + 1),
    )
    .await?;
    let rows = lines
        .into_iter()
        .map(|l| {
            let jalur = l.jalur.parse::<cakap_domain::learning::Jalur>().ok();
            let kind = match jalur {
                Some(j) if j.klasikal() => "Diklat/Kursus Klasikal",
                Some(_) => "Diklat/Kursus Nonklasikal",
                None => "Kursus",
            };
            vec![
                l.nip,
                l.name,
                kind.to_string(),
                l.jalur,
                l.title,
                l.organizer.unwrap_or_else(|| tenant.clone()),
                l.place.unwrap_or_default(),
                l.started_on,
                l.ended_on.clone(),
                l.ended_on.get(..4).unwrap_or_default().to_string(),
                l.jp.to_string(),
                l.certificate.unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Table {
        headers: TRAINING_HISTORY.to_vec(),
        rows,
    })
}

/// A cell a spreadsheet would run as a formula, made inert.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

pub fn to_csv(t: &Table) -> ServiceResult<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ServiceError::Internal(format!("csv: {e}"));
    w.write_record(&t.headers).map_err(fail)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| ServiceError::Internal(format!("csv: {e}")))
}

pub fn to_xlsx(t: &Table, sheet: &str) -> ServiceResult<Vec<u8>> {
    to_book(&[(sheet, t)])
}

/// A workbook of several sheets, each a [`Table`] under its name (at most 31 characters).
pub fn to_book(sheets: &[(&str, &Table)]) -> ServiceResult<Vec<u8>> {
    let fail = |e: rust_xlsxwriter::XlsxError| ServiceError::Internal(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (sheet, t) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(*sheet).map_err(fail)?;
        for (i, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(0, i as u16, *h, &bold)
                .map_err(fail)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (i, cell) in row.iter().enumerate() {
                // Always a string cell: text never becomes a formula in XLSX.
                ws.write_string(r as u32 + 1, i as u16, cell)
                    .map_err(fail)?;
            }
        }
        ws.autofit();
    }
    book.save_to_buffer().map_err(fail)
}

pub async fn export(db: &Db, actor: &Actor, kind: &str, format: Format) -> ServiceResult<Vec<u8>> {
    let t = table(db, actor, kind).await?;
    match format {
        Format::Csv => to_csv(&t),
        Format::Xlsx => to_xlsx(&t, kind),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_looking_cells_are_made_text() {
        for (input, out) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+62 812", "'+62 812"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("Blangpidie", "Blangpidie"),
            ("", ""),
        ] {
            assert_eq!(neutralise(input), out);
        }
        let t = Table {
            headers: vec!["A"],
            rows: vec![vec!["=1+1".into()]],
        };
        let csv = String::from_utf8(to_csv(&t).expect("csv")).expect("utf8");
        assert_eq!(csv, "A\n'=1+1\n");
        let xlsx = to_xlsx(&t, "x").expect("xlsx");
        assert!(xlsx.starts_with(b"PK"), "a zip container");
    }
}
