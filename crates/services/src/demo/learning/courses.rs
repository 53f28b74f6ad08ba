//! The demo catalogue: courses with module text and question banks, places, activities (data).

use cakap_domain::learning::AnswerKey;

pub(super) struct CourseSpec {
    pub(super) code: &'static str,
    pub(super) title: &'static str,
    pub(super) jalur: &'static str,
    pub(super) mode: &'static str,
    pub(super) jp: i64,
    pub(super) cost: i64,
    pub(super) competencies: &'static [(&'static str, i64)],
    pub(super) description: &'static str,
    pub(super) modules: &'static [(&'static str, &'static str)],
}

pub(super) const GEMPA_1: &str = "## Mengapa Aceh Barat Daya harus siap\n\nPantai barat Aceh berada dekat zona subduksi Sunda. Gempa besar dapat diikuti **tsunami dalam 20–30 menit**. Setiap kantor pemerintah, puskesmas dan sekolah harus mempunyai rencana evakuasi.\n\n### Tanda alam tsunami\n\n- Gempa kuat yang membuat sulit berdiri, atau gempa lemah tetapi lama (lebih dari 1 menit)\n- Air laut surut tiba-tiba\n- Suara gemuruh dari arah laut\n\n> Jangan menunggu sirene. Gempa kuat adalah peringatan itu sendiri.\n";
pub(super) const GEMPA_2: &str = "## Saat gempa terjadi\n\n1. **Berlindung**: merunduk, lindungi kepala, berpegangan (*drop, cover, hold on*).\n2. Jauhi kaca, lemari dan benda yang dapat jatuh.\n3. Setelah guncangan berhenti, keluar dengan tertib melalui jalur evakuasi.\n\n## Evakuasi tsunami\n\n| Jarak dari pantai | Tindakan |\n|---|---|\n| < 1 km | Segera ke tempat tinggi atau gedung evakuasi vertikal |\n| 1–3 km | Menjauh ke arah perbukitan, berjalan kaki |\n\nGunakan jalan kaki atau sepeda motor; mobil menyumbat jalur. Lihat juga [panduan BNPB](https://bnpb.go.id).\n";
pub(super) const GEMPA_3: &str = "## Peran ASN di unit kerja\n\n- Mengenal titik kumpul dan jalur evakuasi kantor\n- Membantu pengunjung, lansia, penyandang disabilitas dan anak-anak\n- Mengamankan dokumen penting dan data layanan (cadangan di luar kantor)\n- Melaporkan kondisi unit ke posko BPBD setelah keadaan aman\n\nSimulasi evakuasi dilakukan **minimal dua kali setahun** di setiap kantor layanan.\n";
pub(super) const PELAYANAN_1: &str = "## Standar pelayanan\n\nSetiap unit layanan wajib menetapkan dan mengumumkan standar pelayanan: persyaratan, prosedur, waktu, biaya/tarif, produk, serta penanganan pengaduan.\n\nMasyarakat berhak tahu **apa yang harus dibawa, berapa lama, dan berapa biayanya** sebelum datang.\n";
pub(super) const PELAYANAN_2: &str = "## Sikap melayani\n\n- Sapa dengan ramah, gunakan bahasa yang mudah dipahami (bahasa daerah bila perlu)\n- Dengarkan sampai selesai, ulangi kebutuhan warga untuk memastikan\n- Beri kepastian: kapan selesai, siapa yang dihubungi\n\n### Pengaduan\n\nPengaduan adalah masukan. Catat, tanggapi dalam **5 hari kerja**, dan laporkan tindak lanjutnya.\n";
pub(super) const PELAYANAN_3: &str = "## Mengukur kepuasan\n\nSurvei Kepuasan Masyarakat (SKM) mengukur 9 unsur layanan. Hasilnya (IKM) dipakai untuk memperbaiki layanan, bukan untuk dipajang.\n";
pub(super) const INTEGRITAS_1: &str = "## Gratifikasi\n\nSetiap pemberian yang berhubungan dengan jabatan dan berlawanan dengan tugas wajib **ditolak atau dilaporkan** paling lambat 30 hari kerja sejak diterima.\n\nContoh: uang terima kasih dari pemohon izin, parsel dari rekanan.\n";
pub(super) const INTEGRITAS_2: &str = "## Konflik kepentingan\n\nBila keputusan Anda menyangkut keluarga atau kepentingan pribadi, **nyatakan dan mundur** dari proses itu. Catat dalam formulir konflik kepentingan unit kerja.\n";
pub(super) const SKM_1: &str = "## Sembilan unsur SKM\n\nPersyaratan, sistem/mekanisme/prosedur, waktu penyelesaian, biaya/tarif, produk layanan, kompetensi pelaksana, perilaku pelaksana, penanganan pengaduan, sarana dan prasarana.\n";
pub(super) const SKM_2: &str = "## Menghitung IKM\n\nNilai rata-rata tertimbang tiap unsur dikalikan bobot yang sama, lalu dikonversi ke skala 25–100. Mutu A (Sangat Baik) bila IKM 88,31–100.\n";
pub(super) const PPGD_1: &str = "## Penilaian awal korban\n\nPeriksa **keamanan lokasi**, respons korban, jalan napas, pernapasan dan sirkulasi (DRCAB).\n\nHubungi 119 atau puskesmas terdekat sebelum memulai tindakan bila memungkinkan.\n";
pub(super) const PPGD_2: &str = "## Resusitasi jantung paru\n\nTekan dada di tengah, kedalaman 5–6 cm, **100–120 kali per menit**, biarkan dada mengembang kembali. Bergantian setiap 2 menit bila ada penolong lain.\n";

