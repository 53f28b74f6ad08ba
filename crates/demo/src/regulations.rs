//! The regulation side of the demo (data/regulations.toml): a JDIH register of national and
//! Aceh Barat Daya rules with their relations and a few PDFs, a micro-course, and three
//! read-and-acknowledge campaigns — the new Perbup on working hours for everyone, due next
//! week and about 70 % acknowledged (the `asn` login still owes it); last month's Perbup on
//! complaint handling at the front-line units, past due with the RSUD behind; and this week's
//! circular on gratification for administrators and supervisors, to be read after a short
//! course.

use std::collections::HashMap;

use cakap_domain::learning::AnswerKey;
use cakap_domain::regulation::{Jenis, RegStatus, Relation};
use cakap_services::ServiceResult;
use cakap_services::learning::{catalogue, markdown};
use cakap_services::regulations::campaigns::{link, schedule_next, title};
use cakap_store::Conn;
use cakap_store::learning as learn;
use cakap_store::notifications::{self as inbox, NewNotification};
use cakap_store::regulations as store;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;

use crate::data::{self, data_file};

#[derive(Deserialize)]
struct File {
    regulation: Vec<Spec>,
    relation: Vec<Link>,
}

#[derive(Deserialize)]
struct Spec {
    key: String,
    jenis: String,
    nomor: String,
    tahun: i64,
    judul: String,
    teu: Option<String>,
    penetapan: String,
    pengundangan: String,
    berlaku: Option<String>,
    subjek: String,
    bidang: String,
    sumber: String,
    abstrak: Option<String>,
    #[serde(default)]
    file: bool,
}

#[derive(Deserialize)]
struct Link {
    from: String,
    kind: String,
    to: String,
}

fn file() -> File {
    data::toml(data_file!("regulations.toml"))
}

/// A date of the data: `YYYY-MM-DD`, or `-N` / `+N` days from today.
fn day(s: &str, today: NaiveDate) -> String {
    let d = match s.parse::<i64>() {
        Ok(n) if s.starts_with(['-', '+']) => today + Duration::days(n),
        _ => NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(today),
    };
    d.format("%Y-%m-%d").to_string()
}

