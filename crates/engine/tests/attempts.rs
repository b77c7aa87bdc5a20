//! A sitting's clock through the engine, with a clock the test controls.

use std::sync::Arc;

use getmycert_content::testing::repository_content;
use getmycert_content::{Content, ContentSource};
use getmycert_core::scoring::Response;
use getmycert_core::{Mode, PartKind};
use getmycert_engine::{Engine, EngineError, StartRequest};
use getmycert_store::Store;
use getmycert_store::testing::TestDatabase;
use time::{Duration, OffsetDateTime};

/// The deadline, driven through the engine with a clock the test controls.
#[tokio::test]
async fn at_the_deadline_answers_are_refused_and_the_attempt_is_submitted_with_what_was_saved() {
    let db = TestDatabase::sqlite();
    let store = getmycert_store::connect(&db.url).await.expect("store");
    let content = Content::load(&ContentSource::Dir(repository_content())).expect("content");
    let engine = Engine::new(store, Arc::new(content));
    engine.sync_content().await.expect("synced");
    let t0 = OffsetDateTime::now_utc();
    let request = StartRequest {
        seed: Some(8),
        accommodation: true,
        ..StartRequest::new("AIF-C01", Mode::Exam)
    };
    let view = engine.start("g-test", &request, t0).await.expect("started");
    assert_eq!(
        view.deadline,
        Some(t0 + Duration::minutes(120)),
        "90 minutes + 30 for the accommodation"
    );
    let first = engine.item("g-test", &view.id, 1).await.expect("item 1");
    let answer = match first.kind {
        PartKind::Ordering => Response::Order {
            order: first
                .options
                .iter()
                .map(|o| o.id.chars().next().expect("id"))
                .collect(),
        },
        PartKind::Matching => Response::Matches {
            matches: [(1, 'A')].into(),
        },
        _ => Response::Selected {
            selected: vec!['A'],
        },
    };
    engine
        .respond(
            "g-test",
            &view.id,
            1,
            Some(answer.clone()),
            None,
            t0 + Duration::minutes(119),
        )
        .await
        .expect("a minute before the deadline");
    let late = engine
        .respond(
            "g-test",
            &view.id,
            2,
            Some(answer),
            None,
            t0 + Duration::minutes(120),
        )
        .await;
    assert!(matches!(late, Err(EngineError::Conflict(_))), "{late:?}");
    let report = engine
        .report("g-test", &view.id, t0 + Duration::minutes(125))
        .await
        .expect("the report of an attempt whose time is up");
    assert!(
        !engine
            .view("g-test", &view.id, t0 + Duration::minutes(125))
            .await
            .expect("view")
            .submitted,
        "reading the report writes nothing"
    );
    assert_eq!(
        engine
            .finalize_expired(t0 + Duration::minutes(119))
            .await
            .expect("sweep"),
        0,
        "nothing ends before its deadline"
    );
    assert_eq!(
        engine
            .finalize_expired(t0 + Duration::minutes(126))
            .await
            .expect("sweep"),
        1,
        "the sweep submits it"
    );
    assert!(
        engine
            .view("g-test", &view.id, t0 + Duration::minutes(126))
            .await
            .expect("view")
            .submitted
    );
    assert_eq!(
        report.seconds_used,
        120 * 60,
        "the attempt ends at its deadline"
    );
    assert!(report.items[0].response.is_some());
    assert!(
        report.items[1..]
            .iter()
            .all(|i| i.response.is_none() && !i.correct),
        "unanswered is wrong"
    );
    let again = engine
        .report("g-test", &view.id, t0 + Duration::minutes(300))
        .await
        .expect("stored report");
    assert_eq!(again.summary, report.summary);
    engine.close().await;
}

