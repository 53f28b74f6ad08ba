//! Learning data for the demo: a catalogue of e-learning, blended and classroom courses tied
//! to the dictionary, with real module text and question banks for the e-learning ones;
//! classes across the regency's kecamatan this year and last; completions with JP and signed
//! certificates, development activities (approved, waiting, rejected), so that about one ASN in
//! five reaches 20 JP this year (seats and money are short) and the rest show up on
//! BKPSDM's list. The `asn` login has 12 JP, is half-way through one e-learning course, and
//! has not yet found the one that would close their first-aid gap and take them to 20 JP.

mod courses;
mod loader;

use courses::*;
pub use loader::*;

/// Parses the catalogue's data files (for the `demo_data_parses` test): every course builds
/// `competencies` only, and the courses the loader names are there.
#[cfg(test)]
pub(super) fn check_data(competencies: &[&str]) {
    courses::check_modules();
    for c in courses() {
        for t in &c.competencies {
            assert!(
                competencies.contains(&t.code.as_str()),
                "{}: {}",
                c.code,
                t.code
            );
        }
    }
    for code in ["ELN-INTEGRITAS", "ELN-PELAYANAN", "ELN-SKM", "SOS-KINERJA"] {
        assert!(courses().iter().any(|c| c.code == code), "{code}");
    }
}
