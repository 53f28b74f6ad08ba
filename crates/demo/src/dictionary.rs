//! The demo dictionary: the eight managerial competencies and Perekat Bangsa with the
//! descriptors of PermenPANRB 38/2017 (abridged), and technical competencies of the
//! regency's agencies, the crisis ones following Aceh Barat Daya's hazards
//! (docs/domain.md#kecamatan). Read from data/dictionary.toml and dictionary-teknis.csv.

use std::sync::LazyLock;

use serde::Deserialize;

use super::data::{self, data_file};

/// A managerial or sosial-kultural competency with its five level descriptors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub crisis: bool,
    pub descriptors: [String; 5],
}

/// A technical competency; its descriptors are [`teknis_descriptors`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Teknis {
    pub code: String,
    pub name: String,
    pub crisis: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Dictionary {
    competency: Vec<Entry>,
}

static MANAJERIAL_AND_SOSIAL: LazyLock<Vec<Entry>> =
    LazyLock::new(|| data::toml::<Dictionary>(data_file!("dictionary.toml")).competency);

static TEKNIS: LazyLock<Vec<Teknis>> =
    LazyLock::new(|| data::csv(data_file!("dictionary-teknis.csv")));

/// The eight managerial competencies and Perekat Bangsa, in dictionary order.
pub fn manajerial_and_sosial() -> &'static [Entry] {
    &MANAJERIAL_AND_SOSIAL
}

/// The technical competencies, in dictionary order.
pub fn teknis() -> &'static [Teknis] {
    &TEKNIS
}

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
