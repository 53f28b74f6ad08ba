//! Cakap's domain: the Indonesian civil-service rules as pure types and functions.
//! No I/O, no async, no SQL. Each rule cites its source; `docs/domain.md` is the spec.

pub mod competency;
pub mod golongan;
pub mod kecamatan;
pub mod learning;
pub mod nip;
pub mod performance;
pub mod plan;
pub mod position;
pub mod role;

pub use competency::{Level, Method};
pub use golongan::{Golongan, GolonganError};
pub use kecamatan::Kecamatan;
pub use nip::{Gender, Nip, NipError, NipKind};
pub use performance::{Potensi, Predikat, Rating};
pub use position::{Jenjang, PositionKind};
pub use role::Role;

/// A message key plus named arguments: how domain errors reach the locale files.
pub trait Localizable {
    /// Key in `locales/*.toml`, e.g. `nip.birth_date`.
    fn key(&self) -> &'static str;
    /// Values for the `{name}` placeholders of the message.
    fn args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}
