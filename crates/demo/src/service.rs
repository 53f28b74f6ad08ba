//! The public-service side of the demo: the front-line units serve the public, a year and a
//! half of citizens' survey answers with believable differences between units (the RSUD's
//! staff conduct and the Dukcapil's waiting time lag), service users per unit, and complaints,
//! some of them late.

use std::collections::HashMap;

use cakap_domain::skm::{ComplaintClass, ComplaintStatus};
use cakap_services::ServiceResult;
use cakap_store::Conn;
use cakap_store::service_quality as store;
use chrono::{Datelike, Duration, NaiveDate};

use crate::rng::Rng;

/// Mean answer (1–4) per unsur for a kind of unit; the generator draws around it.
struct Profile {
    prefix: &'static str,
    means: [f64; 9],
    /// Responses in a whole year.
    per_year: u32,
    /// Service users in a year.
    users: i64,
}

const PROFILES: &[Profile] = &[
    Profile {
        prefix: "DISDUKCAPIL",
        means: [3.4, 3.3, 2.7, 3.9, 3.4, 3.3, 3.4, 3.0, 3.1],
        per_year: 420,
        users: 14_000,
    },
    Profile {
        prefix: "DPMPTSP",
        means: [3.3, 3.4, 3.3, 3.5, 3.5, 3.5, 3.6, 3.3, 3.5],
        per_year: 300,
        users: 2_600,
    },
    Profile {
        prefix: "RSUD",
        means: [3.2, 3.0, 2.8, 3.1, 3.2, 3.0, 2.5, 2.6, 2.9],
        per_year: 260,
        users: 22_000,
    },
    Profile {
        prefix: "PKM.",
        means: [3.3, 3.2, 3.0, 3.8, 3.2, 3.1, 3.2, 2.9, 2.9],
        per_year: 220,
        users: 6_000,
    },
    Profile {
        prefix: "CAMAT.",
        means: [3.2, 3.1, 3.1, 3.8, 3.1, 3.0, 3.3, 2.8, 2.9],
        per_year: 160,
        users: 1_500,
    },
];

const SERVICES: &[(&str, &[&str])] = &[
    (
        "DISDUKCAPIL",
        &[
            "KTP-el",
            "Kartu Keluarga",
            "Akta Kelahiran",
            "Pindah datang",
        ],
    ),
    ("DPMPTSP", &["Izin usaha (OSS)", "PBG", "Izin praktik"]),
    (
        "RSUD",
        &["Rawat jalan", "IGD", "Rawat inap", "Laboratorium"],
    ),
    ("PKM.", &["Poli umum", "KIA", "Imunisasi", "Poli gigi"]),
    ("CAMAT.", &["Surat keterangan", "Rekomendasi", "Legalisasi"]),
];

const COMMENTS: &[&str] = &[
    "Antrean pagi terlalu panjang, mohon tambah loket.",
    "Petugas ramah dan membantu, terima kasih.",
    "Ruang tunggu panas, kipas angin rusak.",
    "Informasi persyaratan di papan pengumuman sudah jelas.",
    "Mohon jam layanan diperpanjang saat musim panen.",
    "Prosesnya cepat, selesai hari itu juga.",
    "Toilet perlu dibersihkan lebih sering.",
    "Petugas di loket kurang sabar menjelaskan.",
];

