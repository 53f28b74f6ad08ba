//! What anyone may read of the register without a login (Perpres 33/2012, JDIHN): the
//! public pages' record and file, and the integration feed in DOMAIN §11's field names.

use cakap_domain::regulation::RegStatus;
use cakap_store::regulations as store;
use serde::Serialize;
use utoipa::ToSchema;

use super::Regulation;
use crate::{Db, ServiceResult};

/// A regulation of the public tenant, for the JDIH pages anyone may open (the feed links
/// here): the record and its relations, nothing about campaigns.
pub async fn public(db: &Db, id: i64) -> ServiceResult<(Regulation, Vec<store::RelationRow>)> {
    let tenant = crate::service_quality::public_tenant(db).await?;
    super::read(&mut db.conn().await?, tenant, id).await
}

/// The current PDF of a regulation of the public tenant.
pub async fn public_file(db: &Db, id: i64) -> ServiceResult<(String, Vec<u8>)> {
    let tenant = crate::service_quality::public_tenant(db).await?;
    super::current_file(&mut db.conn().await?, tenant, id).await
}

/// One entry of the JDIHN integration feed (DOMAIN §11 field names).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[allow(non_snake_case)]
pub struct FeedEntry {
    pub idData: String,
    pub tahun_pengundangan: String,
    pub tanggal_pengundangan: String,
    pub jenis: String,
    pub noPeraturan: String,
    pub judul: String,
    pub noPanggil: String,
    pub singkatanJenis: String,
    pub tempatTerbit: String,
    pub penerbit: String,
    pub deskripsiFisik: String,
    pub sumber: String,
    pub subjek: String,
    pub isbn: String,
    pub status: String,
    pub bahasa: String,
    pub bidangHukum: String,
    pub teuBadan: String,
    pub nomorIndukBuku: String,
    pub fileDownload: String,
    pub urlDownload: String,
    pub abstrak: String,
    pub urlabstrak: String,
    pub urlDetailPeraturan: String,
}

/// The public JDIHN feed of the default tenant: every regulation, newest first. `base` is the
/// server's public address for the download and detail links (empty: relative links).
pub async fn feed(db: &Db, base: &str) -> ServiceResult<Vec<FeedEntry>> {
    let tenant = crate::service_quality::public_tenant(db).await?;
    let mut c = db.conn().await?;
    let rows = store::all(&mut c, tenant).await?;
    let base = base.trim_end_matches('/');
    Ok(rows
        .into_iter()
        .map(|r| {
            let file = if r.file_size.is_some() {
                format!(
                    "{}-{}-{}.pdf",
                    r.jenis.as_str(),
                    r.nomor.replace('/', "-"),
                    r.tahun
                )
            } else {
                String::new()
            };
            let url = if file.is_empty() {
                String::new()
            } else {
                format!("{base}/jdih/{}/berkas", r.id)
            };
            FeedEntry {
                idData: r.id.to_string(),
                tahun_pengundangan: r
                    .tanggal_pengundangan
                    .as_deref()
                    .map_or_else(|| r.tahun.to_string(), |d| d[..4].to_string()),
                tanggal_pengundangan: r.tanggal_pengundangan.clone().unwrap_or_default(),
                jenis: r.jenis.name().into(),
                noPeraturan: r.nomor.clone(),
                judul: r.judul.clone(),
                noPanggil: String::new(),
                singkatanJenis: r.jenis.short().into(),
                tempatTerbit: r.tempat_penetapan.clone().unwrap_or_default(),
                penerbit: r.teu_badan.clone(),
                deskripsiFisik: String::new(),
                sumber: r.sumber.clone().unwrap_or_default(),
                subjek: r.subjek.clone().unwrap_or_default(),
                isbn: String::new(),
                status: match r.status {
                    RegStatus::Berlaku => "Berlaku".into(),
                    RegStatus::TidakBerlaku => "Tidak Berlaku".into(),
                },
                bahasa: r.bahasa.clone(),
                bidangHukum: r.bidang_hukum.clone().unwrap_or_default(),
                teuBadan: r.teu_badan.clone(),
                nomorIndukBuku: String::new(),
                fileDownload: file,
                urlDownload: url,
                abstrak: r.abstrak.clone().unwrap_or_default(),
                urlabstrak: String::new(),
                urlDetailPeraturan: format!("{base}/jdih/{}", r.id),
            }
        })
        .collect())
}
