use super::*;
use serde_json::json;

fn ok() -> Value {
    json!({
        "actor": {"mbox": "mailto:asn@example.go.id", "name": "ASN"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"id": "https://lms.example.go.id/course/7"}
    })
}

fn with(path: &[&str], v: Value) -> Value {
    let mut s = ok();
    let mut at = &mut s;
    for p in &path[..path.len() - 1] {
        at = at
            .as_object_mut()
            .and_then(|o| o.get_mut(*p))
            .expect("path");
    }
    at.as_object_mut()
        .expect("object")
        .insert(path[path.len() - 1].to_string(), v);
    s
}

#[test]
fn statements_accepted_and_refused() {
    assert_eq!(statement(&ok()), Ok(()));
    let cases: &[(&[&str], Value, bool)] = &[
        (&["id"], json!("5b2c6c84-0b0b-4bb0-a46c-2a4f6c1f0e00"), true),
        (&["id"], json!("not-a-uuid"), false),
        (&["actor", "mbox"], json!("asn@example.go.id"), false),
        (
            &["actor", "openid"],
            json!("http://openid.example.org/x"),
            false,
        ),
        (&["actor", "objectType"], json!("Person"), false),
        (&["actor", "objectType"], json!("Group"), true),
        (&["verb", "id"], json!("completed"), false),
        (&["verb", "display"], json!({"not a tag!": "x"}), false),
        (&["object", "objectType"], json!("StatementRef"), false),
        (&["result"], json!({"score": {"scaled": 1.5}}), false),
        (
            &["result"],
            json!({"score": {"raw": 5, "min": 0, "max": 10}}),
            true,
        ),
        (
            &["result"],
            json!({"score": {"raw": 11, "min": 0, "max": 10}}),
            false,
        ),
        (&["result"], json!({"duration": "PT1H30M"}), true),
        (&["result"], json!({"duration": "1 hour"}), false),
        (&["result"], json!({"success": "yes"}), false),
        (&["timestamp"], json!("2026-12-06T10:00:00+07:00"), true),
        (&["timestamp"], json!("2026-12-06T10:00:00"), false),
        (&["timestamp"], json!("2026-12-06T10:00:00-00:00"), false),
        (&["context"], json!({"registration": "bad"}), false),
        (
            &["context"],
            json!({"team": {"mbox": "mailto:t@example.org"}}),
            false,
        ),
        (
            &["context"],
            json!({"extensions": {"not an iri": 1}}),
            false,
        ),
        (
            &["context"],
            json!({"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:a@b.c"}}]}),
            true,
        ),
        (&["version"], json!("2.0.0"), true),
        (&["version"], json!("3.0.0"), false),
        (&["unknown"], json!(1), false),
        (&["result"], json!(null), false),
    ];
    for (path, v, accepted) in cases {
        let s = with(path, v.clone());
        assert_eq!(statement(&s).is_ok(), *accepted, "{path:?} = {v}");
    }
}

#[test]
fn durations() {
    for (d, ok) in [
        ("PT0S", true),
        ("P1Y2M3DT4H5M6.5S", true),
        ("P3W", true),
        ("P4W1D", false),
        ("P1W2", false),
        ("P", false),
        ("PT", false),
        ("PT1.5M", false),
        ("P1M1Y", false),
        ("PT.5S", false),
    ] {
        assert_eq!(duration(d), ok, "{d}");
    }
}

#[test]
fn deep_nesting_is_refused() {
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!({"http://x.example/e": deep});
    }
    let s = with(&["result"], json!({"extensions": deep}));
    assert!(statement(&s).is_err());
}
