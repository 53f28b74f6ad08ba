//! The caches' tests: clearing by topic and tenant, the single flight, the size bound, the
//! background refresh of kept fills, stale answers while a fill runs.

use super::*;

struct Totals;
impl Spec for Totals {
    type Key = &'static str;
    type Value = i64;
    const TOPICS: &'static [Topic] = &[Topic::People];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 2;
}

struct Boards;
impl Spec for Boards {
    type Key = &'static str;
    type Value = i64;
    const TOPICS: &'static [Topic] = &[Topic::People];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 10;
}

/// An aggregate that may be given stale while a fill runs.
struct Aggregates;
impl Spec for Aggregates {
    type Key = &'static str;
    type Value = i64;
    const TOPICS: &'static [Topic] = &[Topic::People];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 2;
    const STALE: bool = true;
}

struct Tree;
impl Spec for Tree {
    type Key = ();
    type Value = i64;
    const TOPICS: &'static [Topic] = &[Topic::Units];
    const TTL: Duration = Duration::from_secs(60);
    const MAX: usize = 10;
}

async fn db() -> (Db, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "cakap_cache_{}_{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&dir).expect("dir");
    let db = Db::connect(&format!("sqlite://{}/c.db", dir.display()))
        .await
        .expect("db");
    (db, dir)
}

