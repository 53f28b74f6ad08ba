//! Importing the register from a JDIH export (docs/domain.md#regulations): the metadata
//! columns of Permenkumham 8/2019 under their usual headers, the JDIHN feed's field names
//! (`noPeraturan`, `teuBadan`, …) or ours. A regulation already recorded (same jenis, nomor and
//! tahun) has its metadata brought up to date — only the columns the file has; a blank status
//! keeps the stored one, and a regulation revoked by another cannot be put back in force by a
//! file; a new one is created. Relations and files are not in a metadata export: they are
//! recorded on the regulation's page.

use std::collections::{HashMap, HashSet};

use cakap_domain::learning::fold;
use cakap_domain::regulation::{Jenis, RegStatus};
use cakap_store::Conn;
use cakap_store::regulations as store;

use super::{Column, Columns, Counts, Kind, Ready, RowError, Sheet, Ticks, parse_date};
use crate::cache::Topic;
use crate::{Actor, Db, ServiceResult, validate};

const SPEC: &[Column] = &[
    Column::required(
        "jenis",
        &[
            "Jenis",
            "Jenis Peraturan",
            "Bentuk",
            "jenis",
            "singkatanJenis",
        ],
    ),
    Column::required(
        "nomor",
        &[
            "Nomor",
            "Nomor Peraturan",
            "No. Peraturan",
            "noPeraturan",
            "nomor",
        ],
    ),
    Column::required("tahun", &["Tahun", "tahun", "tahun_pengundangan"]),
    Column::required("judul", &["Judul", "Tentang", "judul"]),
    Column::optional(
        "teu_badan",
        &[
            "T.E.U. Badan",
            "TEU Badan",
            "teuBadan",
            "Penerbit",
            "teu_badan",
        ],
    ),
    Column::optional(
        "tempat_penetapan",
        &["Tempat Penetapan", "tempatTerbit", "tempat_penetapan"],
    ),
    Column::optional(
        "tanggal_penetapan",
        &["Tanggal Penetapan", "tanggal_penetapan"],
    ),
    Column::optional(
        "tanggal_pengundangan",
        &["Tanggal Pengundangan", "tanggal_pengundangan"],
    ),
    Column::optional(
        "tanggal_berlaku",
        &["Tanggal Berlaku", "Mulai Berlaku", "tanggal_berlaku"],
    ),
    Column::optional("sumber", &["Sumber", "sumber"]),
    Column::optional("subjek", &["Subjek", "subjek"]),
    Column::optional(
        "bidang_hukum",
        &["Bidang Hukum", "bidangHukum", "bidang_hukum"],
    ),
    Column::optional("bahasa", &["Bahasa", "bahasa"]),
    Column::optional("abstrak", &["Abstrak", "abstrak"]),
    Column::optional("status", &["Status", "status"]),
];

/// A regulation's kind from an export: our code, the short form (`PERBUP`) or the name
/// (`Peraturan Bupati`), case and spacing ignored.
pub(crate) fn jenis_of(s: &str) -> Option<Jenis> {
    let k = fold(s);
    Jenis::ALL
        .iter()
        .copied()
        .find(|j| k == j.as_str() || k == fold(j.short()) || k == fold(j.name()))
        .or(match k.as_str() {
            "qanun" | "qanun kabupaten" | "peraturan daerah" => Some(Jenis::Perda),
            "keputusan bupati" => Some(Jenis::Kepbup),
            "instruksi bupati" => Some(Jenis::Lainnya),
            _ => None,
        })
}

/// `berlaku` / `tidak berlaku` (and `dicabut`); `Some(None)` for blank (a new record is in
/// force, a known one keeps its status); `None` for anything else.
fn status_of(s: &str) -> Option<Option<RegStatus>> {
    match fold(s).as_str() {
        "" => Some(None),
        "berlaku" => Some(Some(RegStatus::Berlaku)),
        "tidak berlaku" | "tidak_berlaku" | "dicabut" => Some(Some(RegStatus::TidakBerlaku)),
        _ => None,
    }
}

#[derive(Default)]
pub(super) struct Planned {
    existing: Option<store::RegulationRow>,
    jenis: Option<Jenis>,
    nomor: String,
    tahun: i64,
    judul: String,
    teu_badan: String,
    texts: [Option<String>; 5],
    dates: [Option<String>; 3],
    bahasa: String,
    status: Option<RegStatus>,
    /// Which optional columns the file has (a missing one keeps what is stored).
    has: [bool; 9],
}

