//! The demo dictionary: the eight managerial competencies and Perekat Bangsa with the
//! descriptors of PermenPANRB 38/2017 (abridged), and technical competencies of the
//! regency's agencies, the crisis ones following Aceh Barat Daya's hazards (docs/domain.md#kecamatan).

pub struct Entry {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub crisis: bool,
    pub descriptors: [&'static str; 5],
}

pub const MANAJERIAL_AND_SOSIAL: [Entry; 9] = [
    Entry {
        code: "M.01",
        name: "Integritas",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Mampu bertindak sesuai nilai, norma, dan etika organisasi dalam kapasitas pribadi",
            "Mampu mengingatkan dan mengajak rekan kerja untuk bertindak sesuai nilai, norma, dan etika organisasi",
            "Mampu memastikan dan menanamkan keyakinan bersama agar anggota yang dipimpin bertindak sesuai nilai, norma, dan etika organisasi",
            "Mampu menciptakan situasi kerja yang membuat rekan kerja dan bawahan patuh pada nilai, norma, dan etika organisasi dalam segala situasi",
            "Mampu menjadi teladan dalam penerapan standar keadilan dan etika di tingkat daerah dan nasional",
        ],
    },
    Entry {
        code: "M.02",
        name: "Kerjasama",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Berpartisipasi sebagai anggota tim yang baik",
            "Menumbuhkan tim kerja yang partisipatif dan efektif",
            "Efektif membangun tim kerja untuk peningkatan kinerja organisasi",
            "Membangun komitmen tim dan sinergi antarunit",
            "Menciptakan situasi kerja sama yang kondusif untuk kinerja organisasi di tingkat daerah dan nasional",
        ],
    },
    Entry {
        code: "M.03",
        name: "Komunikasi",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Menyampaikan informasi dengan jelas, lengkap, dan dengan pemahaman yang sama",
            "Aktif berkomunikasi secara formal dan informal, mendengarkan, dan menyusun bahan tertulis",
            "Berkomunikasi secara asertif untuk menyampaikan informasi yang sensitif atau rumit",
            "Mengemukakan pemikiran multidimensi secara lisan dan tertulis untuk mendorong kesepakatan",
            "Menggagas sistem komunikasi yang terbuka secara strategis untuk mencari solusi",
        ],
    },
    Entry {
        code: "M.04",
        name: "Orientasi pada Hasil",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Bertanggung jawab untuk memenuhi standar kerja",
            "Berupaya meningkatkan hasil kerja pribadi di atas standar dan mencoba metode alternatif",
            "Menetapkan target kerja yang menantang bagi unit kerja serta memberi apresiasi dan teguran",
            "Mendorong unit kerja mencapai atau melampaui target yang ditetapkan",
            "Menyusun kebijakan dengan target kinerja organisasi yang tinggi dan meningkatkan mutu capaiannya",
        ],
    },
    Entry {
        code: "M.05",
        name: "Pelayanan Publik",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Menjalankan tugas pelayanan publik secara bertanggung jawab, transparan, akuntabel, dan adil",
            "Menyelia dan menjelaskan proses pelaksanaan pelayanan publik secara transparan",
            "Memanfaatkan kekuatan kelompok dan memperbaiki standar pelayanan di lingkup unit kerja",
            "Memantau, mengevaluasi, dan mengantisipasi dampak isu jangka panjang dalam pelayanan kepada pemangku kepentingan",
            "Memastikan kebijakan pelayanan publik yang objektif, netral, tidak diskriminatif, dan bebas kepentingan",
        ],
    },
    Entry {
        code: "M.06",
        name: "Pengembangan Diri dan Orang Lain",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Mengembangkan diri secara berkelanjutan",
            "Meningkatkan kemampuan bawahan dengan memberi contoh dan penjelasan cara kerja",
            "Memberikan umpan balik dan membimbing",
            "Menyusun program pengembangan jangka panjang untuk mendorong manajemen pembelajaran",
            "Menciptakan situasi yang mendorong organisasi terus belajar untuk mencapai hasil",
        ],
    },
    Entry {
        code: "M.07",
        name: "Mengelola Perubahan",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Mengikuti perubahan dengan arahan",
            "Proaktif beradaptasi mengikuti perubahan",
            "Membantu orang lain mengikuti perubahan dan mengantisipasinya secara tepat",
            "Memimpin perubahan pada unit kerja",
            "Mengarahkan perubahan secara strategis",
        ],
    },
    Entry {
        code: "M.08",
        name: "Pengambilan Keputusan",
        kind: "manajerial",
        crisis: false,
        descriptors: [
            "Mengumpulkan informasi untuk bertindak sesuai kewenangan",
            "Menganalisis masalah secara mendalam",
            "Membandingkan alternatif dan menyeimbangkan risiko keberhasilan implementasi",
            "Menyelesaikan masalah berisiko tinggi, mengantisipasi dampak, dan memitigasi risiko",
            "Mengambil keputusan untuk permasalahan jangka panjang yang berdampak luas",
        ],
    },
    Entry {
        code: "SK.01",
        name: "Perekat Bangsa",
        kind: "sosial_kultural",
        crisis: false,
        descriptors: [
            "Peka memahami dan menerima kemajemukan",
            "Aktif mengembangkan sikap saling menghargai, menekankan persamaan dan persatuan",
            "Mempromosikan dan mengembangkan sikap toleransi dan persatuan",
            "Mendayagunakan perbedaan secara konstruktif dan kreatif untuk efektivitas organisasi",
            "Menjadi wakil pemerintah dalam membangun hubungan sosial psikologis lintas kelompok",
        ],
    },
];

