//! The SKM report of a unit for a period (PDF): what a pemda publishes after its survey
//! (PermenPANRB 14/2017) — why and how the survey was held, who answered, the NRR of each
//! unsur, the IKM and its mutu, the complaints of the period, and the follow-up plan drawn
//! from the weakest unsur. The numbers are the IKM table's (docs/domain.md#service-quality).

use std::collections::BTreeMap;

use cakap_domain::skm::{self, Mutu, UNSUR};
use cakap_store::service_quality as store;

use super::{bounds, complaints, parse_period, readable_unit};
use crate::pdf::{Col, Document};
use crate::{Actor, Db, ServiceError, ServiceResult};

/// What is done about a weak unsur, in the words of the follow-up plans pemda publish.
const FOLLOW_UP: [&str; 9] = [
    "Menyederhanakan dan mengumumkan persyaratan di loket, laman dan media sosial unit.",
    "Meninjau SOP pelayanan, memasang alur pelayanan yang mudah dibaca di ruang tunggu.",
    "Menetapkan dan mengumumkan waktu penyelesaian; memantau antrean dan berkas yang melewatinya.",
    "Mengumumkan biaya/tarif resmi (atau bebas biaya) dan saluran melapor pungutan.",
    "Memastikan produk layanan sesuai standar pelayanan; memeriksa ulang sebelum diserahkan.",
    "Pelatihan kompetensi pelayanan bagi petugas loket (masuk rencana pengembangan kompetensi).",
    "Pembinaan sikap dan etika pelayanan petugas; pelatihan budaya pelayanan prima.",
    "Menindaklanjuti pengaduan dalam batas waktu dan mengumumkan hasilnya.",
    "Memperbaiki sarana ruang tunggu, antrean dan akses bagi penyandang disabilitas.",
];

/// The unit's SKM report for `period`, as PDF bytes.
pub async fn report(db: &Db, actor: &Actor, code: &str, period: &str) -> ServiceResult<Vec<u8>> {
    let u = readable_unit(db, actor, code).await?;
    if !u.serves_public {
        return Err(ServiceError::NotFound);
    }
    let p = parse_period(period)?;
    let ikm = super::ikm(db, actor, &u.code, &p.to_string()).await?;
    let (from, to) = bounds(p);
    let mut c = db.conn().await?;
    let profile = store::profile(&mut c, actor.tenant_id, u.id, &from, &to).await?;
    drop(c);
    let issuer = super::tenant_name(db, actor.tenant_id).await?;
    // This unit's complaints only, like its IKM (not those of its sub-units).
    let complaints: Vec<_> = complaints::of_unit_between(db, actor, &u.path, &from, &to)
        .await?
        .into_iter()
        .filter(|k| k.unit == u.code)
        .collect();
    Ok(draw(&Facts {
        issuer: &issuer,
        period: p,
        ikm: &ikm,
        profile: &profile,
        complaints: &complaints,
        today: chrono::Local::now().date_naive(),
        current_year: crate::performance::current_year(),
    }))
}

/// Everything the report states.
pub(crate) struct Facts<'a> {
    pub issuer: &'a str,
    pub period: skm::Period,
    pub ikm: &'a super::IkmReport,
    pub profile: &'a [store::ProfileRow],
    pub complaints: &'a [complaints::Complaint],
    pub today: chrono::NaiveDate,
    /// The year whose survey the training-plan optimizer reads.
    pub current_year: i64,
}

/// A service named by fewer respondents than this is counted under "Lainnya": what an
/// anonymous respondent types reaches the published report only when several typed it.
const MIN_NAMED: i64 = 5;

/// `3.2456` → `3,25`: Indonesian decimals.
fn dec(v: f64, places: usize) -> String {
    format!("{v:.places$}").replace('.', ",")
}

fn pct(part: i64, whole: i64) -> String {
    if whole == 0 {
        "0,0 %".into()
    } else {
        format!("{} %", dec(part as f64 * 100.0 / whole as f64, 1))
    }
}

fn age_band(age: Option<i64>) -> &'static str {
    match age {
        None => "Tidak diisi",
        Some(..25) => "Di bawah 25 tahun",
        Some(25..35) => "25-34 tahun",
        Some(35..45) => "35-44 tahun",
        Some(45..55) => "45-54 tahun",
        Some(_) => "55 tahun ke atas",
    }
}

/// Counts by a key, largest first, as table rows with their share.
fn shares(counts: BTreeMap<String, i64>, total: i64, limit: usize) -> Vec<Vec<String>> {
    let mut v: Vec<(String, i64)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let rest: i64 = v.iter().skip(limit).map(|x| x.1).sum();
    v.truncate(limit);
    if rest > 0 {
        v.push(("Lainnya".into(), rest));
    }
    v.into_iter()
        .map(|(k, n)| vec![k, n.to_string(), pct(n, total)])
        .collect()
}