#[tokio::test]
async fn a_change_clears_the_caches_that_depend_on_it_for_that_tenant_only() {
    let (db, dir) = db().await;
    let totals = of::<Totals>(&db);
    let tree = of::<Tree>(&db);
    assert!(
        Arc::ptr_eq(&totals, &of::<Totals>(&db)),
        "one cache per spec"
    );
    for tenant in [1, 2] {
        let Lookup::Miss(g) = totals.get(tenant, &"all") else {
            panic!("empty at first")
        };
        totals.put(tenant, "all", g, 10);
        let Lookup::Miss(g) = tree.get(tenant, &()) else {
            panic!("empty at first")
        };
        tree.put(tenant, (), g, 7);
    }
    changed(&db, 1, &[Topic::People]);
    assert!(matches!(totals.get(1, &"all"), Lookup::Miss(_)));
    assert!(
        matches!(totals.get(2, &"all"), Lookup::Hit(10)),
        "other tenant kept"
    );
    assert!(
        matches!(tree.get(1, &()), Lookup::Hit(7)),
        "units did not change"
    );
    // A read that raced a change cannot store its older answer.
    changed(&db, 1, &[Topic::Units]);
    let Lookup::Miss(read_under) = tree.get(1, &()) else {
        panic!("cleared")
    };
    changed(&db, 1, &[Topic::Units]);
    tree.put(1, (), read_under, 99);
    assert!(matches!(tree.get(1, &()), Lookup::Miss(_)));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_readers_of_a_missing_key_fill_it_once() {
    let (db, dir) = db().await;
    let totals = of::<Totals>(&db);
    let fills = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut readers = Vec::new();
    for _ in 0..32 {
        let (totals, fills) = (totals.clone(), fills.clone());
        readers.push(tokio::spawn(async move {
            totals
                .get_or_fill(1, &"all", || async {
                    fills.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok::<_, ()>(42)
                })
                .await
        }));
    }
    for r in readers {
        assert_eq!(r.await.expect("reader"), Ok(42));
    }
    assert_eq!(fills.load(std::sync::atomic::Ordering::SeqCst), 1);
    // A failed fill stores nothing; the next reader fills it.
    changed(&db, 1, &[Topic::People]);
    assert_eq!(
        totals
            .get_or_fill(1, &"all", || async { Err("down") })
            .await,
        Err("down")
    );
    assert_eq!(
        totals
            .get_or_fill(1, &"all", || async { Ok::<_, &str>(7) })
            .await,
        Ok(7)
    );
    assert!(
        totals.flights.lock().expect("flights").is_empty(),
        "no lock left behind"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// A kept fill counting its runs; `fail` makes the next runs fail.
fn counting(
    fills: &Arc<std::sync::atomic::AtomicI64>,
    fail: &Arc<std::sync::atomic::AtomicBool>,
) -> impl Fn(Db) -> std::future::Ready<Result<i64, String>> + Send + Sync + 'static {
    let (fills, fail) = (fills.clone(), fail.clone());
    move |_db| {
        let n = fills.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        let failing = fail.load(std::sync::atomic::Ordering::SeqCst);
        std::future::ready(if failing { Err("down".into()) } else { Ok(n) })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_refreshes_a_kept_entry_that_was_read_and_only_that() {
    use std::sync::atomic::{AtomicBool, AtomicI64, Ordering::SeqCst};
    let (db, dir) = db().await;
    let totals = of::<Boards>(&db);
    let (fills, fail) = (
        Arc::new(AtomicI64::new(0)),
        Arc::new(AtomicBool::new(false)),
    );
    let after_refresh = || tokio::time::sleep(REFRESH_DELAY * 3);
    let first = totals
        .get_or_fill_kept(&db, 1, &"all", counting(&fills, &fail))
        .await;
    assert_eq!(first, Ok(1));
    // An entry filled without a kept fill, and one of another tenant.
    let plain = totals.get_or_fill(1, &"plain", || async { Ok::<_, ()>(5) });
    assert_eq!(plain.await, Ok(5));
    let other = totals.get_or_fill_kept(&db, 2, &"all", |_db| async { Ok::<_, String>(9) });
    assert_eq!(other.await, Ok(9));

    changed(&db, 1, &[Topic::People]);
    assert!(
        matches!(totals.get(1, &"all"), Lookup::Miss(_)),
        "cleared at once"
    );
    after_refresh().await;
    assert_eq!(fills.load(SeqCst), 2, "filled again without a reader");
    assert!(
        matches!(totals.get(1, &"all"), Lookup::Hit(2)),
        "with the new answer"
    );
    assert!(
        matches!(totals.get(1, &"plain"), Lookup::Miss(_)),
        "not kept: left empty"
    );
    assert!(
        matches!(totals.get(2, &"all"), Lookup::Hit(9)),
        "other tenant untouched"
    );

    // Changes within the delay cost one refresh.
    for _ in 0..3 {
        changed(&db, 1, &[Topic::People]);
    }
    after_refresh().await;
    assert_eq!(fills.load(SeqCst), 3);
    assert!(matches!(totals.get(1, &"all"), Lookup::Hit(3)));

    // A refresh that a change overtakes stores nothing: the change moves the generation
    // between the refresh's lookup and its store.
    let overtaken = totals.clone();
    let db2 = db.clone();
    let slow = move |_db: Db| {
        let (cache, db) = (overtaken.clone(), db2.clone());
        async move {
            // The change lands while this fill runs.
            cache.clone().clear(&db, 1);
            Ok::<_, String>(100)
        }
    };
    assert_eq!(
        totals.get_or_fill_kept(&db, 1, &"slow", slow).await,
        Ok(100)
    );
    assert!(
        matches!(totals.get(1, &"slow"), Lookup::Miss(_)),
        "an answer read before a change is not kept"
    );
    // That change cleared "all" too, which was read: refreshed.
    after_refresh().await;
    assert!(matches!(totals.get(1, &"all"), Lookup::Hit(4)));

    // A refresh that fails stores nothing and stops (the next reader fills the entry).
    fail.store(true, SeqCst);
    changed(&db, 1, &[Topic::People]);
    after_refresh().await;
    assert_eq!(fills.load(SeqCst), 5, "tried once");
    assert!(matches!(totals.get(1, &"all"), Lookup::Miss(_)));
    changed(&db, 1, &[Topic::People]);
    after_refresh().await;
    assert_eq!(
        fills.load(SeqCst),
        5,
        "nothing kept to refresh after a failure"
    );

    // A refresh is not a read: an entry not read in the last minute is left cleared.
    fail.store(false, SeqCst);
    let again = totals.get_or_fill_kept(&db, 1, &"all", counting(&fills, &fail));
    assert_eq!(again.await, Ok(6));
    if let Ok(mut inner) = totals.inner.lock()
        && let Some(e) = inner.entries.get_mut(&(1, "all"))
        && let Some(k) = &mut e.kept
    {
        k.read_at = Instant::now()
            .checked_sub(REFRESH_READ_WITHIN + Duration::from_secs(1))
            .expect("a minute since boot");
    }
    changed(&db, 1, &[Topic::People]);
    after_refresh().await;
    assert!(matches!(totals.get(1, &"all"), Lookup::Miss(_)));
    assert_eq!(fills.load(SeqCst), 6);
    assert!(
        totals.pending.lock().expect("pending").is_empty(),
        "nothing left waiting"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn at_most_max_entries_are_kept() {
    let (db, dir) = db().await;
    let totals = of::<Totals>(&db);
    for key in ["a", "b", "c"] {
        let Lookup::Miss(g) = totals.get(1, &key) else {
            panic!("empty")
        };
        totals.put(1, key, g, 1);
    }
    let kept = ["a", "b", "c"]
        .iter()
        .filter(|k| matches!(totals.get(1, k), Lookup::Hit(_)))
        .count();
    assert_eq!(kept, 2);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_change_others_are_given_the_answer_from_before_while_one_fills() {
    let (db, dir) = db().await;
    let sums = of::<Aggregates>(&db);
    let fill = |v: i64| move || async move { Ok::<_, ()>(v) };
    assert_eq!(sums.get_or_fill(1, &"all", fill(1)).await, Ok(1));
    assert_eq!(sums.get_or_fill(1, &"b", fill(10)).await, Ok(10));
    changed(&db, 1, &[Topic::People]);
    assert!(matches!(sums.get(1, &"all"), Lookup::Stale(1, _)));

    // With no fill under way, the first reader fills and is given the new answer. The cache
    // is full (2): replacing the newer entry does not push out the older one.
    assert!(matches!(sums.get(1, &"b"), Lookup::Stale(10, _)));
    assert_eq!(sums.get_or_fill(1, &"b", fill(11)).await, Ok(11));
    assert!(
        matches!(sums.get(1, &"all"), Lookup::Stale(1, _)),
        "still there"
    );

    // One reader fills; a reader arriving meanwhile is given the old answer at once.
    let (started, release) = (
        Arc::new(tokio::sync::Notify::new()),
        Arc::new(tokio::sync::Notify::new()),
    );
    let filler = {
        let (sums, started, release) = (sums.clone(), started.clone(), release.clone());
        tokio::spawn(async move {
            sums.get_or_fill(1, &"all", || async move {
                started.notify_one();
                release.notified().await;
                Ok::<_, ()>(2)
            })
            .await
        })
    };
    started.notified().await;
    let meanwhile = sums.get_or_fill(1, &"all", || async { Err(()) });
    assert_eq!(
        meanwhile.await,
        Ok(1),
        "the answer from before, with no second fill"
    );
    release.notify_one();
    assert_eq!(filler.await.expect("filler"), Ok(2), "the filler's is new");
    assert!(
        matches!(sums.get(1, &"all"), Lookup::Hit(2)),
        "then everyone's"
    );

    // A stale answer is given for a while only: then readers wait for the fill.
    let long_ago = |d: Duration| Instant::now().checked_sub(d).expect("a minute since boot");
    changed(&db, 1, &[Topic::People]);
    if let Ok(mut inner) = sums.inner.lock() {
        for e in inner.entries.values_mut() {
            e.stale_since = Some(long_ago(STALE_AT_MOST));
        }
    }
    assert!(matches!(sums.get(1, &"all"), Lookup::Miss(_)));
    assert_eq!(sums.get_or_fill(1, &"all", fill(3)).await, Ok(3));
    assert!(
        !sums
            .inner
            .lock()
            .expect("inner")
            .entries
            .contains_key(&(1, "b")),
        "a stale answer too old to give is dropped when another is stored"
    );

    // A fill that a change overtakes stores nothing: the old answer stays stale.
    changed(&db, 1, &[Topic::People]);
    let overtaken = sums.clone();
    let db2 = db.clone();
    let racing = sums.get_or_fill(1, &"all", || async move {
        changed(&db2, 1, &[Topic::People]);
        Ok::<_, ()>(99)
    });
    assert_eq!(racing.await, Ok(99));
    assert!(matches!(overtaken.get(1, &"all"), Lookup::Stale(3, _)));

    // Expired answers are dropped when another is stored.
    if let Ok(mut inner) = sums.inner.lock()
        && let Some(e) = inner.entries.get_mut(&(1, "all"))
    {
        e.at = long_ago(<Aggregates as Spec>::TTL);
    }
    assert_eq!(sums.get_or_fill(2, &"all", fill(5)).await, Ok(5));
    assert!(
        !sums
            .inner
            .lock()
            .expect("inner")
            .entries
            .contains_key(&(1, "all")),
        "expired: dropped"
    );
    assert!(
        sums.flights.lock().expect("flights").is_empty(),
        "no lock left behind"
    );

    // Emptied as by a restart: nothing stale is given.
    assert_eq!(sums.get_or_fill(1, &"all", fill(6)).await, Ok(6));
    forget(&db, 1);
    assert!(matches!(sums.get(1, &"all"), Lookup::Miss(_)));
    assert!(
        matches!(sums.get(2, &"all"), Lookup::Hit(5)),
        "other tenant kept"
    );
    let _ = std::fs::remove_dir_all(dir);
}