/// Technical competencies: (code, name, crisis).
pub const TEKNIS: [(&str, &str, bool); 16] = [
    ("T.BNC.01", "Manajemen Bencana", true),
    ("T.BNC.02", "Penanggulangan Banjir dan Banjir Bandang", true),
    ("T.BNC.03", "Kesiapsiagaan Gempa Bumi dan Tsunami", true),
    ("T.BNC.04", "Evakuasi dan Pertolongan Pertama", true),
    ("T.BNC.05", "Logistik dan Dapur Umum Kedaruratan", true),
    ("T.BNC.06", "Mitigasi Tanah Longsor", true),
    ("T.ADK.01", "Pelayanan Administrasi Kependudukan", false),
    ("T.KEU.01", "Pengelolaan Keuangan Daerah", false),
    ("T.PBJ.01", "Pengadaan Barang/Jasa Pemerintah", false),
    ("T.REN.01", "Perencanaan Pembangunan Daerah", false),
    ("T.SDM.01", "Manajemen SDM Aparatur", false),
    ("T.KES.01", "Pelayanan Kesehatan Dasar", false),
    ("T.PDK.01", "Pembelajaran dan Asesmen", false),
    ("T.AUD.01", "Audit Intern Pemerintah", false),
    ("T.ARS.01", "Pengelolaan Arsip Dinamis", false),
    ("T.TIB.01", "Penegakan Qanun dan Ketertiban Umum", false),
];

/// Level descriptors of a technical competency, from "knows the basics" to "sets the
/// regency's strategy".
pub fn teknis_descriptors(name: &str) -> [String; 5] {
    let n = name.to_lowercase();
    [
        format!("Memahami konsep dasar {n} dan menjalankannya dengan arahan"),
        format!("Menerapkan {n} pada tugas rutin secara mandiri"),
        format!("Menganalisis dan memperbaiki pelaksanaan {n} di unit kerja"),
        format!("Mengembangkan prosedur dan kebijakan {n} lintas unit"),
        format!("Menjadi rujukan dan merumuskan strategi {n} tingkat kabupaten"),
    ]
}
