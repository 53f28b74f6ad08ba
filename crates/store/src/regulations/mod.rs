//! Regulations, their files and relations (docs/domain.md#regulations); their
//! read-and-acknowledge campaigns are in [`campaigns`] (re-exported here).

mod campaigns;

pub use campaigns::*;

use cakap_domain::regulation::{Jenis, RegStatus};

use crate::db::{Arg, Dynamic};
use crate::{Conn, Result, execute, fetch_all, fetch_optional, fetch_scalar, like_escape, now_ms};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegulationRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub jenis: Jenis,
    pub nomor: String,
    pub tahun: i64,
    pub judul: String,
    pub teu_badan: String,
    pub tempat_penetapan: Option<String>,
    pub tanggal_penetapan: Option<String>,
    pub tanggal_pengundangan: Option<String>,
    pub tanggal_berlaku: Option<String>,
    pub sumber: Option<String>,
    pub subjek: Option<String>,
    pub bidang_hukum: Option<String>,
    pub bahasa: String,
    pub abstrak: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: RegStatus,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// Size of the current version's file, when it has one.
    pub file_size: Option<i64>,
}

const REGULATION: &str = "SELECT r.id, r.jenis, r.nomor, r.tahun, r.judul, r.teu_badan, \
    r.tempat_penetapan, r.tanggal_penetapan, r.tanggal_pengundangan, r.tanggal_berlaku, r.sumber, \
    r.subjek, r.bidang_hukum, r.bahasa, r.abstrak, r.status, r.version, r.created_at, r.updated_at, \
    (SELECT f.size FROM regulation_files f WHERE f.tenant_id = r.tenant_id \
     AND f.regulation_id = r.id AND f.version = r.version) AS file_size \
    FROM regulations r";

/// The metadata a regulation is written with.
pub struct RegulationData<'a> {
    pub jenis: Jenis,
    pub nomor: &'a str,
    pub tahun: i64,
    pub judul: &'a str,
    pub teu_badan: &'a str,
    pub tempat_penetapan: Option<&'a str>,
    pub tanggal_penetapan: Option<&'a str>,
    pub tanggal_pengundangan: Option<&'a str>,
    pub tanggal_berlaku: Option<&'a str>,
    pub sumber: Option<&'a str>,
    pub subjek: Option<&'a str>,
    pub bidang_hukum: Option<&'a str>,
    pub bahasa: &'a str,
    pub abstrak: Option<&'a str>,
    pub search_text: &'a str,
}

pub async fn insert(c: &mut Conn, tenant: i64, r: &RegulationData<'_>, by: &str) -> Result<i64> {
    let now = now_ms();
    Ok(fetch_scalar!(
        c,
        i64,
        "INSERT INTO regulations (tenant_id, jenis, nomor, tahun, judul, teu_badan, \
         tempat_penetapan, tanggal_penetapan, tanggal_pengundangan, tanggal_berlaku, sumber, \
         subjek, bidang_hukum, bahasa, abstrak, search_text, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
         RETURNING id",
        tenant,
        r.jenis.as_str(),
        r.nomor,
        r.tahun,
        r.judul,
        r.teu_badan,
        r.tempat_penetapan,
        r.tanggal_penetapan,
        r.tanggal_pengundangan,
        r.tanggal_berlaku,
        r.sumber,
        r.subjek,
        r.bidang_hukum,
        r.bahasa,
        r.abstrak,
        r.search_text,
        by,
        now
    )?)
}

