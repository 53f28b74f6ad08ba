//! `kill -9` of the real server while it writes (issue 19 §3, docs/operations.md#faults), on
//! SQLite and on PostgreSQL: campaigns for everyone (a regulation, then one target row per
//! active ASN), quiz submissions (grading, the answers, a pass completing the course with its
//! certificate) and the approval of a training plan (enrolments and IDP items for hundreds),
//! all at once. Afterwards every change is there whole or not at all, every change the server
//! confirmed is there, SQLite's file is sound, and the server starts again on it and finishes
//! what was cut off. (A demo load and an import killed half way: tests/cli.rs.)

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod common;
use common::{Backend, Client, one_at_a_time};

/// The demo's learners of this test: accounts made with `cakap user add` for ASN without one.
const LEARNERS: usize = 6;

#[test]
fn kill_9_during_writes_on_sqlite() {
    let _alone = one_at_a_time();
    kill_9_during_writes(&Backend::sqlite("kill9"));
}

#[test]
fn kill_9_during_writes_on_postgres() {
    let _alone = one_at_a_time();
    kill_9_during_writes(&Backend::postgres("kill9"));
}

/// The right answer to each question of the demo's earthquake course (crates/demo/data), by
/// the start of its prompt.
fn right_answer(prompt: &str) -> Value {
    match prompt {
        p if p.starts_with("Setelah gempa") => json!(1),
        p if p.starts_with("Mana saja") => json!([3, 0, 1]),
        p if p.starts_with("Mobil") => json!(false),
        p if p.starts_with("Berapa kali") => json!("2"),
        _ => json!("  HOLD on "),
    }
}

