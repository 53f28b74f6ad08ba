//! The demo's data files (crates/demo/data/, described in its README.md): compiled
//! in, parsed on first use. A malformed file panics naming it; the `demo_data_parses` test
//! parses them all.

use serde::de::DeserializeOwned;

/// `(name, text)` of a file under data/, compiled in.
pub(super) type File = (&'static str, &'static str);

macro_rules! data_file {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $name)),
        )
    };
}
pub(super) use data_file;

/// Stops the demo: its compiled-in data are wrong.
pub(super) fn malformed((name, _): File, why: impl std::fmt::Display) -> ! {
    panic!("demo data file crates/demo/data/{name} is malformed: {why}")
}

pub(super) fn toml<T: DeserializeOwned>(file: File) -> T {
    toml::from_str(file.1).unwrap_or_else(|e| malformed(file, e))
}

/// The rows of a CSV file with a header line.
pub(super) fn csv<T: DeserializeOwned>(file: File) -> Vec<T> {
    csv::Reader::from_reader(file.1.as_bytes())
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| malformed(file, e))
}
