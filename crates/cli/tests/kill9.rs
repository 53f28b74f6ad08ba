//! `kill -9` of the real server while it writes (issue 19 §3, docs/operations.md#faults), on
//! SQLite and on PostgreSQL: campaigns for everyone (a regulation, then one target row per
//! active ASN), quiz submissions (grading, the answers, a pass completing the course with its
//! certificate) and the approval of a training plan (enrolments and IDP items for hundreds),
//! all at once — campaigns are always under way at the kill; whether a quiz or the approval
//! was cut mid-transaction depends on timing, which the test prints. Afterwards every change is there whole or not at all, every change the server
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
            let o = common::command()
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
    let _stop_on_panic = common::StopOnDrop(stop.clone());
    let campaigns = Arc::new(AtomicUsize::new(0));
    let submitted: Arc<Mutex<Vec<Submitted>>> = Arc::default();
    // Answers other than the expected ones while the server was up (a 500 is a failure even
    // before the kill; status 0 is the server gone).
    let odd: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut threads = Vec::new();
    for w in 0..3 {
        let (admin, stop, campaigns, due, odd) = (
            admin.clone(),
            stop.clone(),
            campaigns.clone(),
            due.clone(),
            odd.clone(),
        );
        threads.push(std::thread::spawn(move || {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let reg = json!({"jenis": "perbup", "nomor": format!("K{w}-{i}"),
                    "tahun": 2026, "judul": format!("Uji kill {w}-{i}")});
                let (s, r) = admin.post("/api/v1/regulations", reg);
                if s != 201 {
                    note(&odd, s, "POST /regulations");
                    return;
                }
                let path = format!("/api/v1/regulations/{}/campaigns", r["id"]);
                let body = json!({"audience": {"all": true}, "due_on": due});
                let (s, _) = admin.post(&path, body);
                if s != 201 {
                    note(&odd, s, "POST /campaigns");
                    return;
                }
                campaigns.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for learner in learners {
        let (stop, submitted, odd) = (stop.clone(), submitted.clone(), odd.clone());
        threads.push(std::thread::spawn(move || {
            learn(&learner, course, &stop, &submitted, &odd);
        }));
    }
    // Killed while all of it goes on — campaigns under way, the learners' passes being
    // submitted (the kill comes after the first) — however loaded the machine is (a fixed
    // wait could end before the first write), the plan's approval sent just before.
    let started = Instant::now();
    let passed = |s: &Mutex<Vec<Submitted>>| s.lock().expect("lock").iter().any(|x| x.pass);
    while campaigns.load(Ordering::Relaxed) < 2 || !passed(&submitted) {
        let odd_now = odd.lock().expect("lock").clone();
        assert!(
            odd_now.is_empty(),
            "answers while the server was up: {odd_now:?}"
        );
        assert!(
            !threads.iter().all(std::thread::JoinHandle::is_finished),
            "every client stopped before the kill"
        );
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "writes under way within 180 s: {} campaigns, {:?}; {:?}",
            campaigns.load(Ordering::Relaxed),
            submitted.lock().expect("lock"),
            odd.lock().expect("lock")
        );
        std::thread::sleep(Duration::from_millis(20));
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
    let odd = odd.lock().expect("lock").clone();
    assert!(odd.is_empty(), "answers while the server was up: {odd:?}");
    let campaigns = campaigns.load(Ordering::Relaxed);
    let submitted = submitted.lock().expect("lock").clone();
    db.settle();
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

    // Quizzes: every confirmed submission graded, each confirmed pass a pass; every graded
    // attempt of the learners with its audit entry and no ungraded one with one; every pass
    // with its graded answers, its completion and its certificate.
    for x in &submitted {
        assert_eq!(
            db.scalar(&format!(
                "SELECT CASE WHEN passed THEN 'pass' ELSE 'fail' END FROM quiz_attempts \
                 WHERE id = {} AND submitted_at IS NOT NULL",
                x.id
            )),
            if x.pass { "pass" } else { "fail" },
            "confirmed submission {x:?} as confirmed"
        );
    }
    let mine =
        "a.employee_id IN (SELECT u.employee_id FROM users u WHERE u.username LIKE 'belajar%')";
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM quiz_attempts a WHERE {mine} AND (a.submitted_at IS NOT NULL) \
             <> EXISTS (SELECT 1 FROM audit_log l WHERE l.tenant_id = a.tenant_id \
             AND l.entity = 'attempt' AND l.action = 'submit' \
             AND l.entity_id = CAST(a.id AS TEXT))"
        )),
        0,
        "a grading without its audit entry, or an audit entry without its grading"
    );
    let passes = db.count(&format!(
        "SELECT COUNT(*) FROM quiz_attempts a WHERE {mine} AND a.passed = TRUE"
    ));
    assert!(passes > 0);
    assert_eq!(
        db.count(&format!(
            "SELECT COUNT(*) FROM quiz_attempts a WHERE {mine} AND a.passed = TRUE AND (NOT EXISTS \
             (SELECT 1 FROM attempt_answers w WHERE w.tenant_id = a.tenant_id \
             AND w.attempt_id = a.id) OR NOT EXISTS \
             (SELECT 1 FROM enrollments e JOIN offerings o ON o.tenant_id = e.tenant_id \
             AND o.id = e.offering_id JOIN certificates k ON k.tenant_id = e.tenant_id \
             AND k.enrollment_id = e.id WHERE e.tenant_id = a.tenant_id \
             AND e.employee_id = a.employee_id AND o.course_id = a.course_id \
             AND e.status = 'completed'))"
        )),
        0,
        "a pass without its answers, its completion or its certificate"
    );
    // Passes stored beyond those confirmed: graded when the server died, the answer lost.
    let confirmed_passes = submitted.iter().filter(|x| x.pass).count();

    // The plan: approved with all its IDP items and its audit entry, or a draft with none.
    let status = db.scalar(&format!(
        "SELECT status FROM training_plans WHERE id = {plan}"
    ));
    let tenant = format!("(SELECT tenant_id FROM training_plans WHERE id = {plan})");
    let items = format!(
        "SELECT COUNT(*) FROM idp_items i JOIN idps d ON d.tenant_id = i.tenant_id \
         AND d.id = i.idp_id WHERE i.source = 'plan' AND d.year = {year} \
         AND d.tenant_id = {tenant}"
    );
    let audit = db.scalar(&format!(
        "SELECT COALESCE(MAX(after_json), '') FROM audit_log WHERE entity = 'training_plan' \
         AND entity_id = '{plan}' AND action = 'approve' AND tenant_id = {tenant}"
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
         submissions confirmed of which {confirmed_passes} passes ({passes} passes stored, each \
         with its answers, completion and certificate), the plan {status} (its answer: {})",
        if db.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        submitted.len(),
        match approved_answer {
            0 => "none, the server was gone".to_string(),
            s => s.to_string(),
        }
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

/// A submission the server confirmed.
#[derive(Debug, Clone)]
struct Submitted {
    id: i64,
    pass: bool,
}

/// Keeps an unexpected answer; 0 (the server gone, after the kill) is expected.
fn note(odd: &Mutex<Vec<String>>, status: u16, what: &str) {
    if status != 0 {
        odd.lock().expect("lock").push(format!("{what} → {status}"));
    }
}

/// One learner: a first attempt unanswered (a fail), then one with the right answers (a pass
/// that completes the course and signs its certificate).
fn learn(
    me: &Client,
    course: i64,
    stop: &AtomicBool,
    submitted: &Mutex<Vec<Submitted>>,
    odd: &Mutex<Vec<String>>,
) {
    for round in 0..2 {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let (s, attempt) = me.post(&format!("/api/v1/quizzes/{course}/attempts"), json!({}));
        if s != 201 && s != 200 {
            note(odd, s, "POST /quizzes/{id}/attempts");
            return;
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
        let (s, graded) = me.post(
            &format!("/api/v1/attempts/{id}/submit"),
            json!({"answers": answers}),
        );
        if s != 200 {
            note(odd, s, "POST /attempts/{id}/submit");
            return;
        }
        let pass = graded["passed"] == true;
        assert_eq!(pass, round > 0, "{graded}");
        submitted.lock().expect("lock").push(Submitted { id, pass });
    }
}