/// An attempt keeps the revisions it drew: after an edit of the bank (a new instance with the
/// new content, as after a deploy), its items are still served, scored and reviewed as drawn,
/// while new attempts get the new revision.
#[tokio::test]
async fn an_attempt_is_served_the_revisions_it_drew_after_the_bank_changes() {
    let db = TestDatabase::sqlite();
    let store = getmycert_store::connect(&db.url).await.expect("store");
    let before = Content::load(&ContentSource::Dir(repository_content())).expect("content");
    let engine = Engine::new(store.clone(), Arc::new(before.clone()));
    engine.sync_content().await.expect("synced");
    let t0 = OffsetDateTime::now_utc();
    let request = StartRequest {
        seed: Some(3),
        ..StartRequest::new("AIF-C01", Mode::Exam)
    };
    let old = engine.start("g-old", &request, t0).await.expect("started");
    let first = engine.item("g-old", &old.id, 1).await.expect("item");

    // Every stem of the bank edited: each item gets a new revision.
    let mut after = before.clone();
    for q in &mut after.questions {
        for part in &mut q.parts {
            part.stem = format!("{} (edited)", part.stem);
        }
    }
    let deployed = Engine::new(store.clone(), Arc::new(after));
    deployed.sync_content().await.expect("synced again");
    let served = deployed.item("g-old", &old.id, 1).await.expect("old item");
    assert_eq!(
        served.stem, first.stem,
        "the drawn revision, not the new one"
    );
    let report = deployed
        .submit("g-old", &old.id, t0 + Duration::minutes(5))
        .await
        .expect("submitted");
    assert!(report.items.iter().all(|i| !i.stem.ends_with("(edited)")));

    let new = deployed.start("g-new", &request, t0).await.expect("new");
    let fresh = deployed.item("g-new", &new.id, 1).await.expect("new item");
    assert!(fresh.stem.ends_with("(edited)"), "{}", fresh.stem);
    deployed.close().await;
}

/// An engine over the repository's content on a new database at `url`, synced, and an
/// MLS-C01 simulation request drawn with `seed`.
async fn synced_engine(
    url: &str,
    seed: u64,
) -> (Arc<dyn Store>, Arc<Content>, Engine, StartRequest) {
    let store = getmycert_store::connect(url).await.expect("store");
    let content =
        Arc::new(Content::load(&ContentSource::Dir(repository_content())).expect("content"));
    let engine = Engine::new(store.clone(), content.clone());
    engine.sync_content().await.expect("synced");
    let request = StartRequest {
        seed: Some(seed),
        ..StartRequest::new("MLS-C01", Mode::Exam)
    };
    (store, content, engine, request)
}

/// A flag saved after an answer keeps the answer, and both are served back, by this engine
/// (on SQLite from the answers it holds) and by a new one over the same database (after a
/// restart, or another instance).
async fn saved_answers_are_served_back(url: &str) {
    let (store, content, engine, request) = synced_engine(url, 4).await;
    let t0 = OffsetDateTime::now_utc();
    let view = engine
        .start("g-saves", &request, t0)
        .await
        .expect("started");
    let picked = Response::Selected {
        selected: vec!['B'],
    };
    // The first single-answer item, and the one after it.
    let mut n = 1;
    while engine
        .item("g-saves", &view.id, n)
        .await
        .expect("item")
        .kind
        != PartKind::Single
    {
        n += 1;
    }
    let item = engine.item("g-saves", &view.id, n).await.expect("item");
    assert_eq!((item.response, item.flagged), (None, false), "nothing yet");
    engine
        .respond("g-saves", &view.id, n, Some(picked.clone()), None, t0)
        .await
        .expect("answered");
    let saved = engine
        .respond("g-saves", &view.id, n, None, Some(true), t0)
        .await
        .expect("flagged");
    assert!(saved.answered && saved.flagged, "{saved:?}");
    for (who, engine) in [
        ("the same engine", engine),
        ("a new engine", Engine::new(store, content)),
    ] {
        let item = engine.item("g-saves", &view.id, n).await.expect("item");
        assert_eq!(
            (item.response.as_ref(), item.flagged),
            (Some(&picked), true),
            "{who} serves the answer and the flag"
        );
        let other = engine
            .item("g-saves", &view.id, n + 1)
            .await
            .expect("next item");
        assert_eq!((other.response, other.flagged), (None, false), "{who}");
    }
}

#[tokio::test]
async fn saved_answers_are_served_back_on_sqlite() {
    let db = TestDatabase::sqlite();
    saved_answers_are_served_back(&db.url).await;
}

#[tokio::test]
async fn saved_answers_are_served_back_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    saved_answers_are_served_back(&db.url).await;
}