pub(super) const COURSES: &[CourseSpec] = &[
    CourseSpec {
        code: "ELN-GEMPA",
        title: "Kesiapsiagaan Gempa Bumi dan Tsunami bagi ASN",
        jalur: "e_learning",
        mode: "e_learning",
        jp: 8,
        cost: 0,
        competencies: &[("T.BNC.03", 3), ("T.BNC.04", 3)],
        description: "Kursus daring tentang tanda alam tsunami, tindakan saat gempa, evakuasi dan peran ASN menjaga layanan tetap berjalan. Wajib bagi unit di pesisir Aceh Barat Daya.",
        modules: &[
            ("Mengapa kita harus siap", GEMPA_1),
            ("Saat gempa dan evakuasi tsunami", GEMPA_2),
            ("Peran ASN di unit kerja", GEMPA_3),
        ],
    },
    CourseSpec {
        code: "ELN-PELAYANAN",
        title: "Pelayanan Publik Prima",
        jalur: "e_learning",
        mode: "e_learning",
        jp: 6,
        cost: 0,
        competencies: &[("M.05", 3)],
        description: "Standar pelayanan, sikap melayani, penanganan pengaduan dan pengukuran kepuasan masyarakat.",
        modules: &[
            ("Standar pelayanan", PELAYANAN_1),
            ("Sikap melayani dan pengaduan", PELAYANAN_2),
            ("Mengukur kepuasan", PELAYANAN_3),
        ],
    },
    CourseSpec {
        code: "ELN-INTEGRITAS",
        title: "Integritas dan Pencegahan Korupsi",
        jalur: "e_learning",
        mode: "e_learning",
        jp: 4,
        cost: 0,
        competencies: &[("M.01", 3)],
        description: "Gratifikasi, konflik kepentingan dan pelaporannya, dengan kasus sehari-hari di kantor layanan.",
        modules: &[
            ("Gratifikasi", INTEGRITAS_1),
            ("Konflik kepentingan", INTEGRITAS_2),
        ],
    },
    CourseSpec {
        code: "ELN-SKM",
        title: "Survei Kepuasan Masyarakat untuk Unit Layanan",
        jalur: "e_learning",
        mode: "e_learning",
        jp: 4,
        cost: 0,
        competencies: &[("M.05", 3)],
        description: "Melaksanakan SKM menurut PermenPANRB 14/2017 dan membaca hasil IKM. Lanjutan dari Pelayanan Publik Prima.",
        modules: &[("Sembilan unsur SKM", SKM_1), ("Menghitung IKM", SKM_2)],
    },
    CourseSpec {
        code: "BLD-PPGD",
        title: "Pertolongan Pertama Gawat Darurat",
        jalur: "pelatihan_teknis",
        mode: "blended",
        jp: 20,
        cost: 1_500_000,
        competencies: &[("T.BNC.04", 3), ("T.KES.01", 3)],
        description: "Teori daring lalu praktik di kelas: penilaian korban, RJP, pembidaian dan rujukan.",
        modules: &[
            ("Penilaian awal korban", PPGD_1),
            ("Resusitasi jantung paru", PPGD_2),
        ],
    },
    CourseSpec {
        code: "KLS-PBJ",
        title: "Pengadaan Barang/Jasa Pemerintah Tingkat Dasar",
        jalur: "pelatihan_teknis",
        mode: "klasikal",
        jp: 32,
        cost: 3_500_000,
        competencies: &[("T.PBJ.01", 3)],
        description: "Persiapan sertifikasi pengadaan tingkat dasar: perencanaan, pemilihan penyedia, kontrak dan e-katalog.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-KEUDA",
        title: "Penatausahaan Keuangan Daerah dengan SIPD",
        jalur: "bimbingan_teknis",
        mode: "klasikal",
        jp: 24,
        cost: 2_500_000,
        competencies: &[("T.KEU.01", 3)],
        description: "Bimbingan teknis bendahara dan PPK-SKPD: penatausahaan, pertanggungjawaban dan pelaporan.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-POSKO",
        title: "Manajemen Posko dan Logistik Bencana",
        jalur: "pelatihan_teknis",
        mode: "klasikal",
        jp: 30,
        cost: 3_000_000,
        competencies: &[("T.BNC.01", 3), ("T.BNC.05", 3)],
        description: "Sistem komando tanggap darurat, dapur umum, gudang logistik dan pelaporan posko.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-PKP",
        title: "Pelatihan Kepemimpinan Pengawas",
        jalur: "pelatihan_kepemimpinan",
        mode: "klasikal",
        jp: 60,
        cost: 12_000_000,
        competencies: &[("M.07", 3), ("M.08", 3)],
        description: "Pelatihan kepemimpinan bagi pejabat pengawas: memimpin perubahan dan mengambil keputusan.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-ARSIP",
        title: "Pengelolaan Arsip Dinamis",
        jalur: "bimbingan_teknis",
        mode: "klasikal",
        jp: 16,
        cost: 1_200_000,
        competencies: &[("T.ARS.01", 3)],
        description: "Klasifikasi, penyimpanan, penyusutan arsip dan aplikasi SRIKANDI.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-ADMINDUK",
        title: "Pelayanan Administrasi Kependudukan Terpadu",
        jalur: "bimbingan_teknis",
        mode: "klasikal",
        jp: 16,
        cost: 1_500_000,
        competencies: &[("T.ADK.01", 3)],
        description: "Layanan KTP-el, KK dan akta di kecamatan dan gampong, termasuk jemput bola.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-RENBANG",
        title: "Perencanaan Pembangunan Daerah",
        jalur: "pelatihan_teknis",
        mode: "klasikal",
        jp: 24,
        cost: 2_800_000,
        competencies: &[("T.REN.01", 3)],
        description: "Musrenbang, renstra dan renja perangkat daerah yang selaras dengan RPJMD.",
        modules: &[],
    },
    CourseSpec {
        code: "WS-KOMUNIKASI",
        title: "Komunikasi Efektif dan Kerja Sama Tim",
        jalur: "workshop",
        mode: "klasikal",
        jp: 10,
        cost: 750_000,
        competencies: &[("M.02", 3), ("M.03", 3)],
        description: "Lokakarya dua hari: mendengar aktif, umpan balik, rapat yang efektif.",
        modules: &[],
    },
    CourseSpec {
        code: "SOS-KINERJA",
        title: "Sosialisasi PermenPANRB 6/2022 tentang Pengelolaan Kinerja ASN",
        jalur: "sosialisasi",
        mode: "klasikal",
        jp: 4,
        cost: 150_000,
        competencies: &[("M.04", 2)],
        description: "SKP, dialog kinerja, umpan balik berkelanjutan dan predikat kinerja.",
        modules: &[],
    },
    CourseSpec {
        code: "KLS-ASESMEN",
        title: "Asesmen Pembelajaran Kurikulum Merdeka",
        jalur: "pelatihan_fungsional",
        mode: "klasikal",
        jp: 24,
        cost: 2_000_000,
        competencies: &[("T.PDK.01", 3)],
        description: "Asesmen diagnostik, formatif dan sumatif bagi guru SD dan SMP.",
        modules: &[],
    },
];