pub(crate) fn draw(f: &Facts<'_>) -> Vec<u8> {
    let r = f.ikm;
    let period = f.period;
    let period_words = match period.semester {
        0 => format!("tahun {}", period.year),
        s => format!("semester {s} tahun {}", period.year),
    };
    let title = format!(
        "Laporan Survei Kepuasan Masyarakat {} {}",
        r.unit_name, r.period
    );
    let mut d = Document::new(&title, "halaman");
    d.title(&f.issuer.to_uppercase(), 11.0);
    d.title("LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT", 15.0);
    d.title(&format!("{} - {}", r.unit_name, period_words), 12.0);
    d.space(6.0);

    d.heading("1. Pendahuluan");
    d.paragraph(&format!(
        "Survei Kepuasan Masyarakat (SKM) dilaksanakan menurut Peraturan Menteri PANRB Nomor 14 \
         Tahun 2017 untuk mengukur kepuasan masyarakat atas pelayanan {} pada {}. Hasilnya \
         dipakai untuk memperbaiki pelayanan dan pengembangan kompetensi petugas.",
        r.unit_name, period_words
    ));

    d.heading("2. Metode");
    let (a, b) = period.bounds();
    // A period still running was collected until today.
    let b = b.min(f.today);
    d.paragraph(&format!(
        "Responden mengisi kuesioner sembilan unsur pelayanan, masing-masing dengan skala 1 \
         (tidak baik) sampai 4 (sangat baik), melalui formulir daring yang dibuka dari kode QR \
         di loket, tanpa mencantumkan nama. Pengumpulan data: {} sampai {}.",
        crate::learning::certificates::tanggal(&a.format("%Y-%m-%d").to_string()),
        crate::learning::certificates::tanggal(&b.format("%Y-%m-%d").to_string()),
    ));
    let sample = match (r.users, r.sample_needed) {
        (Some(users), Some(need)) => format!(
            "Jumlah penerima layanan pada periode ini {users} orang; sampel minimal menurut \
             tabel Krejcie dan Morgan {need} responden. Responden yang terkumpul {} orang: \
             sampel {}.",
            r.respondents,
            if r.enough {
                "mencukupi"
            } else {
                "belum mencukupi"
            }
        ),
        _ => format!(
            "Jumlah penerima layanan pada periode ini belum dicatat, sehingga kecukupan sampel \
             belum dapat dinilai. Responden yang terkumpul {} orang.",
            r.respondents
        ),
    };
    d.paragraph(&sample);
    d.paragraph(
        "Nilai rata-rata unsur (NRR) adalah jumlah nilai unsur dibagi jumlah responden. \
         IKM = (NRR1 + ... + NRR9) x 1/9, dikonversi dengan dikalikan 25, dibulatkan dua \
         desimal. Mutu: A (Sangat Baik) 88,31-100,00; B (Baik) 76,61-88,30; C (Kurang Baik) \
         65,00-76,60; D (Tidak Baik) 25,00-64,99.",
    );

    d.heading("3. Profil responden");
    let total: i64 = f.profile.iter().map(|p| p.4).sum();
    if total == 0 {
        d.paragraph("Belum ada responden pada periode ini.");
    } else {
        let mut gender = BTreeMap::new();
        let mut ages = BTreeMap::new();
        let mut education = BTreeMap::new();
        let mut services = BTreeMap::new();
        for (g, age, e, s, n) in f.profile {
            let g = match g.as_deref() {
                Some("L") => "Laki-laki",
                Some("P") => "Perempuan",
                _ => "Tidak diisi",
            };
            *gender.entry(g.to_string()).or_insert(0) += n;
            *ages.entry(age_band(*age).to_string()).or_insert(0) += n;
            let e = e.clone().unwrap_or_else(|| "Tidak diisi".into());
            *education.entry(e).or_insert(0) += n;
            let s = s.clone().unwrap_or_else(|| "Tidak disebut".into());
            *services.entry(s).or_insert(0) += n;
        }
        let (named, rare): (BTreeMap<_, _>, BTreeMap<_, _>) =
            services.into_iter().partition(|(_, n)| *n >= MIN_NAMED);
        let mut services = named;
        let rare: i64 = rare.values().sum();
        if rare > 0 {
            *services.entry("Lainnya".to_string()).or_insert(0) += rare;
        }
        for (what, counts, limit) in [
            ("Jenis kelamin", gender, 3),
            ("Usia", ages, 6),
            ("Pendidikan", education, 8),
            ("Jenis layanan", services, 8),
        ] {
            d.table(
                &[
                    Col::left(what, 4.0),
                    Col::right("Responden", 1.2),
                    Col::right("Persentase", 1.2),
                ],
                &shares(counts, total, limit),
            );
        }
    }

    d.heading("4. Nilai per unsur");
    if r.ikm.is_some() {
        let rows: Vec<Vec<String>> = UNSUR
            .iter()
            .zip(&r.nrr)
            .enumerate()
            .map(|(i, (name, nrr))| {
                let m = Mutu::of_nrr(*nrr);
                vec![
                    format!("U{}", i + 1),
                    (*name).to_string(),
                    dec(*nrr, 2),
                    dec(nrr / 9.0, 3),
                    format!("{} ({})", m.as_str(), m.kinerja()),
                ]
            })
            .collect();
        d.table(
            &[
                Col::left("No", 0.5),
                Col::left("Unsur pelayanan", 3.6),
                Col::right("NRR", 0.9),
                Col::right("NRR x 1/9", 1.1),
                Col::left("Mutu", 1.6),
            ],
            &rows,
        );
        let bars: Vec<(String, f64, String)> = UNSUR
            .iter()
            .zip(&r.nrr)
            .enumerate()
            .map(|(i, (name, nrr))| (format!("U{} {name}", i + 1), *nrr, dec(*nrr, 2)))
            .collect();
        d.bars(&bars, 4.0);
    } else {
        d.paragraph("Belum ada jawaban, sehingga nilai unsur belum dapat dihitung.");
    }

    d.heading("5. Indeks Kepuasan Masyarakat");
    match (r.ikm, r.mutu, r.kinerja) {
        (Some(ikm), Some(mutu), Some(kinerja)) => {
            d.paragraph(&format!(
                "IKM {} {} adalah {} dengan mutu pelayanan {} ({}), dari {} responden{}.",
                r.unit_name,
                r.period,
                dec(ikm, 2),
                mutu,
                kinerja,
                r.respondents,
                if r.enough || r.users.is_none() {
                    ""
                } else {
                    " (sampel belum cukup: hasil dibaca dengan hati-hati)"
                }
            ));
        }
        _ => d.paragraph("IKM belum dapat dihitung: belum ada responden."),
    }

    d.heading("6. Pengaduan");
    let count = |s: &str| f.complaints.iter().filter(|c| c.status == s).count() as i64;
    let late = f.complaints.iter().filter(|c| c.late).count() as i64;
    let all = f.complaints.len() as i64;
    if all == 0 {
        d.paragraph("Tidak ada pengaduan tercatat pada periode ini.");
    } else {
        d.paragraph(&format!(
            "Pada periode ini tercatat {all} pengaduan, aspirasi dan permintaan informasi \
             (termasuk dari SP4N-LAPOR!); {late} di antaranya melewati batas waktu verifikasi \
             (3 hari kerja) atau penyelesaian (60 hari), termasuk yang ditutup terlambat."
        ));
        let rows: Vec<Vec<String>> = [
            ("Baru", "baru"),
            ("Diverifikasi", "diverifikasi"),
            ("Diproses", "diproses"),
            ("Selesai", "selesai"),
            ("Ditolak", "ditolak"),
            ("Bukan wewenang", "bukan_wewenang"),
        ]
        .iter()
        .map(|(label, s)| {
            let n = count(s);
            vec![(*label).to_string(), n.to_string(), pct(n, all)]
        })
        .collect();
        d.table(
            &[
                Col::left("Status", 4.0),
                Col::right("Jumlah", 1.2),
                Col::right("Persentase", 1.2),
            ],
            &rows,
        );
    }

    d.heading("7. Rencana tindak lanjut");
    let plan = follow_up(r);
    if plan.is_empty() {
        d.paragraph("Belum ada hasil survei untuk disusun rencana tindak lanjutnya.");
    } else {
        d.paragraph(
            "Unsur dengan nilai terendah, dan setiap unsur bermutu di bawah B, ditindaklanjuti \
             pada periode berikutnya:",
        );
        let next = match period.semester {
            0 => format!("Tahun {}", period.year + 1),
            1 => format!("Semester 2 {}", period.year),
            _ => format!("Semester 1 {}", period.year + 1),
        };
        let rows: Vec<Vec<String>> = plan
            .iter()
            .map(|(i, nrr)| {
                vec![
                    format!("U{} {}", i + 1, UNSUR[*i]),
                    dec(*nrr, 2),
                    FOLLOW_UP[*i].to_string(),
                    next.clone(),
                    format!("Kepala {}", r.unit_name),
                ]
            })
            .collect();
        d.table(
            &[
                Col::left("Unsur", 2.2),
                Col::right("NRR", 0.7),
                Col::left("Kegiatan", 3.3),
                Col::left("Waktu", 1.2),
                Col::left("Penanggung jawab", 1.9),
            ],
            &rows,
        );
        // The optimizer reads this year's survey only: the sentence is true of no other.
        if !r.staff_shortfalls().is_empty()
            && period.semester == 0
            && i64::from(period.year) == f.current_year
        {
            d.paragraph(
                "Unsur 6 (Kompetensi Pelaksana) atau 7 (Perilaku Pelaksana) bermutu di bawah B: \
                 pelatihan kompetensi pelayanan bagi pegawai unit ini mendapat bobot lebih tinggi \
                 dalam rencana pengembangan kompetensi yang disusun Cakap.",
            );
        }
    }
    d.space(12.0);
    d.paragraph(&format!(
        "Disusun dari data Cakap pada {}.",
        crate::learning::certificates::tanggal(&f.today.format("%Y-%m-%d").to_string())
    ));
    d.finish()
}