/// (unit code prefix, class, text): complaints that fit the unit they are filed against.
const COMPLAINTS: &[(&str, &str, &str)] = &[
    (
        "DISDUKCAPIL",
        "pengaduan",
        "Pengurusan KTP-el sudah tiga minggu belum selesai.",
    ),
    (
        "DISDUKCAPIL",
        "pengaduan",
        "Pungutan biaya fotokopi di loket tanpa kuitansi.",
    ),
    (
        "DISDUKCAPIL",
        "aspirasi",
        "Mohon disediakan layanan keliling ke gampong terpencil.",
    ),
    (
        "DPMPTSP",
        "permintaan_informasi",
        "Apa saja syarat izin usaha mikro?",
    ),
    (
        "DPMPTSP",
        "pengaduan",
        "Izin usaha sudah lengkap berkasnya tetapi belum terbit.",
    ),
    (
        "RSUD",
        "pengaduan",
        "Petugas IGD tidak menanggapi keluarga pasien dengan baik.",
    ),
    (
        "RSUD",
        "aspirasi",
        "Tambahkan kursi roda di pintu masuk rumah sakit.",
    ),
    (
        "PKM.",
        "pengaduan",
        "Obat di apotek puskesmas sering kosong.",
    ),
    (
        "PKM.",
        "permintaan_informasi",
        "Jadwal imunisasi bulan depan kapan?",
    ),
    (
        "PKM.",
        "pengaduan",
        "Dokter belum datang sampai pukul sepuluh pagi.",
    ),
    (
        "CAMAT.",
        "pengaduan",
        "Surat keterangan domisili harus bolak-balik tiga kali.",
    ),
    (
        "CAMAT.",
        "aspirasi",
        "Mohon papan informasi persyaratan dipasang di depan kantor.",
    ),
];

/// One answer around `mean`: the floor, or one more with the fractional part's chance.
fn draw(rng: &mut Rng, mean: f64) -> i64 {
    let base = mean.floor();
    let up = rng.below(100) < ((mean - base) * 100.0) as u32;
    // Now and then someone is much less pleased.
    let down = rng.below(100) < 4;
    ((base as i64) + i64::from(up) - i64::from(down)).clamp(1, 4)
}