pub async fn update(c: &mut Conn, tenant: i64, id: i64, r: &RegulationData<'_>) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE regulations SET jenis = $1, nomor = $2, tahun = $3, judul = $4, teu_badan = $5, \
         tempat_penetapan = $6, tanggal_penetapan = $7, tanggal_pengundangan = $8, \
         tanggal_berlaku = $9, sumber = $10, subjek = $11, bidang_hukum = $12, bahasa = $13, \
         abstrak = $14, search_text = $15, updated_at = $16 WHERE tenant_id = $17 AND id = $18",
        r.jenis.as_str(),
        r.nomor,
        r.tahun,
        r.judul,
        r.teu_badan,
        r.tempat_penetapan,
        r.tanggal_penetapan,
        r.tanggal_pengundangan,
        r.tanggal_berlaku,
        r.sumber,
        r.subjek,
        r.bidang_hukum,
        r.bahasa,
        r.abstrak,
        r.search_text,
        now_ms(),
        tenant,
        id
    )?)
}

pub async fn get(c: &mut Conn, tenant: i64, id: i64) -> Result<Option<RegulationRow>> {
    Ok(fetch_optional!(
        c,
        RegulationRow,
        sqlx::AssertSqlSafe(format!("{REGULATION} WHERE r.tenant_id = $1 AND r.id = $2")),
        tenant,
        id
    )?)
}

/// What the register is filtered by.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    /// Folded search terms, each matched as a word start.
    pub terms: &'a [String],
    pub jenis: Option<Jenis>,
    pub tahun: Option<i64>,
    pub status: Option<RegStatus>,
    /// Folded, matched as a part of the subject.
    pub subjek: Option<&'a str>,
}

/// A page of the register, newest year first.
pub async fn list(
    c: &mut Conn,
    tenant: i64,
    f: &Filter<'_>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<RegulationRow>, i64)> {
    let mut filter = Dynamic::new(" WHERE r.tenant_id = $1");
    filter.args.push(Arg::I64(tenant));
    for t in f.terms {
        filter.push(
            " AND r.search_text LIKE ? ESCAPE '\\'",
            [Arg::Text(format!("% {}%", like_escape(t)))],
        );
    }
    if let Some(j) = f.jenis {
        filter.push(" AND r.jenis = ?", [Arg::Text(j.as_str().into())]);
    }
    if let Some(y) = f.tahun {
        filter.push(" AND r.tahun = ?", [Arg::I64(y)]);
    }
    if let Some(s) = f.status {
        filter.push(" AND r.status = ?", [Arg::Text(s.as_str().into())]);
    }
    if let Some(s) = f.subjek {
        filter.push(
            " AND lower(r.subjek) LIKE lower(?) ESCAPE '\\'",
            [Arg::Text(format!("%{}%", like_escape(s)))],
        );
    }
    let mut count = Dynamic::new("SELECT COUNT(*) FROM regulations r");
    count.sql.push_str(&filter.sql);
    count.args = filter.args.clone();
    let total = count.fetch_i64(c).await?;
    let mut list = Dynamic::new(REGULATION);
    list.sql.push_str(&filter.sql);
    list.args = filter.args;
    list.push(
        " ORDER BY r.tahun DESC, r.jenis, r.nomor, r.id LIMIT ? OFFSET ?",
        [Arg::I64(limit), Arg::I64(offset)],
    );
    Ok((list.fetch_all(c).await?, total))
}

/// Every regulation of the tenant (the JDIHN feed), newest first.
pub async fn all(c: &mut Conn, tenant: i64) -> Result<Vec<RegulationRow>> {
    Ok(fetch_all!(
        c,
        RegulationRow,
        sqlx::AssertSqlSafe(format!(
            "{REGULATION} WHERE r.tenant_id = $1 ORDER BY r.tahun DESC, r.jenis, r.nomor, r.id"
        )),
        tenant
    )?)
}

pub async fn set_status(c: &mut Conn, tenant: i64, id: i64, status: RegStatus) -> Result<u64> {
    Ok(execute!(
        c,
        "UPDATE regulations SET status = $1, updated_at = $2 WHERE tenant_id = $3 AND id = $4",
        status.as_str(),
        now_ms(),
        tenant,
        id
    )?)
}