/// The unsur to act on: the three with the lowest NRR, and every one below mutu B, lowest
/// first, as (0-based unsur, NRR).
fn follow_up(r: &super::IkmReport) -> Vec<(usize, f64)> {
    if r.ikm.is_none() {
        return Vec::new();
    }
    let mut v: Vec<(usize, f64)> = r.nrr.iter().copied().enumerate().collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    v.into_iter()
        .enumerate()
        .filter(|(rank, (_, nrr))| *rank < 3 || matches!(Mutu::of_nrr(*nrr), Mutu::C | Mutu::D))
        .map(|(_, x)| x)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The report of 100 respondents whose answer sums give `nrr`, for 12,000 users.
    fn ikm(nrr: [f64; 9]) -> super::super::IkmReport {
        let n = 100;
        let t = skm::Tally {
            respondents: n,
            sums: nrr.map(|x| (x * n as f64).round() as i64),
        };
        super::super::IkmReport::new(
            "DISDUKCAPIL",
            "Dinas Kependudukan dan Pencatatan Sipil",
            skm::Period::of_year(2026),
            &t,
            Some(12_000),
        )
    }

    #[test]
    fn follow_up_takes_the_three_lowest_and_every_one_below_b() {
        let r = ikm([3.5, 3.4, 2.9, 3.6, 3.3, 2.8, 3.0, 2.7, 3.3]);
        let units: Vec<usize> = follow_up(&r).iter().map(|x| x.0).collect();
        // 2.7 (U8), 2.8 (U6), 2.9 (U3) lowest; 3.0 (U7) is mutu C (below 3.0644) too.
        assert_eq!(units, vec![7, 5, 2, 6]);
        let none = super::super::IkmReport::new("X", "X", r_period(), &skm::Tally::default(), None);
        assert!(follow_up(&none).is_empty());
    }

    fn r_period() -> skm::Period {
        skm::Period::of_year(2026)
    }

    #[test]
    fn the_report_states_its_sections_and_numbers() {
        let r = ikm([3.5, 3.4, 2.9, 3.6, 3.3, 2.8, 3.0, 2.7, 3.3]);
        let profile = vec![
            (
                Some("L".into()),
                Some(30),
                Some("SMA".into()),
                Some("KTP-el".into()),
                200,
            ),
            (Some("P".into()), Some(61), None, None, 110),
            (
                Some("P".into()),
                Some(40),
                None,
                Some("Budi 0812 NIK".into()),
                2,
            ),
        ];
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).expect("date");
        let pdf = draw(&Facts {
            issuer: "Kabupaten Aceh Barat Daya",
            period: r_period(),
            ikm: &r,
            profile: &profile,
            complaints: &[],
            today,
            current_year: 2026,
        });
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        for s in [
            "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT",
            "1. Pendahuluan",
            "2. Metode",
            "3. Profil responden",
            "4. Nilai per unsur",
            "5. Indeks Kepuasan Masyarakat",
            "6. Pengaduan",
            "7. Rencana tindak lanjut",
            // Σ NRR 28.5 × 25 / 9 = 79.17, mutu B; Krejcie–Morgan for 12,000: 372.
            "79,17",
            "Krejcie",
            "372",
            "6 Desember 2026",
            "Lainnya",
            "belum mencukupi",
            "Laki-laki",
            "55 tahun ke atas",
            "Kompetensi Pelaksana",
        ] {
            assert!(text.contains(s), "missing {s}");
        }
        assert!(
            !text.contains("Budi"),
            "a service named by fewer than five stays unnamed"
        );
        assert!(text.contains("bobot lebih tinggi"), "U6 is C this year");
    }
}
