//! The demo catalogue: courses with module text and question banks, places, activities,
//! read from data/courses.toml and data/modules/.

use std::sync::LazyLock;

use cakap_domain::learning::{AnswerKey, Jalur, Mode};
use serde::Deserialize;

use super::super::data::{self, File, data_file};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CourseSpec {
    pub(super) code: String,
    pub(super) title: String,
    pub(super) jalur: String,
    pub(super) mode: String,
    pub(super) jp: i64,
    pub(super) cost: i64,
    /// (competency code, level) the course builds.
    pub(super) competencies: Vec<Target>,
    pub(super) description: String,
    #[serde(default)]
    pub(super) modules: Vec<Module>,
    #[serde(default, rename = "question")]
    pub(super) questions: Vec<Question>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Target {
    pub(super) code: String,
    pub(super) level: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Module {
    pub(super) title: String,
    /// The markdown file, under data/.
    file: String,
    /// Its text, found in [`MODULES`] once parsed.
    #[serde(skip)]
    pub(super) body: &'static str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Question {
    pub(super) prompt: String,
    #[serde(default)]
    pub(super) options: Vec<String>,
    pub(super) key: AnswerKey,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Place {
    pub(super) kecamatan: String,
    pub(super) name: String,
}

/// A development activity an ASN records themself.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Activity {
    pub(super) jalur: String,
    pub(super) title: String,
    pub(super) days: i64,
    pub(super) sessions: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Catalogue {
    places: Vec<Place>,
    activities: Vec<Activity>,
    #[serde(rename = "course")]
    courses: Vec<CourseSpec>,
}

/// Every module text; courses.toml names them by file.
const MODULES: &[File] = &[
    data_file!("modules/gempa-1.md"),
    data_file!("modules/gempa-2.md"),
    data_file!("modules/gempa-3.md"),
    data_file!("modules/pelayanan-1.md"),
    data_file!("modules/pelayanan-2.md"),
    data_file!("modules/pelayanan-3.md"),
    data_file!("modules/integritas-1.md"),
    data_file!("modules/integritas-2.md"),
    data_file!("modules/skm-1.md"),
    data_file!("modules/skm-2.md"),
    data_file!("modules/ppgd-1.md"),
    data_file!("modules/ppgd-2.md"),
];

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let file = data_file!("courses.toml");
    let mut catalogue: Catalogue = data::toml(file);
    for m in catalogue.courses.iter_mut().flat_map(|c| &mut c.modules) {
        match MODULES.iter().find(|(name, _)| *name == m.file) {
            Some((_, text)) => m.body = text,
            None => data::malformed(
                file,
                format!(
                    "{}: no such module (MODULES in crates/demo/src/learning/courses.rs)",
                    m.file
                ),
            ),
        }
    }
    let jalur = |j: &str| j.parse::<Jalur>().is_ok();
    for c in &catalogue.courses {
        if !jalur(&c.jalur) || c.mode.parse::<Mode>().is_err() {
            data::malformed(file, format!("{}: unknown jalur or mode", c.code));
        }
        if let Some(q) = c.questions.iter().find(|q| !q.key.valid(q.options.len())) {
            data::malformed(
                file,
                format!("{}: the key does not fit {:?}", c.code, q.prompt),
            );
        }
    }
    if let Some(a) = catalogue.activities.iter().find(|a| !jalur(&a.jalur)) {
        data::malformed(file, format!("{}: unknown jalur", a.title));
    }
    catalogue
});

pub(super) fn courses() -> &'static [CourseSpec] {
    &CATALOGUE.courses
}

/// Where classroom courses are held.
pub(super) fn places() -> &'static [Place] {
    &CATALOGUE.places
}

pub(super) fn activities() -> &'static [Activity] {
    &CATALOGUE.activities
}

/// Every module file is used by some course (a file added to data/modules/ must also
/// be listed in [`MODULES`]).
#[cfg(test)]
pub(super) fn check_modules() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/modules");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .expect("data/modules")
        .map(|e| {
            format!(
                "modules/{}",
                e.expect("entry").file_name().to_string_lossy()
            )
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = MODULES.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "data/modules and MODULES differ");
    for (name, _) in MODULES {
        let used = courses()
            .iter()
            .flat_map(|c| &c.modules)
            .any(|m| m.file == *name);
        assert!(used, "{name} is used by no course");
    }
}