/// The question banks of the e-learning and blended courses.
pub(super) fn questions(code: &str) -> Vec<(&'static str, Vec<&'static str>, AnswerKey)> {
    use AnswerKey::*;
    match code {
        "ELN-GEMPA" => vec![
            (
                "Setelah gempa kuat di pesisir, kapan Anda mulai evakuasi?",
                vec![
                    "Setelah sirene berbunyi",
                    "Segera setelah guncangan berhenti",
                    "Setelah ada pengumuman radio",
                    "Setelah air laut naik",
                ],
                Single { correct: 1 },
            ),
            (
                "Mana saja tanda alam tsunami?",
                vec![
                    "Air laut surut tiba-tiba",
                    "Gempa lama lebih dari 1 menit",
                    "Langit mendung",
                    "Suara gemuruh dari laut",
                ],
                Multiple {
                    correct: vec![0, 1, 3],
                },
            ),
            (
                "Mobil adalah sarana evakuasi tsunami terbaik.",
                vec![],
                TrueFalse { value: false },
            ),
            (
                "Berapa kali setahun, paling sedikit, simulasi evakuasi dilakukan di kantor layanan?",
                vec![],
                Numeric {
                    value: 2.0,
                    tolerance: 0.0,
                },
            ),
            (
                "Sikap berlindung saat gempa disebut drop, cover, and ...",
                vec![],
                Text {
                    accept: vec!["hold on".into(), "hold".into(), "berpegangan".into()],
                },
            ),
        ],
        "ELN-PELAYANAN" => vec![
            (
                "Dalam berapa hari kerja pengaduan harus ditanggapi?",
                vec![],
                Numeric {
                    value: 5.0,
                    tolerance: 0.0,
                },
            ),
            (
                "Yang wajib diumumkan dalam standar pelayanan:",
                vec![
                    "Persyaratan",
                    "Waktu penyelesaian",
                    "Nama keluarga petugas",
                    "Biaya/tarif",
                ],
                Multiple {
                    correct: vec![0, 1, 3],
                },
            ),
            (
                "Hasil SKM dipakai untuk memperbaiki layanan.",
                vec![],
                TrueFalse { value: true },
            ),
            (
                "Warga belum paham penjelasan Anda. Apa yang dilakukan?",
                vec![
                    "Mengulang lebih cepat",
                    "Memakai bahasa yang mudah dipahami",
                    "Meminta datang besok",
                    "Menyerahkan brosur saja",
                ],
                Single { correct: 1 },
            ),
        ],
        "ELN-INTEGRITAS" => vec![
            (
                "Paling lambat berapa hari kerja gratifikasi dilaporkan?",
                vec![],
                Numeric {
                    value: 30.0,
                    tolerance: 0.0,
                },
            ),
            (
                "Parsel dari rekanan yang sedang mengikuti tender boleh diterima.",
                vec![],
                TrueFalse { value: false },
            ),
            (
                "Keputusan menyangkut keluarga Anda. Tindakan yang benar?",
                vec![
                    "Memutuskan secepatnya",
                    "Menyatakan konflik kepentingan dan mundur",
                    "Meminta keluarga tidak bercerita",
                    "Menunda tanpa alasan",
                ],
                Single { correct: 1 },
            ),
        ],
        "ELN-SKM" => vec![
            (
                "Berapa unsur dalam SKM?",
                vec![],
                Numeric {
                    value: 9.0,
                    tolerance: 0.0,
                },
            ),
            (
                "IKM 90 bermutu A (Sangat Baik).",
                vec![],
                TrueFalse { value: true },
            ),
        ],
        "BLD-PPGD" => vec![
            (
                "Berapa kali per menit kompresi dada dilakukan?",
                vec!["60–80", "100–120", "140–160", "Secepat mungkin"],
                Single { correct: 1 },
            ),
            (
                "Hal pertama yang diperiksa sebelum menolong korban:",
                vec![
                    "Keamanan lokasi",
                    "Dompet korban",
                    "Nama korban",
                    "Jam kejadian",
                ],
                Single { correct: 0 },
            ),
            (
                "Nomor darurat layanan kesehatan di Indonesia:",
                vec![],
                Numeric {
                    value: 119.0,
                    tolerance: 0.0,
                },
            ),
        ],
        _ => Vec::new(),
    }
}

