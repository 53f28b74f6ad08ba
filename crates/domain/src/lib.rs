//! Cakap's domain: the Indonesian civil-service rules as pure types and functions.
//! No I/O, no async, no SQL. Each rule cites its source; `docs/domain.md` is the spec.

/// A closed set of values with one string form each (what the database and the API hold):
/// `as_str`, `FromStr`, and `TryFrom<String>` so store rows decode straight into it.
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s.trim() { $($text => Ok($name::$variant),)+ _ => Err(()) }
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::UnknownValue;
            /// Exactly the stored form (no trimming: what the database holds must match).
            fn try_from(s: String) -> Result<Self, $crate::UnknownValue> {
                match s.as_str() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::UnknownValue { kind: stringify!($name), value: s }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A stored value outside its enum (a row written by something other than Cakap).
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

pub mod competency;
pub mod crisis;
pub mod equity;
pub mod golongan;
pub mod kecamatan;
pub mod learning;
pub mod nip;
pub mod performance;
pub mod plan;
pub mod points;
pub mod position;
pub mod recognition;
pub mod regions;
pub mod regulation;
pub mod role;
pub mod skm;
pub mod status;
pub mod tpp;

pub use competency::{Level, Method};
pub use golongan::{Golongan, GolonganError};
pub use kecamatan::Kecamatan;
pub use nip::{Gender, Nip, NipError, NipKind};
pub use performance::{Potensi, Predikat, Rating};
pub use position::{Jenjang, PositionKind};
pub use role::Role;

/// Rupiah as written in Indonesian documents: `Rp2.100.000`.
pub fn rupiah(x: i64) -> String {
    let digits = x.unsigned_abs().to_string();
    let mut out = String::from(if x < 0 { "-Rp" } else { "Rp" });
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A message key plus named arguments: how domain errors reach the locale files.
pub trait Localizable {
    /// Key in `locales/*.toml`, e.g. `nip.birth_date`.
    fn key(&self) -> &'static str;
    /// Values for the `{name}` placeholders of the message.
    fn args(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}