/// Loads the service side; returns (responses, complaints).
pub(crate) async fn load(
    c: &mut Conn,
    tenant: i64,
    rng: &mut Rng,
    unit_ids: &HashMap<String, (i64, String)>,
    today: NaiveDate,
    employees: u32,
) -> ServiceResult<(usize, usize)> {
    // A smaller demo (the tests') gets proportionally fewer answers.
    let scale = (u64::from(employees).min(4500), 4500u64);
    let mut units: Vec<(&str, i64, &Profile)> = unit_ids
        .iter()
        .filter_map(|(code, (id, _))| {
            let p = PROFILES.iter().find(|p| {
                code == p.prefix || (p.prefix.ends_with('.') && code.starts_with(p.prefix))
            })?;
            Some((code.as_str(), *id, p))
        })
        .collect();
    units.sort_by_key(|u| u.0);
    let year = today.year();
    let start = NaiveDate::from_ymd_opt(year - 1, 7, 1).unwrap_or(today);
    let span = (today - start).num_days().max(1);
    let (mut responses, mut complaints) = (0, 0);
    for (i, (code, id, p)) in units.iter().enumerate() {
        store::set_serves_public(c, tenant, *id, true).await?;
        // Each puskesmas and kantor camat a little different from the next.
        let shift = (f64::from(rng.below(40)) - 20.0) / 100.0;
        let services = SERVICES
            .iter()
            .find(|s| code.starts_with(s.0))
            .map_or(&[][..], |s| s.1);
        let n = (u64::from(p.per_year) * span as u64 * scale.0 / 365 / scale.1) as u32;
        // Some units have not yet collected their sample this year.
        let n = if i % 4 == 3 { n / 2 } else { n };
        for k in 0..n {
            let on = start + Duration::days(i64::from(rng.below(span as u32 + 1)));
            let mut answers = [0i64; 9];
            for (a, m) in answers.iter_mut().zip(p.means) {
                *a = draw(rng, (m + shift).clamp(1.0, 4.0));
            }
            let comment =
                (rng.below(100) < 12).then(|| COMMENTS[rng.below(COMMENTS.len() as u32) as usize]);
            let service =
                (!services.is_empty()).then(|| services[rng.below(services.len() as u32) as usize]);
            let gender = ["L", "P"][rng.below(2) as usize];
            let age = 18 + i64::from(rng.below(55));
            let education = ["SD", "SMP", "SMA", "SMA", "D4/S1"][rng.below(5) as usize];
            let device = format!("demo-{code}-{k}");
            let on_s = on.format("%Y-%m-%d").to_string();
            store::insert_response(
                c,
                tenant,
                &store::NewResponse {
                    unit_id: *id,
                    answered_on: &on_s,
                    answers,
                    service,
                    gender: Some(gender),
                    age: Some(age),
                    education: Some(education),
                    comment,
                    device: &device,
                    origin: &device,
                },
            )
            .await?;
            responses += 1;
        }
        for period in [format!("{}", year - 1), format!("{year}")] {
            let users = p.users + i64::from(rng.below(400)) - 200;
            store::set_population(c, tenant, *id, &period, users).await?;
        }
        // Complaints: a few per unit, the older ones settled, some still late.
        for _ in 0..(1 + rng.below(4)) {
            let fitting: Vec<&(&str, &str, &str)> = COMPLAINTS
                .iter()
                .filter(|k| code.starts_with(k.0))
                .collect();
            let (_, class, summary) = *fitting[rng.below(fitting.len() as u32) as usize];
            let received = today - Duration::days(i64::from(rng.below(150)));
            let received_s = received.format("%Y-%m-%d").to_string();
            let channel = ["loket", "lapor", "telepon", "kotak_saran"][rng.below(4) as usize];
            // Most reporters name the day they were served, a few days before.
            let served = (rng.below(3) > 0).then(|| {
                (received - Duration::days(i64::from(rng.below(10))))
                    .format("%Y-%m-%d")
                    .to_string()
            });
            let kid = store::insert_complaint(
                c,
                tenant,
                &store::NewComplaint {
                    unit_id: *id,
                    channel,
                    class: class.parse().unwrap_or(ComplaintClass::Pengaduan),
                    received_on: &received_s,
                    served_on: served.as_deref(),
                    summary,
                    reporter: Some("Warga Blangpidie"),
                    reporter_contact: Some("0812-0000-0000"),
                    external_id: None,
                    created_by: "demo",
                },
            )
            .await?;
            store::add_step(c, tenant, kid, "demo", None, "baru", None).await?;
            let age = (today - received).num_days();
            // Old ones mostly settled; a few left waiting to show what "late" looks like.
            let path: &[ComplaintStatus] = match (age, rng.below(10)) {
                (0..=3, _) => &[],
                (_, 0) => &[],
                (4..=70, 1..=4) => &[ComplaintStatus::Diverifikasi, ComplaintStatus::Diproses],
                (_, 1) => &[ComplaintStatus::Diverifikasi, ComplaintStatus::Diproses],
                _ => &[
                    ComplaintStatus::Diverifikasi,
                    ComplaintStatus::Diproses,
                    ComplaintStatus::Selesai,
                ],
            };
            let mut from = ComplaintStatus::Baru;
            // One in six is verified a week late: closed or not, it counts as late.
            let verify_after = if rng.below(6) == 0 { 7 } else { 2 };
            let verified = (received + Duration::days(verify_after).min(Duration::days(age)))
                .format("%Y-%m-%d")
                .to_string();
            let resolved = (received + Duration::days(20).min(Duration::days(age)))
                .format("%Y-%m-%d")
                .to_string();
            for (version, to) in path.iter().enumerate() {
                let v = (to == &ComplaintStatus::Diverifikasi).then_some(verified.as_str());
                let r = (to == &ComplaintStatus::Selesai).then_some(resolved.as_str());
                store::set_complaint_status(c, tenant, kid, version as i64 + 1, *to, None, v, r)
                    .await?;
                store::add_step(
                    c,
                    tenant,
                    kid,
                    "demo",
                    Some(from.as_str()),
                    to.as_str(),
                    None,
                )
                .await?;
                from = *to;
            }
            complaints += 1;
        }
    }
    Ok((responses, complaints))
}
