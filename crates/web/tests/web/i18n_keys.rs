//! Every translation key the code or a template names exists in both locale files: a missing
//! one would show its raw key (`error.unknown_nip`) to the user.
//!
//! Keys are found as string literals shaped like a key (`"section.name"`, the first part a
//! section of the locale files) anywhere under `crates/*/src` and `crates/web/templates`:
//! `t(lang, "…")`, `ui.t("…")`, `ServiceError::invalid(field, "…")`, `key: "…"`, import row
//! errors. Keys built at run time (`format!("kind.{}", …)`) are checked per family from the
//! domain's lists of values, and `Duplicate { field: "x" }` needs `field.x`.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use cakap_domain::Role;
use cakap_domain::competency::Method;
use cakap_domain::learning::{Jalur, Mode};
use cakap_domain::performance::Rating;
use cakap_domain::position::{Jenjang, PositionKind};
use cakap_web::i18n::{EN, ID};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
        {
            out.push(path);
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let root = workspace();
    let mut out = Vec::new();
    let crates = std::fs::read_dir(root.join("crates")).expect("crates/");
    for krate in crates.flatten() {
        files(&krate.path().join("src"), &mut out);
    }
    files(&root.join("crates/web/templates"), &mut out);
    out.sort();
    out
}

/// File names and other dotted literals that are not keys.
const NOT_KEYS: [&str; 12] = [
    "html", "css", "js", "json", "toml", "svg", "pdf", "xlsx", "csv", "txt", "png", "db",
];

fn key_shaped(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let word = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    !rest.is_empty()
        && first.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && word(first)
        && rest.iter().all(|p| word(p))
        && !rest.last().is_some_and(|l| NOT_KEYS.contains(l))
}

/// Every `"…"` literal of `text` that looks like a key of one of `sections`.
fn literal_keys<'a>(text: &'a str, sections: &HashSet<&str>) -> Vec<&'a str> {
    let quotes: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    quotes
        .windows(2)
        .map(|w| &text[w[0] + 1..w[1]])
        .filter(|s| s.len() < 100 && key_shaped(s))
        .filter(|s| s.split('.').next().is_some_and(|f| sections.contains(f)))
        .collect()
}

/// `Duplicate { field: "x" }` shows `field.x`.
fn duplicate_fields(text: &str) -> Vec<String> {
    text.match_indices("Duplicate { field: \"")
        .filter_map(|(i, m)| {
            let rest = &text[i + m.len()..];
            // An empty field shows the generic `field.record` (web/src/error.rs).
            let f = rest.split('"').next()?;
            Some(format!("field.{}", if f.is_empty() { "record" } else { f }))
        })
        .collect()
}

/// Keys made at run time from a domain value: `kind.{…}`, `jalur.{…}`, ….
fn family_keys() -> Vec<String> {
    let mut out = Vec::new();
    let mut family = |prefix: &str, values: Vec<&str>| {
        out.extend(values.into_iter().map(|v| format!("{prefix}{v}")));
    };
    family(
        "kind.",
        PositionKind::ALL.iter().map(|k| k.as_str()).collect(),
    );
    family(
        "jenjang.",
        Jenjang::ALL.iter().map(|k| k.as_str()).collect(),
    );
    family("jalur.", Jalur::ALL.iter().map(|k| k.as_str()).collect());
    family("mode.", Mode::ALL.iter().map(|k| k.as_str()).collect());
    family("method.", Method::ALL.iter().map(|k| k.as_str()).collect());
    family("role.", Role::ALL.iter().map(|k| k.as_str()).collect());
    family(
        "performance.rating_",
        Rating::ALL.iter().map(|k| k.as_str()).collect(),
    );
    // The error pages' titles (`status.{code}`).
    family(
        "status.",
        vec![
            "400", "401", "403", "404", "409", "413", "415", "422", "429", "500",
        ],
    );
    out
}

#[test]
fn every_key_used_is_in_both_locale_files() {
    let sections: HashSet<&str> = ID
        .keys()
        .chain(EN.keys())
        .filter_map(|k| k.split('.').next())
        .collect();
    // A key may also name a table that code extends (`audit.act` + `.create`).
    let is_table = |k: &str| {
        let prefix = format!("{k}.");
        ID.keys().any(|x| x.starts_with(&prefix)) && EN.keys().any(|x| x.starts_with(&prefix))
    };
    let mut missing = BTreeSet::new();
    let root = workspace();
    let mut check = |key: &str, place: &str| {
        for (name, table) in [("id.toml", &*ID), ("en.toml", &*EN)] {
            if !table.contains_key(key) && !is_table(key) {
                missing.insert(format!("{name}: {key} (used in {place})"));
            }
        }
    };
    let sources = sources();
    assert!(sources.len() > 50, "found the sources: {}", sources.len());
    for path in &sources {
        let text = std::fs::read_to_string(path).expect("source");
        let place = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        for key in literal_keys(&text, &sections) {
            check(key, &place);
        }
        for key in duplicate_fields(&text) {
            check(&key, &place);
        }
    }
    for key in family_keys() {
        check(&key, "a run-time key family");
    }
    assert!(
        missing.is_empty(),
        "{} translation keys missing:\n{}",
        missing.len(),
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_scanner_finds_keys_and_skips_file_names() {
    let sections: HashSet<&str> = ["error", "learn"].into_iter().collect();
    let text =
        r#"t(lang, "error.unknown_nip"); render("learn.html"); x("error"); "a.b" "learn.status_x""#;
    assert_eq!(
        literal_keys(text, &sections),
        vec!["error.unknown_nip", "learn.status_x"]
    );
    assert_eq!(
        duplicate_fields(r#"ServiceError::Duplicate { field: "nip" }"#),
        vec!["field.nip"]
    );
}
