//! `cargo bench -p cakap-demo --bench quiz [-- LEARNERS]`: graded quiz submissions per
//! second through the service (the same code the API runs: own-attempt check, saving the
//! answers sent with the submission, grading on the server, the once-only submit, and for
//! a pass the completion with JP, `course` assessments and a signed certificate), on SQLite
//! and PostgreSQL. Half the learners answer right (pass → completion), half wrong.
//! Default 2,000 learners on the demo tenant; submissions run 1 and 16 at a time.

mod common;

use std::sync::Arc;
use std::time::Instant;

use cakap_demo as demo;
use cakap_domain::Role;
use cakap_services::learning::{offerings, quiz};
use cakap_services::{Actor, Db};
use serde_json::{Value, json};

fn right(prompt: &str) -> Value {
    if prompt.starts_with("Setelah gempa") {
        json!(1)
    } else if prompt.starts_with("Mana saja") {
        json!([0, 1, 3])
    } else if prompt.starts_with("Mobil") {
        json!(false)
    } else if prompt.starts_with("Berapa kali") {
        json!(2)
    } else {
        json!("hold on")
    }
}

async fn measure(label: &str, url: &str, learners: usize) {
    let (db, tenant) = common::open(url).await;
    demo::load(
        &db,
        tenant,
        &demo::Options {
            employees: 4500,
            seed: 1112,
        },
        &|_, _| {},
    )
    .await
    .expect("demo");
    let people: Vec<(i64, String)> = {
        let mut c = db.conn().await.expect("conn");
        cakap_store::fetch_all!(
            c,
            (i64, String),
            "SELECT e.id, e.nip FROM employees e WHERE e.tenant_id = $1 AND NOT EXISTS ( \
             SELECT 1 FROM enrollments en JOIN offerings o ON o.id = en.offering_id \
             JOIN courses k ON k.id = o.course_id WHERE en.employee_id = e.id \
             AND k.code = 'ELN-GEMPA') ORDER BY e.id LIMIT $2",
            tenant,
            learners as i64
        )
        .expect("people")
    };
    let offering = {
        let mut c = db.conn().await.expect("conn");
        cakap_store::fetch_scalar!(
            c,
            String,
            "SELECT o.code FROM offerings o JOIN courses k ON k.id = o.course_id \
             WHERE k.code = 'ELN-GEMPA' AND o.status = 'open' ORDER BY o.id DESC LIMIT 1"
        )
        .expect("offering")
    };
    let course = {
        let mut c = db.conn().await.expect("conn");
        cakap_store::learning::course(&mut c, tenant, "ELN-GEMPA")
            .await
            .expect("q")
            .expect("course")
    };
    let actor = |id: i64, nip: &str| Actor {
        tenant_id: tenant,
        user_id: 0,
        username: format!("bench-{id}"),
        role: Role::Asn,
        unit_path: None,
        employee_id: Some(id),
        nip: Some(nip.to_string()),
        request_id: None,
        national: false,
    };
    // Everyone enrols, reads the modules, and opens an attempt.
    let setup = Instant::now();
    let mut attempts = Vec::new();
    for (i, (id, nip)) in people.iter().enumerate() {
        let a = actor(*id, nip);
        offerings::enroll(
            &db,
            &a,
            &offerings::EnrollInput {
                offering: offering.clone(),
                nips: vec![],
            },
        )
        .await
        .expect("enrol");
        let modules = cakap_services::learning::catalogue::modules(&db, &a, &course.code)
            .await
            .expect("modules");
        for m in modules {
            cakap_services::learning::catalogue::mark_done(&db, &a, m.id)
                .await
                .expect("done");
        }
        let attempt = quiz::start(&db, &a, course.id).await.expect("start");
        let answers = attempt
            .questions
            .iter()
            .map(|q| {
                let v = if i % 2 == 0 {
                    right(&q.prompt)
                } else {
                    json!("salah")
                };
                (q.id.to_string(), v)
            })
            .collect();
        attempts.push((a, attempt.id, quiz::SubmitInput { answers }));
    }
    println!(
        "{label}: {} learners enrolled, modules read, attempts started in {:.2?}",
        attempts.len(),
        setup.elapsed()
    );

    let half = attempts.len() / 2;
    let (one_by_one, parallel) = attempts.split_at(half);
    let t = Instant::now();
    let mut passed = 0;
    for (a, id, input) in one_by_one {
        let g = quiz::submit(&db, a, *id, input).await.expect("submit");
        passed += usize::from(g.passed);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: 1 at a time: {} submissions ({} passed, completed, certified) in {:.2} s = {:.0} graded submissions/s",
        one_by_one.len(),
        passed,
        secs,
        one_by_one.len() as f64 / secs
    );

    let db: Arc<Db> = Arc::new(db);
    let work = Arc::new(parallel.to_vec());
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (db, work, next) = (db.clone(), work.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut passed = 0;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((a, id, input)) = work.get(i) else {
                    break passed;
                };
                let g = quiz::submit(&db, a, *id, input).await.expect("submit");
                passed += usize::from(g.passed);
            }
        }));
    }
    let mut passed = 0;
    for t in tasks {
        passed += t.await.expect("task");
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{label}: 16 at a time: {} submissions ({} passed) in {:.2} s = {:.0} graded submissions/s",
        work.len(),
        passed,
        secs,
        work.len() as f64 / secs
    );
    // A second submit of every attempt answers the stored grade.
    let t = Instant::now();
    for (a, id, input) in work.iter().take(500) {
        quiz::submit(&db, a, *id, input).await.expect("again");
    }
    println!(
        "{label}: repeated submits (count once): {:.0}/s",
        500.0 / t.elapsed().as_secs_f64()
    );
    db.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let learners: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("cakap-quiz-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("bench.db");
    measure("sqlite", &format!("sqlite://{}", file.display()), learners).await;
    let _ = std::fs::remove_dir_all(&dir);

    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let Ok(pool) = sqlx::PgPool::connect(admin).await else {
        println!("postgres: not reachable, skipped");
        return;
    };
    let name = format!("cakap_quiz_bench_{}", std::process::id());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&pool)
        .await
        .expect("create");
    measure(
        "postgres",
        &format!("postgres://postgres@127.0.0.1:5432/{name}"),
        learners,
    )
    .await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE {name} WITH (FORCE)"
    )))
    .execute(&pool)
    .await
    .expect("drop");
}