/// Moves a regulation to its next version; yields it.
pub async fn next_version(c: &mut Conn, tenant: i64, id: i64) -> Result<i64> {
    Ok(fetch_scalar!(
        c,
        i64,
        "UPDATE regulations SET version = version + 1, updated_at = $1 \
         WHERE tenant_id = $2 AND id = $3 RETURNING version",
        now_ms(),
        tenant,
        id
    )?)
}

/// A relation as either record shows it: the other regulation and which way it points.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RelationRow {
    pub from_id: i64,
    pub kind: String,
    pub to_id: i64,
    /// The regulation at the other end.
    pub other_id: i64,
    #[sqlx(try_from = "String")]
    pub other_jenis: Jenis,
    pub other_nomor: String,
    pub other_tahun: i64,
    pub other_judul: String,
    pub created_by: String,
    pub created_at: i64,
}

/// The relations from and to a regulation, oldest first.
pub async fn relations(c: &mut Conn, tenant: i64, id: i64) -> Result<Vec<RelationRow>> {
    Ok(fetch_all!(
        c,
        RelationRow,
        "SELECT x.from_id, x.kind, x.to_id, o.id AS other_id, o.jenis AS other_jenis, \
         o.nomor AS other_nomor, o.tahun AS other_tahun, o.judul AS other_judul, x.created_by, \
         x.created_at FROM regulation_relations x JOIN regulations o ON o.tenant_id = x.tenant_id \
         AND o.id = CASE WHEN x.from_id = $2 THEN x.to_id ELSE x.from_id END \
         WHERE x.tenant_id = $1 AND (x.from_id = $2 OR x.to_id = $2) ORDER BY x.created_at, o.id",
        tenant,
        id
    )?)
}

/// Every relation of the tenant as `(from, to)`, for the cycle check.
pub async fn edges(c: &mut Conn, tenant: i64) -> Result<Vec<(i64, i64)>> {
    Ok(fetch_all!(
        c,
        (i64, i64),
        "SELECT from_id, to_id FROM regulation_relations WHERE tenant_id = $1",
        tenant
    )?)
}

/// Records a relation; `false` when it was already there.
pub async fn insert_relation(
    c: &mut Conn,
    tenant: i64,
    from: i64,
    kind: &str,
    to: i64,
    by: &str,
) -> Result<bool> {
    Ok(execute!(
        c,
        "INSERT INTO regulation_relations (tenant_id, from_id, kind, to_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, from_id, kind, to_id) DO NOTHING",
        tenant,
        from,
        kind,
        to,
        by,
        now_ms()
    )? == 1)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FileRow {
    /// The version this file is the text of.
    pub version: i64,
    pub filename: String,
    pub sha256: String,
    pub data: Vec<u8>,
}

pub struct NewFile<'a> {
    pub version: i64,
    pub filename: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

pub async fn insert_file(
    c: &mut Conn,
    tenant: i64,
    regulation: i64,
    f: &NewFile<'_>,
    by: &str,
) -> Result<()> {
    execute!(
        c,
        "INSERT INTO regulation_files (tenant_id, regulation_id, version, filename, sha256, size, \
         data, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (tenant_id, regulation_id, version) DO UPDATE SET filename = excluded.filename, \
         sha256 = excluded.sha256, size = excluded.size, data = excluded.data, \
         uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
        tenant,
        regulation,
        f.version,
        f.filename,
        f.sha256,
        f.data.len() as i64,
        f.data,
        by,
        now_ms()
    )?;
    Ok(())
}

/// The file of a version (or, when that version has none, of the latest earlier one).
pub async fn file(
    c: &mut Conn,
    tenant: i64,
    regulation: i64,
    version: i64,
) -> Result<Option<FileRow>> {
    Ok(fetch_optional!(
        c,
        FileRow,
        "SELECT version, filename, sha256, data FROM regulation_files WHERE tenant_id = $1 \
         AND regulation_id = $2 AND version <= $3 ORDER BY version DESC LIMIT 1",
        tenant,
        regulation,
        version
    )?)
}