fn kill_9_during_writes(db: &Backend) {
    let o = db.cakap(&["demo", "--employees", "300"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let nips = db.column(&format!(
        "SELECT e.nip FROM employees e WHERE e.active = TRUE AND NOT EXISTS \
         (SELECT 1 FROM users u WHERE u.employee_id = e.id) ORDER BY e.id LIMIT {LEARNERS}"
    ));
    let learners: Vec<String> = nips
        .iter()
        .enumerate()
        .map(|(i, nip)| {
            let name = format!("belajar{i}");
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_cakap"))
                .env_remove("DATABASE_URL")
                .env("CAKAP_PASSWORD", common::PASSWORD)
                .args(["--database-url", &db.url(), "user", "add", &name])
                .args(["--role", "asn", "--nip", nip.as_str()])
                .output()
                .expect("cakap user add");
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            name
        })
        .collect();
    assert_eq!(learners.len(), LEARNERS);
    // The earthquake course's open class (its answers are known: a pass completes it); the
    // draft plan the demo made for next year.
    let class = db.scalar(
        "SELECT o.code FROM offerings o JOIN courses c ON c.tenant_id = o.tenant_id \
         AND c.id = o.course_id WHERE c.code = 'ELN-GEMPA' AND o.status = 'open' \
         ORDER BY o.starts_on LIMIT 1",
    );
    let plan = db.count("SELECT MIN(id) FROM training_plans WHERE status = 'draft'");
    let year = db.count(&format!(
        "SELECT year FROM training_plans WHERE id = {plan}"
    ));
    let due = common::date_in(14);

    let mut server = db.serve();
    let admin = Client::login(&server, &db.dir, "admin");
    // Each learner enrolled with the modules read, before the writes begin.
    let learners: Vec<Client> = learners
        .iter()
        .map(|name| {
            let me = Client::login(&server, &db.dir, name);
            let (s, r) = me.post("/api/v1/enrollments", json!({"offering": class}));
            assert_eq!(s, 201, "{r}");
            let (_, modules) = me.send("GET", "/api/v1/courses/ELN-GEMPA/modules", None);
            for m in modules.as_array().into_iter().flatten() {
                let (s, r) = me.post(&format!("/api/v1/modules/{}/progress", m["id"]), json!({}));
                assert_eq!(s, 200, "{r}");
            }
            me
        })
        .collect();
    let (_, c) = admin.send("GET", "/api/v1/courses/ELN-GEMPA", None);
    let course = c["id"].as_i64().expect("the course's id");
    let stop = Arc::new(AtomicBool::new(false));
    let campaigns = Arc::new(AtomicUsize::new(0));
    let submitted: Arc<Mutex<Vec<i64>>> = Arc::default();
    let mut threads = Vec::new();
    for w in 0..3 {
        let (admin, stop, campaigns, due) =
            (admin.clone(), stop.clone(), campaigns.clone(), due.clone());
        threads.push(std::thread::spawn(move || {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let reg = json!({"jenis": "perbup", "nomor": format!("K{w}-{i}"),
                    "tahun": 2026, "judul": format!("Uji kill {w}-{i}")});
                let (s, r) = admin.post("/api/v1/regulations", reg);
                if s != 201 {
                    return; // the server is gone
                }
                let path = format!("/api/v1/regulations/{}/campaigns", r["id"]);
                let body = json!({"audience": {"all": true}, "due_on": due});
                if admin.post(&path, body).0 != 201 {
                    return;
                }
                campaigns.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for learner in learners {
        let (stop, submitted) = (stop.clone(), submitted.clone());
        threads.push(std::thread::spawn(move || {
            learn(&learner, course, &stop, &submitted);
        }));
    }
    // Killed while all of it goes on — the campaigns under way, the learners' second
    // attempts (the passes) being submitted — however loaded the machine is (a fixed wait
    // could end before the first write), the plan's approval sent just before.
    let started = Instant::now();
    while (campaigns.load(Ordering::Relaxed) < 2
        || submitted.lock().expect("lock").len() < LEARNERS + 2)
        && started.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    let approving = {
        let admin = admin.clone();
        std::thread::spawn(move || {
            admin
                .post(&format!("/api/v1/training-plans/{plan}/approve"), json!({}))
                .0
        })
    };
    std::thread::sleep(Duration::from_millis(150));
    server.kill9();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("client");
    }
    let approved_answer = approving.join().expect("approver");
    let campaigns = campaigns.load(Ordering::Relaxed);
    let submitted = submitted.lock().expect("lock").clone();
    assert!(
        campaigns > 0 && !submitted.is_empty(),
        "writes were going on when the server was killed"
    );
    db.sound();

    // Campaigns: every confirmed one there, each with all its targets.
    let ours =
        "c.regulation_id IN (SELECT r.id FROM regulations r WHERE r.judul LIKE 'Uji kill %')";
    let stored = db.count(&format!("SELECT COUNT(*) FROM campaigns c WHERE {ours}"));
    assert!(
        stored >= campaigns as i64,
        "confirmed campaigns lost: {stored} < {campaigns}"
    );
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM campaigns c WHERE {ours} AND (SELECT COUNT(*) FROM \
             campaign_targets t WHERE t.tenant_id = c.tenant_id AND t.campaign_id = c.id) \
             <> (SELECT COUNT(*) FROM employees e WHERE e.tenant_id = c.tenant_id AND e.active)"
        )),
        0,
        "no campaign without all its targets"
    );

    // Quizzes: every confirmed submission graded; no attempt half graded; every pass of our
    // learners completed its course with a certificate.
    let ids = submitted
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM quiz_attempts WHERE id IN ({ids}) AND submitted_at IS NOT NULL"
        )),
        submitted.len() as i64,
        "confirmed submissions lost"
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM quiz_attempts WHERE (submitted_at IS NULL) <> (score IS NULL) \
             OR (score IS NULL) <> (passed IS NULL)"
        ),
        0,
        "an attempt half graded"
    );
    let mine =
        "a.employee_id IN (SELECT u.employee_id FROM users u WHERE u.username LIKE 'belajar%')";
    let passes = db.count(&format!(
        "SELECT COUNT(*) FROM quiz_attempts a WHERE {mine} AND a.passed = TRUE"
    ));
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM quiz_attempts a WHERE {mine} AND a.passed = TRUE AND NOT EXISTS \
             (SELECT 1 FROM enrollments e JOIN offerings o ON o.tenant_id = e.tenant_id \
             AND o.id = e.offering_id JOIN certificates k ON k.tenant_id = e.tenant_id \
             AND k.enrollment_id = e.id WHERE e.tenant_id = a.tenant_id \
             AND e.employee_id = a.employee_id AND o.course_id = a.course_id \
             AND e.status = 'completed')"
        )),
        0,
        "a pass without its completion and certificate"
    );

    // The plan: approved with all its IDP items and its audit entry, or a draft with none.
    let status = db.scalar(&format!(
        "SELECT status FROM training_plans WHERE id = {plan}"
    ));
    let items = format!(
        "SELECT COUNT(*) FROM idp_items i JOIN idps d ON d.tenant_id = i.tenant_id \
         AND d.id = i.idp_id WHERE i.source = 'plan' AND d.year = {year}"
    );
    let audit = db.scalar(&format!(
        "SELECT COALESCE(MAX(after_json), '') FROM audit_log WHERE entity = 'training_plan' \
         AND entity_id = '{plan}' AND action = 'approve'"
    ));
    if status == "approved" {
        let after: Value = serde_json::from_str(&audit).expect("the approval's audit entry");
        assert_eq!(
            db.count(&items),
            after["idp_items"].as_i64().expect("idp_items")
        );
    } else {
        assert_eq!(status, "draft");
        assert_eq!(
            audit, "",
            "no audit entry of an approval that did not happen"
        );
        assert_eq!(
            db.count(&items),
            0,
            "no IDP item of an approval that did not happen"
        );
        assert_ne!(approved_answer, 200, "a confirmed approval was lost");
    }
    eprintln!(
        "{}: killed with {campaigns} campaigns confirmed ({stored} stored, each whole), {} quiz \
         submissions confirmed ({passes} passes, each with its certificate), the plan {status}",
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        submitted.len()
    );

    // The same database serves again, and what was cut off goes through.
    let server = db.serve();
    let admin = Client::login(&server, &db.dir, "admin");
    let (s, r) = admin.post(&format!("/api/v1/training-plans/{plan}/approve"), json!({}));
    if status == "approved" {
        assert_eq!(s, 409, "{r}");
    } else {
        assert_eq!(s, 200, "{r}");
        assert_eq!(
            db.count(&items),
            r["idp_items"].as_i64().expect("idp_items")
        );
    }
    db.sound();
}

/// One learner: a first attempt unanswered (a fail), then one with the right answers (a pass
/// that completes the course and signs its certificate).
fn learn(me: &Client, course: i64, stop: &AtomicBool, submitted: &Mutex<Vec<i64>>) {
    for round in 0..2 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let (s, attempt) = me.post(&format!("/api/v1/quizzes/{course}/attempts"), json!({}));
        if s != 201 && s != 200 {
            return; // the server is gone
        }
        let answers: serde_json::Map<String, Value> = attempt["questions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|_| round > 0)
            .map(|q| {
                (
                    q["id"].to_string(),
                    right_answer(q["prompt"].as_str().unwrap_or("")),
                )
            })
            .collect();
        let id = attempt["id"].as_i64().expect("attempt id");
        let path = format!("/api/v1/attempts/{id}/submit");
        if me.post(&path, json!({"answers": answers})).0 == 200 {
            submitted.lock().expect("lock").push(id);
        }
    }
}