pub(super) const PLACES: &[(&str, &str)] = &[
    ("11.12.01", "Aula BKPSDM, Blangpidie"),
    ("11.12.06", "Aula Kantor Camat Babahrot"),
    ("11.12.05", "Gedung Serbaguna Kuala Batee"),
    ("11.12.03", "Aula Puskesmas Manggeng"),
    ("11.12.04", "Balai Diklat Susoh"),
];

pub(super) const ACTIVITIES: &[(&str, &str, i64, i64)] = &[
    (
        "seminar",
        "Seminar Kesehatan Ibu dan Anak Provinsi Aceh",
        1,
        0,
    ),
    (
        "seminar",
        "Seminar Nasional Transformasi Digital Pemerintahan",
        2,
        0,
    ),
    (
        "workshop",
        "Lokakarya Penyusunan Rencana Kontinjensi Gampong",
        1,
        0,
    ),
    ("coaching", "Coaching kinerja oleh atasan langsung", 0, 2),
    ("mentoring", "Mentoring penyusunan laporan keuangan", 0, 1),
    ("belajar_mandiri", "Belajar mandiri modul SIPD", 2, 0),
    (
        "komunitas_belajar",
        "Komunitas belajar guru (KKG) gugus",
        3,
        0,
    ),
    (
        "patok_banding",
        "Patok banding layanan MPP ke Kota Banda Aceh",
        2,
        0,
    ),
];