pub(super) struct Regulations;

impl Kind for Regulations {
    const NAME: &'static str = "regulations";
    const SPEC: &'static [Column] = SPEC;
    const TOPICS: &'static [Topic] = &[Topic::Regulations];
    type Plan = Vec<Planned>;

    async fn check(
        db: &Db,
        actor: &Actor,
        sheet: &Sheet,
        cols: &Columns,
        errors: &mut Vec<RowError>,
        ticks: &Ticks<'_>,
    ) -> ServiceResult<Ready<Self::Plan>> {
        let mut c = db.conn().await?;
        let known: HashMap<(String, String, i64), store::RegulationRow> =
            store::all(&mut c, actor.tenant_id)
                .await?
                .into_iter()
                .map(|r| ((r.jenis.as_str().to_string(), r.nomor.clone(), r.tahun), r))
                .collect();
        let revoked: HashSet<i64> = store::revoked_ids(&mut c, actor.tenant_id)
            .await?
            .into_iter()
            .collect();
        let issuer = crate::service_quality::tenant_name(db, actor.tenant_id).await?;
        drop(c);
        let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive()) as i64;
        let mut plan = Vec::with_capacity(sheet.rows.len());
        let mut seen = HashSet::new();
        let mut counts = Counts::default();
        for (done, (row, cells)) in sheet.rows.iter().enumerate() {
            let row = *row;
            let before = errors.len();
            let get = |f: &str| cols.get(cells, f);
            let fail = |f: &str, key: &'static str, value: &str| {
                RowError::value(row, cols.header(f), key, value)
            };
            let jenis = jenis_of(get("jenis"));
            if jenis.is_none() {
                errors.push(fail("jenis", "regulation.jenis_invalid", get("jenis")));
            }
            let tahun = get("tahun").trim().parse::<i64>().ok();
            if !tahun.is_some_and(|t| (1945..=this_year + 1).contains(&t)) {
                errors.push(fail("tahun", "regulation.tahun_row", get("tahun")));
            }
            let status = status_of(get("status"));
            if status.is_none() {
                errors.push(fail("status", "regulation.status_invalid", get("status")));
            }
            let mut text = |field: &'static str, max: usize, required: bool| -> Option<String> {
                let v = if required {
                    validate::paragraph(field, get(field), max).map(Some)
                } else {
                    validate::optional_paragraph(field, Some(get(field)), max)
                };
                v.map_err(|e| errors.push(super::row_error(row, cols.header(field), e)))
                    .ok()
                    .flatten()
            };
            let nomor = text("nomor", 40, true).map(|n| n.replace('\n', " "));
            let judul = text("judul", 600, true).map(|j| j.replace('\n', " "));
            let others = [
                text("tempat_penetapan", 100, false),
                text("sumber", 200, false),
                text("subjek", 200, false),
                text("bidang_hukum", 200, false),
                text("abstrak", 6000, false),
                text("teu_badan", 200, false),
            ];
            let bahasa = text("bahasa", 40, false).unwrap_or_else(|| "Indonesia".into());
            let mut dates: [Option<String>; 3] = Default::default();
            for (i, field) in [
                "tanggal_penetapan",
                "tanggal_pengundangan",
                "tanggal_berlaku",
            ]
            .into_iter()
            .enumerate()
            {
                let v = get(field);
                if v.trim().is_empty() {
                    continue;
                }
                match parse_date(v) {
                    Some(d) => dates[i] = Some(d.format("%Y-%m-%d").to_string()),
                    None => errors.push(fail(field, "import.date", v)),
                }
            }
            if let (Some(p), Some(u)) = (&dates[0], &dates[1])
                && u < p
            {
                errors.push(fail(
                    "tanggal_pengundangan",
                    "regulation.promulgated_before",
                    get("tanggal_pengundangan"),
                ));
            }
            if errors.len() == before
                && let (Some(j), Some(t), Some(n), Some(judul)) = (jenis, tahun, nomor, judul)
            {
                let key = (j.as_str().to_string(), n.clone(), t);
                if !seen.insert(key.clone()) {
                    errors.push(fail("nomor", "import.repeated", &n));
                } else {
                    let existing = known.get(&key).cloned();
                    if status == Some(Some(RegStatus::Berlaku))
                        && existing.as_ref().is_some_and(|e| revoked.contains(&e.id))
                    {
                        errors.push(fail("status", "regulation.revoked_stays", get("status")));
                        ticks.checked(done);
                        continue;
                    }
                    counts.valid += 1;
                    if existing.is_some() {
                        counts.updated += 1;
                    } else {
                        counts.created += 1;
                    }
                    let [tempat, sumber, subjek, bidang, abstrak, teu] = others;
                    plan.push(Planned {
                        existing,
                        jenis: Some(j),
                        nomor: n,
                        tahun: t,
                        judul,
                        teu_badan: teu.unwrap_or_else(|| issuer.clone()),
                        texts: [tempat, sumber, subjek, bidang, abstrak],
                        dates,
                        bahasa,
                        status: status.flatten(),
                        has: [
                            "tempat_penetapan",
                            "sumber",
                            "subjek",
                            "bidang_hukum",
                            "abstrak",
                            "teu_badan",
                            "tanggal_penetapan",
                            "tanggal_pengundangan",
                            "tanggal_berlaku",
                        ]
                        .map(|f| cols.has(f)),
                    });
                }
            }
            ticks.checked(done);
        }
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
        for (done, p) in plan.iter().enumerate() {
            let Some(jenis) = p.jenis else { continue };
            // A column the file does not have keeps what is stored.
            let keep = |i: usize, new: &Option<String>, old: Option<&Option<String>>| {
                if p.has[i] {
                    new.clone()
                } else {
                    old.cloned().flatten()
                }
            };
            let e = p.existing.as_ref();
            let tempat = keep(0, &p.texts[0], e.map(|e| &e.tempat_penetapan));
            let sumber = keep(1, &p.texts[1], e.map(|e| &e.sumber));
            let subjek = keep(2, &p.texts[2], e.map(|e| &e.subjek));
            let bidang = keep(3, &p.texts[3], e.map(|e| &e.bidang_hukum));
            let abstrak = keep(4, &p.texts[4], e.map(|e| &e.abstrak));
            let teu_badan = match e {
                Some(e) if !p.has[5] => e.teu_badan.clone(),
                _ => p.teu_badan.clone(),
            };
            let penetapan = keep(6, &p.dates[0], e.map(|e| &e.tanggal_penetapan));
            let pengundangan = keep(7, &p.dates[1], e.map(|e| &e.tanggal_pengundangan));
            let berlaku = keep(8, &p.dates[2], e.map(|e| &e.tanggal_berlaku));
            let text = crate::regulations::index_text(
                jenis,
                &p.nomor,
                p.tahun,
                &p.judul,
                subjek.as_deref(),
                abstrak.as_deref(),
            );
            let data = store::RegulationData {
                jenis,
                nomor: &p.nomor,
                tahun: p.tahun,
                judul: &p.judul,
                teu_badan: &teu_badan,
                tempat_penetapan: tempat.as_deref(),
                tanggal_penetapan: penetapan.as_deref(),
                tanggal_pengundangan: pengundangan.as_deref(),
                tanggal_berlaku: berlaku.as_deref(),
                sumber: sumber.as_deref(),
                subjek: subjek.as_deref(),
                bidang_hukum: bidang.as_deref(),
                bahasa: &p.bahasa,
                abstrak: abstrak.as_deref(),
                search_text: &text,
            };
            let id = match &p.existing {
                Some(e) => {
                    store::update(c, actor.tenant_id, e.id, &data).await?;
                    e.id
                }
                None => store::insert(c, actor.tenant_id, &data, &actor.username).await?,
            };
            if let Some(status) = p.status {
                store::set_status(c, actor.tenant_id, id, status).await?;
            }
            ticks.written(done);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_as_jdih_exports_write_them() {
        let cases = [
            ("perbup", Some(Jenis::Perbup)),
            ("PERBUP", Some(Jenis::Perbup)),
            ("Peraturan Bupati", Some(Jenis::Perbup)),
            ("  peraturan  bupati ", Some(Jenis::Perbup)),
            ("Qanun", Some(Jenis::Perda)),
            ("Undang-Undang", Some(Jenis::Uu)),
            ("Surat Edaran", Some(Jenis::Se)),
            ("Peraturan", None),
            ("=cmd|' /C calc'!A0", None),
        ];
        for (s, want) in cases {
            assert_eq!(jenis_of(s), want, "{s}");
        }
        assert_eq!(status_of(""), Some(None));
        assert_eq!(
            status_of("Tidak Berlaku"),
            Some(Some(RegStatus::TidakBerlaku))
        );
        assert_eq!(status_of("Dicabut"), Some(Some(RegStatus::TidakBerlaku)));
        assert_eq!(status_of("hapus"), None);
    }
}