/// The text of a regulation as a small PDF.
fn text_pdf(s: &Spec, jenis: Jenis) -> Vec<u8> {
    let mut lines = vec![
        cakap_services::DEFAULT_TENANT.1.to_uppercase(),
        format!(
            "{} NOMOR {} TAHUN {}",
            jenis.name().to_uppercase(),
            s.nomor,
            s.tahun
        ),
        "TENTANG".into(),
    ];
    lines.extend(wrap(&s.judul.to_uppercase(), 80));
    lines.push(String::new());
    lines.extend(wrap(s.abstrak.as_deref().unwrap_or(""), 90));
    lines.push(String::new());
    lines.push(format!("Ditetapkan di Blangpidie, {}", s.penetapan));
    let lines: Vec<String> = lines
        .into_iter()
        .map(|l| l.replace(['–', '—'], "-"))
        .collect();
    crate::evidence::report_pdf(&lines)
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for w in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + w.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// What the demo's regulations made, for its summary.
pub struct Loaded {
    pub regulations: usize,
    pub campaigns: usize,
}

/// Loads the register and the campaigns. `units` maps unit codes to (id, path); `asn` is the
/// employee behind the `asn` login.
pub(crate) async fn load(
    c: &mut Conn,
    tenant: i64,
    units: &HashMap<String, (i64, String)>,
    asn: Option<i64>,
    today: NaiveDate,
) -> ServiceResult<Loaded> {
    let f = file();
    let mut ids: HashMap<&str, (i64, &Spec)> = HashMap::new();
    for s in &f.regulation {
        let jenis: Jenis = s.jenis.parse().unwrap_or(Jenis::Lainnya);
        let text = cakap_services::regulations::index_text(
            jenis,
            &s.nomor,
            s.tahun,
            &s.judul,
            Some(&s.subjek),
            s.abstrak.as_deref(),
        );
        let (penetapan, pengundangan) = (day(&s.penetapan, today), day(&s.pengundangan, today));
        let berlaku = s.berlaku.as_deref().map(|b| day(b, today));
        let id = store::insert(
            c,
            tenant,
            &store::RegulationData {
                jenis,
                nomor: &s.nomor,
                tahun: s.tahun,
                judul: &s.judul,
                teu_badan: s.teu.as_deref().unwrap_or(cakap_services::DEFAULT_TENANT.1),
                tempat_penetapan: Some(if s.teu.is_some() {
                    "Jakarta"
                } else {
                    "Blangpidie"
                }),
                tanggal_penetapan: Some(&penetapan),
                tanggal_pengundangan: Some(&pengundangan),
                tanggal_berlaku: Some(berlaku.as_deref().unwrap_or(&pengundangan)),
                sumber: Some(&s.sumber),
                subjek: Some(&s.subjek),
                bidang_hukum: Some(&s.bidang),
                bahasa: "Indonesia",
                abstrak: s.abstrak.as_deref(),
                search_text: &text,
            },
            "system",
        )
        .await?;
        if s.file {
            let pdf = text_pdf(s, jenis);
            use sha2::Digest;
            let sha = cakap_services::auth::hex(&sha2::Sha256::digest(&pdf));
            let name = format!(
                "{}-{}-{}.pdf",
                jenis.as_str(),
                s.nomor.replace(['/', '.'], "-"),
                s.tahun
            );
            store::insert_file(
                c,
                tenant,
                id,
                &store::NewFile {
                    version: 1,
                    filename: &name,
                    sha256: &sha,
                    data: &pdf,
                },
                "system",
            )
            .await?;
        }
        ids.insert(&s.key, (id, s));
    }
    for l in &f.relation {
        let (Some((from, _)), Some((to, _))) = (ids.get(l.from.as_str()), ids.get(l.to.as_str()))
        else {
            continue;
        };
        store::insert_relation(c, tenant, *from, &l.kind, *to, "system").await?;
        match l.kind.parse::<Relation>() {
            Ok(Relation::Mencabut) => {
                store::set_status(c, tenant, *to, RegStatus::TidakBerlaku).await?;
            }
            Ok(Relation::Mengubah) => {
                store::next_version(c, tenant, *to).await?;
            }
            Err(()) => {}
        }
    }

    let course = micro_course(c, tenant, today).await?;
    let reg = |key: &str| ids.get(key).map(|(id, _)| *id);
    let path = |code: &str| units.get(code).map(|(_, p)| p.clone());
    let mut campaigns = 0;
    let now = cakap_store::now_ms();
    let day_ms = 86_400_000;

    // The new Perbup on working hours: everyone, due next week, about 70 % acknowledged;
    // the health office's puskesmas lag.
    if let Some(r) = reg("perbup7-2026") {
        let id = campaign(
            c,
            tenant,
            r,
            &store::Audience {
                all: true,
                ..Default::default()
            },
            r#"{"all":true,"units":[],"position_kinds":[],"competencies":[]}"#,
            today - Duration::days(9),
            today + Duration::days(6),
            None,
        )
        .await?;
        let mut rates: Vec<(String, i64)> = Vec::new();
        for (code, pct) in [("BKPSDM", 97), ("INSP", 92), ("SETDA", 88), ("DINKES", 52)] {
            if let Some(p) = path(code) {
                rates.push((p, pct));
            }
        }
        store::demo_acknowledge(
            c,
            tenant,
            id,
            1,
            &rates,
            72,
            asn,
            now - 9 * day_ms,
            9 * day_ms,
        )
        .await?;
        notify(c, tenant, id, "campaign", today + Duration::days(6)).await?;
        campaigns += 1;
    }
    // Last month's Perbup on complaints, at the front-line units: past due, the RSUD behind.
    if let Some(r) = reg("perbup2-2026") {
        let codes: Vec<&String> = units
            .keys()
            .filter(|k| {
                ["DISDUKCAPIL", "DPMPTSP", "RSUD"].contains(&k.as_str()) || k.starts_with("PKM.")
            })
            .collect();
        let mut codes: Vec<String> = codes.into_iter().cloned().collect();
        codes.sort();
        let audience = store::Audience {
            unit_paths: codes.iter().filter_map(|c| path(c)).collect(),
            ..Default::default()
        };
        let json = serde_json::json!({"all": false, "units": codes, "position_kinds": [], "competencies": []})
            .to_string();
        let id = campaign(
            c,
            tenant,
            r,
            &audience,
            &json,
            today - Duration::days(40),
            today - Duration::days(10),
            None,
        )
        .await?;
        let rates: Vec<(String, i64)> = path("RSUD").map(|p| (p, 61)).into_iter().collect();
        store::demo_acknowledge(
            c,
            tenant,
            id,
            1,
            &rates,
            100,
            None,
            now - 38 * day_ms,
            26 * day_ms,
        )
        .await?;
        notify(c, tenant, id, "overdue", today - Duration::days(10)).await?;
        campaigns += 1;
    }
    // This week's circular on gratification: administrators and supervisors, after a course.
    if let Some(r) = reg("se-gratifikasi-2026") {
        let id = campaign(
            c,
            tenant,
            r,
            &store::Audience {
                position_kinds: vec!["administrator".into(), "pengawas".into()],
                ..Default::default()
            },
            r#"{"all":false,"units":[],"position_kinds":["administrator","pengawas"],"competencies":[]}"#,
            today - Duration::days(1),
            today + Duration::days(21),
            Some(course),
        )
        .await?;
        notify(c, tenant, id, "campaign", today + Duration::days(21)).await?;
        campaigns += 1;
    }
    Ok(Loaded {
        regulations: f.regulation.len(),
        campaigns,
    })
}

/// A campaign with its targets and the next reminder of its chain.
#[allow(clippy::too_many_arguments)]
async fn campaign(
    c: &mut Conn,
    tenant: i64,
    regulation: i64,
    audience: &store::Audience,
    audience_json: &str,
    assigned: NaiveDate,
    due: NaiveDate,
    course: Option<i64>,
) -> ServiceResult<i64> {
    let id = store::insert_campaign(
        c,
        tenant,
        &store::NewCampaign {
            regulation_id: regulation,
            version: 1,
            due_on: &due.format("%Y-%m-%d").to_string(),
            course_id: course,
            audience: audience_json,
            assigned_on: &assigned.format("%Y-%m-%d").to_string(),
        },
        "admin",
    )
    .await?;
    store::insert_targets(c, tenant, id, audience).await?;
    schedule_next(c, tenant, id, assigned, due, cakap_services::wib::today()).await?;
    Ok(id)
}

/// The in-app notice of a campaign to the accounts of those who still owe it.
async fn notify(
    c: &mut Conn,
    tenant: i64,
    campaign: i64,
    kind: &str,
    due: NaiveDate,
) -> ServiceResult<()> {
    let Some(k) = store::campaign(c, tenant, campaign).await? else {
        return Ok(());
    };
    let Some(reg) = store::get(c, tenant, k.regulation_id).await? else {
        return Ok(());
    };
    let title = title(&reg);
    inbox::insert_for_campaign(
        c,
        tenant,
        campaign,
        k.version,
        "",
        &NewNotification {
            kind,
            title: &title,
            body: &format!("due:{}", due.format("%Y-%m-%d")),
            link: &link(campaign),
        },
        false,
    )
    .await?;
    Ok(())
}

/// "Integritas dan Pengendalian Gratifikasi": one module and a three-question check, open
/// all year for self-enrolment (the micro-course the circular asks for).
async fn micro_course(c: &mut Conn, tenant: i64, today: NaiveDate) -> ServiceResult<i64> {
    let id = learn::insert_course(
        c,
        tenant,
        &learn::CourseData {
            code: "MIKRO-GRATIFIKASI",
            title: "Kursus Singkat: Mengenali dan Melaporkan Gratifikasi",
            description: "Kursus mikro 15 menit untuk pejabat administrator dan pengawas: apa itu gratifikasi, kapan wajib ditolak, dan cara melapor ke Unit Pengendali Gratifikasi dalam 30 hari kerja. Syarat konfirmasi SE Sekda tentang pencegahan gratifikasi.",
            jalur: "e_learning",
            mode: "e_learning",
            jp: 1,
            cost: 0,
            pass_mark: 67,
            time_limit: Some(10),
            max_attempts: 3,
            review: "full",
            active: true,
        },
    )
    .await?;
    let body = "## Gratifikasi dalam satu halaman\n\n\
        **Gratifikasi** adalah pemberian dalam arti luas — uang, barang, diskon, tiket, \
        fasilitas — yang diterima ASN karena jabatannya.\n\n\
        - **Tolak** setiap pemberian yang berhubungan dengan jabatan Anda, terutama dari \
        pihak yang sedang mengurus layanan, perizinan atau pengadaan.\n\
        - **Laporkan** pemberian yang tidak dapat ditolak paling lama **30 hari kerja** \
        sejak diterima kepada Unit Pengendali Gratifikasi (UPG) di Inspektorat.\n\
        - Parsel menjelang hari raya dan akhir tahun anggaran termasuk yang harus ditolak.\n\n\
        Melapor tepat waktu membebaskan Anda dari anggapan suap.";
    learn::insert_module(
        c,
        tenant,
        id,
        &learn::ModuleData {
            title: "Mengenali, menolak dan melaporkan gratifikasi",
            body,
            html: &markdown::to_html(body),
            minutes: 10,
        },
    )
    .await?;
    let questions: [(&str, &[&str], AnswerKey); 3] = [
        (
            "Seorang pemohon izin mengirim parsel ke rumah Anda. Apa yang Anda lakukan?",
            &[
                "Menerima karena hanya makanan",
                "Menolak atau mengembalikannya",
                "Membagikannya ke staf",
            ],
            AnswerKey::Single { correct: 1 },
        ),
        (
            "Berapa lama batas waktu melaporkan gratifikasi yang tidak dapat ditolak?",
            &[
                "7 hari kerja",
                "14 hari kalender",
                "30 hari kerja",
                "Tidak ada batas",
            ],
            AnswerKey::Single { correct: 2 },
        ),
        (
            "Gratifikasi yang dilaporkan tepat waktu ke UPG tidak dianggap suap.",
            &[],
            AnswerKey::TrueFalse { value: true },
        ),
    ];
    for (prompt, options, key) in questions {
        learn::insert_question(
            c,
            tenant,
            id,
            &learn::NewQuestion {
                kind: key.kind().as_str(),
                prompt,
                options: &serde_json::to_string(options).unwrap_or_default(),
                answer_key: &serde_json::to_string(&key).unwrap_or_default(),
                points: 1,
            },
        )
        .await?;
    }
    catalogue::reindex(c, tenant, id).await?;
    let year = chrono::Datelike::year(&today);
    learn::insert_offering(
        c,
        tenant,
        &learn::OfferingData {
            course_id: id,
            code: &format!("MIKRO-GRATIFIKASI-{year}"),
            starts_on: &format!("{year}-01-02"),
            ends_on: &format!("{year}-12-31"),
            kecamatan: None,
            place: None,
            seats: None,
            instructor_id: None,
            budget_line: None,
            self_enrol: true,
        },
    )
    .await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_parses_and_its_relations_name_records() {
        let f = file();
        assert!(f.regulation.len() >= 40);
        for s in &f.regulation {
            assert!(s.jenis.parse::<Jenis>().is_ok(), "{}", s.key);
        }
        let keys: Vec<&str> = f.regulation.iter().map(|s| s.key.as_str()).collect();
        for l in &f.relation {
            assert!(
                keys.contains(&l.from.as_str()) && keys.contains(&l.to.as_str()),
                "{}",
                l.from
            );
            assert!(l.kind.parse::<Relation>().is_ok());
        }
    }
}