/// Saves that arrive together (grouped into one statement by the engine) each get their own
/// acknowledgement: those to open attempts are all stored and served back, by this engine and
/// by a new one, to reads that also arrive together; those to a submitted attempt are refused,
/// whatever else shares their statement.
async fn saves_arriving_together_are_each_acknowledged(url: &str) {
    let (store, content, engine, request) = synced_engine(url, 9).await;
    let t0 = OffsetDateTime::now_utc();
    let mut open = Vec::new();
    for g in 0..6 {
        let owner = format!("g-together-{g}");
        let view = engine.start(&owner, &request, t0).await.expect("started");
        open.push((owner, view.id));
    }
    let (closed_owner, closed) = open.pop().expect("six attempts");
    engine
        .submit(&closed_owner, &closed, t0)
        .await
        .expect("submitted");
    // Every single-answer item of the first form: the same positions in every attempt.
    let mut singles = Vec::new();
    for n in 1..=65 {
        let item = engine.item(&open[0].0, &open[0].1, n).await.expect("item");
        if item.kind == PartKind::Single {
            singles.push(n);
        }
    }
    let letter = |i: usize| Response::Selected {
        selected: vec![['A', 'B', 'C', 'D'][i % 4]],
    };
    let everyone: Vec<(String, String)> = open
        .iter()
        .cloned()
        .chain([(closed_owner, closed.clone())])
        .collect();
    // Round 1 answers every item and flags every third; round 2 unflags those (keeping their
    // answer) and changes every other answer (keeping its flag): new rows, then updates, each
    // with and without a flag.
    for round in 1..=2 {
        let mut saves = tokio::task::JoinSet::new();
        // Released together, so that saves queue while earlier ones are written.
        let start = Arc::new(tokio::sync::Barrier::new(everyone.len() * singles.len()));
        for (owner, id) in &everyone {
            for &n in &singles {
                let (engine, owner, id, start) =
                    (engine.clone(), owner.clone(), id.clone(), start.clone());
                let (response, flag) = match (round, n % 3 == 0) {
                    (1, third) => (Some(letter(n)), third.then_some(true)),
                    (_, true) => (None, Some(false)),
                    (_, false) => (Some(letter(n + 1)), None),
                };
                saves.spawn(async move {
                    start.wait().await;
                    let saved = engine.respond(&owner, &id, n, response, flag, t0).await;
                    (id, n, saved)
                });
            }
        }
        let mut stored = 0;
        while let Some(done) = saves.join_next().await {
            let (id, n, saved) = done.expect("joined");
            if id == closed {
                assert!(
                    matches!(saved, Err(EngineError::Conflict(_))),
                    "a submitted attempt takes no answer: {saved:?}"
                );
            } else {
                let saved = saved.expect("saved");
                assert!(saved.answered, "item {n} answered");
                assert_eq!(saved.flagged, round == 1 && n % 3 == 0, "item {n}'s flag");
                stored += 1;
            }
        }
        assert_eq!(stored, open.len() * singles.len());
    }
    // Read back all at once too, so that reads queue while earlier ones are out (grouped into
    // one query on PostgreSQL): each gets its own item's answer.
    for (who, engine) in [
        ("the same engine", engine),
        ("a new engine", Engine::new(store, content)),
    ] {
        let mut reads = tokio::task::JoinSet::new();
        let start = Arc::new(tokio::sync::Barrier::new(open.len() * singles.len()));
        for (owner, id) in &open {
            for &n in &singles {
                let (engine, owner, id, start) =
                    (engine.clone(), owner.clone(), id.clone(), start.clone());
                reads.spawn(async move {
                    start.wait().await;
                    let item = engine.item(&owner, &id, n).await;
                    (id, n, item)
                });
            }
        }
        while let Some(done) = reads.join_next().await {
            let (id, n, item) = done.expect("joined");
            let item = item.expect("item");
            let expected = letter(if n % 3 == 0 { n } else { n + 1 });
            assert_eq!(
                (item.response.as_ref(), item.flagged),
                (Some(&expected), false),
                "{who}: item {n} of {id}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_arriving_together_are_each_acknowledged_on_sqlite() {
    let db = TestDatabase::sqlite();
    saves_arriving_together_are_each_acknowledged(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_arriving_together_are_each_acknowledged_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    saves_arriving_together_are_each_acknowledged(&db.url).await;
}
