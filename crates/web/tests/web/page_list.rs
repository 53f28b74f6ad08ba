//! The page benchmark (`bench/pages.sh`) measures the routes listed in `bench/pages.conf`;
//! this keeps that list equal to the GET routes of the pages router, so a new page joins the
//! benchmark and a removed one leaves it.

use std::collections::BTreeSet;

/// The GET routes of `crates/web/src/pages/mod.rs`, read from its `.route("…", …get(…))` calls.
fn router_gets() -> BTreeSet<String> {
    let src = include_str!("../../src/pages/mod.rs");
    src.split(".route(")
        .skip(1)
        .filter(|call| call.contains("get("))
        .filter_map(|call| call.split('"').nth(1).map(str::to_string))
        .collect()
}

fn bench_routes() -> BTreeSet<String> {
    include_str!("../../../../bench/pages.conf")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        // A route may carry the query string a page is opened with (`?unit=…`).
        .filter_map(|l| l.split(" | ").next())
        .map(|r| r.trim().split('?').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_page_benchmark_lists_every_page() {
    let (router, bench) = (router_gets(), bench_routes());
    assert!(router.len() > 40, "the router was not read: {router:?}");
    let missing: Vec<_> = router.difference(&bench).collect();
    assert!(
        missing.is_empty(),
        "add these routes to bench/pages.conf (route | user | kind | SQL): {missing:?}"
    );
    let stale: Vec<_> = bench.difference(&router).collect();
    assert!(
        stale.is_empty(),
        "no longer routes, remove from bench/pages.conf: {stale:?}"
    );
}

#[test]
fn every_line_has_four_fields_and_a_known_kind() {
    for line in include_str!("../../../../bench/pages.conf")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split(" | ").collect();
        assert_eq!(fields.len(), 4, "{line}");
        let kind = fields[2].trim();
        assert!(
            kind == "page" || kind == "file" || kind.starts_with("skip:"),
            "{line}"
        );
        let has_param = fields[0].contains('{');
        if !kind.starts_with("skip:") {
            assert_eq!(
                has_param,
                fields[3].trim() != "-",
                "a {{param}} needs its SQL: {line}"
            );
        }
    }
}
