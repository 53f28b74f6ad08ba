//! Indonesian first, English switchable. Messages live in `locales/{id,en}.toml`; code only
//! names keys. The request's language travels in a task-local so error responses built far
//! from the request still speak it.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" | "in" | "id-id" => Some(Lang::Id),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by q-value.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

tokio::task_local! {
    /// The language of the request being served.
    pub static LANG: Lang;
}

/// The current request's language (Indonesian outside a request).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

type Table = HashMap<String, String>;

fn flatten(prefix: &str, value: &toml::Value, out: &mut Table) {
    match value {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

fn load(src: &str) -> Table {
    let table: toml::Table = toml::from_str(src).unwrap_or_else(|e| panic!("locale file: {e}"));
    let mut out = Table::new();
    flatten("", &toml::Value::Table(table), &mut out);
    out
}

pub static ID: LazyLock<Table> = LazyLock::new(|| load(include_str!("../locales/id.toml")));
pub static EN: LazyLock<Table> = LazyLock::new(|| load(include_str!("../locales/en.toml")));

/// The message for `key`; a missing key shows itself (and a test keeps that from shipping).
pub fn t(lang: Lang, key: &str) -> &'static str {
    lookup(lang, key).unwrap_or_else(|| missing(key))
}

/// The message for `key` if a locale has it (the language's, else Indonesian): for labels that
/// may have none, such as an audited field's name.
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    let table: &'static Table = match lang {
        Lang::Id => &ID,
        Lang::En => &EN,
    };
    table.get(key).or_else(|| ID.get(key)).map(String::as_str)
}

/// A key no locale has (a key made from a stored value the locales do not know): shown as
/// itself, kept once per distinct key, so that repeating it on every request does not grow
/// the server's memory.
fn missing(key: &str) -> &'static str {
    static SEEN: LazyLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        LazyLock::new(Default::default);
    let mut seen = SEEN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(k) = seen.get(key) {
        return k;
    }
    tracing::warn!(key, "no message for this key");
    let k: &'static str = Box::leak(key.to_string().into_boxed_str());
    seen.insert(k);
    k
}

/// The message with `{name}` placeholders filled in.
pub fn t_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let mut s = t(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// What templates call: `{{ ui.t("nav.employees") }}`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn t(&self, key: &str) -> &'static str {
        t(self.0, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_shows_itself_and_is_kept_once() {
        let a = t(Lang::En, "no.such.key_for_this_test");
        let b = t(Lang::Id, "no.such.key_for_this_test");
        assert_eq!(a, "no.such.key_for_this_test");
        assert!(std::ptr::eq(a, b), "the same key must not be leaked twice");
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let mut missing: Vec<_> = ID
            .keys()
            .filter(|k| !EN.contains_key(*k))
            .map(|k| format!("en: {k}"))
            .collect();
        missing.extend(
            EN.keys()
                .filter(|k| !ID.contains_key(*k))
                .map(|k| format!("id: {k}")),
        );
        missing.sort();
        assert!(missing.is_empty(), "keys missing: {missing:?}");
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, id;q=0.8"),
            Some(Lang::Id)
        );
        assert_eq!(Lang::from_accept_language("fr"), None);
    }

    #[test]
    fn placeholders_are_filled() {
        let s = t_args(Lang::Id, "nip.birth_date", &[("value", "19741307".into())]);
        assert_eq!(s, "NIP: tanggal lahir 19741307 tidak valid");
    }
}

/// A whole number with the language's thousands separator: 4.500 (id), 4,500 (en).
pub fn fmt_int(lang: Lang, n: i64) -> String {
    let sep = match lang {
        Lang::Id => '.',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn thousands_separators_follow_the_language() {
        assert_eq!(fmt_int(Lang::Id, 4500), "4.500");
        assert_eq!(fmt_int(Lang::En, 4500), "4,500");
        assert_eq!(fmt_int(Lang::Id, 999), "999");
        assert_eq!(fmt_int(Lang::Id, 1234567), "1.234.567");
        assert_eq!(fmt_int(Lang::En, -1000), "-1,000");
    }
}

/// Rupiah with the language's thousands separator: Rp2.100.000 (id), Rp2,100,000 (en).
pub fn fmt_rupiah(lang: Lang, n: i64) -> String {
    format!("Rp{}", fmt_int(lang, n))
}

/// A number with two decimals and the language's decimal mark: 90,91 (id), 90.91 (en).
pub fn fmt_dec(lang: Lang, x: f64) -> String {
    fmt_places(lang, x, 2)
}

/// A number with `places` decimals and the language's decimal mark.
pub fn fmt_places(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{x:.places$}");
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}
