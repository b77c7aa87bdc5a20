//! One suite, two backends: every test here runs against SQLite and against PostgreSQL.

use std::sync::Arc;

use getmycert_core::fixtures::sample_exam;
use getmycert_core::{Exam, Level};
use getmycert_store::prelude::*;
use getmycert_store::{SyncReport, connect};

/// Expands each test into `sqlite::name` and `postgres::name`.
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = getmycert_store::testing::TestDatabase::sqlite();
                    let store = getmycert_store::connect(&db.url).await.expect("connect");
                    assert_eq!(store.backend(), getmycert_store::Backend::Sqlite);
                    super::$name(store.clone(), &db.url).await;
                    store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = getmycert_store::testing::TestDatabase::postgres().await else { return };
                    let store = getmycert_store::connect(&db.url).await.expect("connect");
                    assert_eq!(store.backend(), getmycert_store::Backend::Postgres);
                    super::$name(store.clone(), &db.url).await;
                    store.close().await;
                }
            )*
        }
    };
}

store_tests!(
    answers_health_checks,
    first_sync_inserts_every_exam,
    second_sync_with_the_same_catalog_changes_nothing,
    a_changed_exam_gets_a_new_revision,
    exams_that_leave_the_catalog_are_kept_and_marked,
    reconnecting_reapplies_no_migration,
);

fn catalog() -> Vec<Exam> {
    vec![
        sample_exam("AIF-C01", Level::Foundational, &[20, 24, 28, 14, 14]),
        sample_exam("MLA-C01", Level::Associate, &[28, 26, 22, 24]),
        sample_exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20]),
    ]
}

async fn answers_health_checks(store: Arc<dyn Store>, _url: &str) {
    store.health().await.expect("healthy");
}

async fn first_sync_inserts_every_exam(store: Arc<dyn Store>, _url: &str) {
    let report = store.sync_exams(&catalog()).await.expect("sync");
    assert_eq!(
        report,
        SyncReport {
            inserted: 3,
            ..Default::default()
        }
    );
    let rows = store.exams().await.expect("rows");
    let codes: Vec<_> = rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["AIF-C01", "MLA-C01", "MLS-C01"]);
    assert!(
        rows.iter()
            .all(|r| r.in_catalog && r.content_hash.len() == 64)
    );
    assert_eq!(rows[2].name, "Exam MLS-C01");
}

async fn second_sync_with_the_same_catalog_changes_nothing(store: Arc<dyn Store>, _url: &str) {
    store.sync_exams(&catalog()).await.expect("first sync");
    let before = store.exams().await.expect("rows");
    let report = store.sync_exams(&catalog()).await.expect("second sync");
    assert_eq!(
        report,
        SyncReport {
            unchanged: 3,
            ..Default::default()
        }
    );
    assert!(!report.changed());
    assert_eq!(store.exams().await.expect("rows"), before);
}

async fn a_changed_exam_gets_a_new_revision(store: Arc<dyn Store>, _url: &str) {
    store.sync_exams(&catalog()).await.expect("first sync");
    let before = store.exams().await.expect("rows");
    let mut changed = catalog();
    changed[1].domains[0]
        .tasks
        .push("A new task statement.".into());
    let report = store.sync_exams(&changed).await.expect("sync");
    assert_eq!(
        report,
        SyncReport {
            updated: 1,
            unchanged: 2,
            ..Default::default()
        }
    );
    let after = store.exams().await.expect("rows");
    assert_ne!(after[1].content_hash, before[1].content_hash);
    assert_eq!(after[0], before[0]);
    assert_eq!(after[2], before[2]);
}

async fn exams_that_leave_the_catalog_are_kept_and_marked(store: Arc<dyn Store>, _url: &str) {
    store.sync_exams(&catalog()).await.expect("first sync");
    let fewer = catalog()[..2].to_vec();
    let report = store.sync_exams(&fewer).await.expect("sync");
    assert_eq!(
        report,
        SyncReport {
            unchanged: 2,
            removed: 1,
            ..Default::default()
        }
    );
    let rows = store.exams().await.expect("rows");
    assert_eq!(rows.len(), 3, "rows are never deleted");
    assert!(!rows[2].in_catalog);
    // Back in the catalog: the row is listed again.
    let report = store.sync_exams(&catalog()).await.expect("sync");
    assert_eq!(
        report,
        SyncReport {
            updated: 1,
            unchanged: 2,
            ..Default::default()
        }
    );
    assert!(
        store
            .exams()
            .await
            .expect("rows")
            .iter()
            .all(|r| r.in_catalog)
    );
}

async fn reconnecting_reapplies_no_migration(store: Arc<dyn Store>, url: &str) {
    store.sync_exams(&catalog()).await.expect("sync");
    let again = connect(url).await.expect("reconnect");
    assert_eq!(again.exams().await.expect("rows").len(), 3);
    again.close().await;
}

mod questions {
    use std::sync::Arc;

    use getmycert_core::fixtures::sample_question;
    use getmycert_core::{ItemStatus, Question, QuestionId};
    use getmycert_store::prelude::*;
    use getmycert_store::{QuestionFilter, StoreError, SyncReport};

    store_tests!(
        syncing_the_same_bank_twice_changes_nothing,
        an_edited_item_gets_a_new_revision_and_keeps_the_old_one,
        a_status_change_is_not_a_new_revision,
        items_removed_from_the_bank_are_retired_not_deleted,
        the_listing_filters_and_pages,
        live_counts_are_per_exam,
    );

    fn bank() -> Vec<Question> {
        let mut drafted = sample_question("draft-one", "MLS-C01", "1.1");
        drafted.status = ItemStatus::Draft;
        let mut multi = sample_question("both-exams", "MLS-C01", "3.2");
        multi.mappings.push(getmycert_core::Mapping {
            exam: getmycert_core::ExamCode::parse("MLA-C01").expect("code"),
            domain: 2,
            task: 1,
        });
        multi.parts[0].stem = "Choose the anomaly detection algorithm for streaming data.".into();
        vec![
            sample_question("alpha", "MLS-C01", "1.1"),
            sample_question("beta", "MLS-C01", "3.3"),
            sample_question("gamma", "AIF-C01", "2.1"),
            multi,
            drafted,
        ]
    }

    async fn synced(store: &Arc<dyn Store>) {
        store.sync_exams(&super::catalog()).await.expect("exams");
        let mut exams = super::catalog();
        exams.push(getmycert_core::fixtures::sample_exam(
            "AIF-C01",
            getmycert_core::Level::Foundational,
            &[20, 24, 28, 14, 14],
        ));
        exams.dedup_by(|a, b| a.code == b.code);
        store.sync_exams(&exams).await.expect("exams");
        let report = store.sync_questions(&bank()).await.expect("sync");
        assert_eq!(
            report,
            SyncReport {
                inserted: 5,
                ..Default::default()
            }
        );
    }

    fn id(s: &str) -> QuestionId {
        QuestionId::parse(s).expect("id")
    }

    async fn syncing_the_same_bank_twice_changes_nothing(store: Arc<dyn Store>, _url: &str) {
        synced(&store).await;
        let report = store.sync_questions(&bank()).await.expect("sync");
        assert_eq!(
            report,
            SyncReport {
                unchanged: 5,
                ..Default::default()
            }
        );
    }

    async fn an_edited_item_gets_a_new_revision_and_keeps_the_old_one(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        synced(&store).await;
        let before = store.question(&id("beta")).await.expect("beta");
        let mut edited = bank();
        edited[1].parts[0].options[1].text = "A reworded key".into();
        let report = store.sync_questions(&edited).await.expect("sync");
        assert_eq!(
            report,
            SyncReport {
                updated: 1,
                unchanged: 4,
                ..Default::default()
            }
        );
        let after = store.question(&id("beta")).await.expect("beta");
        assert_ne!(after.hash, before.hash);
        assert_eq!(after.question.parts[0].options[1].text, "A reworded key");
        let old = store
            .question_revision(&id("beta"), &before.hash)
            .await
            .expect("old revision");
        assert_eq!(old.parts[0].options[1].text, "Option B of beta");
        // Reverting to the earlier wording serves the earlier revision again.
        let report = store.sync_questions(&bank()).await.expect("sync");
        assert_eq!(report.updated, 1);
        assert_eq!(
            store.question(&id("beta")).await.expect("beta").hash,
            before.hash
        );
    }

    async fn a_status_change_is_not_a_new_revision(store: Arc<dyn Store>, _url: &str) {
        synced(&store).await;
        let before = store.question(&id("draft-one")).await.expect("draft");
        let mut promoted = bank();
        promoted[4].status = ItemStatus::Live;
        let report = store.sync_questions(&promoted).await.expect("sync");
        assert_eq!(
            report,
            SyncReport {
                updated: 1,
                unchanged: 4,
                ..Default::default()
            }
        );
        let after = store.question(&id("draft-one")).await.expect("draft");
        assert_eq!(after.hash, before.hash);
        assert_eq!(after.question.status, ItemStatus::Live);
    }

    async fn items_removed_from_the_bank_are_retired_not_deleted(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        synced(&store).await;
        let fewer: Vec<Question> = bank()
            .into_iter()
            .filter(|q| q.id.as_str() != "alpha")
            .collect();
        let report = store.sync_questions(&fewer).await.expect("sync");
        assert_eq!(
            report,
            SyncReport {
                unchanged: 4,
                removed: 1,
                ..Default::default()
            }
        );
        let alpha = store.question(&id("alpha")).await.expect("still stored");
        assert_eq!(alpha.question.status, ItemStatus::Retired);
        let listed = store
            .list_questions(&QuestionFilter {
                limit: 50,
                ..Default::default()
            })
            .await
            .expect("list");
        assert!(
            listed
                .items
                .iter()
                .all(|q| q.question.id.as_str() != "alpha")
        );
        assert!(matches!(
            store.question(&id("nope")).await,
            Err(StoreError::NotFound)
        ));
        let again = store.sync_questions(&fewer).await.expect("sync");
        assert_eq!(
            again,
            SyncReport {
                unchanged: 4,
                ..Default::default()
            },
            "retiring is idempotent"
        );
    }

    async fn the_listing_filters_and_pages(store: Arc<dyn Store>, _url: &str) {
        synced(&store).await;
        let ids = |page: getmycert_store::QuestionPage| -> Vec<String> {
            page.items
                .into_iter()
                .map(|q| q.question.id.to_string())
                .collect()
        };
        let list = |filter: QuestionFilter| {
            let store = store.clone();
            async move {
                store
                    .list_questions(&QuestionFilter {
                        limit: 50,
                        ..filter
                    })
                    .await
                    .expect("list")
            }
        };
        let all = list(QuestionFilter::default()).await;
        assert_eq!(all.total, 4, "drafts are not listed");
        assert_eq!(ids(all), ["alpha", "beta", "both-exams", "gamma"]);
        let mls = list(QuestionFilter {
            exam: Some("MLS-C01".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(mls), ["alpha", "beta", "both-exams"]);
        let domain3 = list(QuestionFilter {
            exam: Some("MLS-C01".into()),
            domain: Some(3),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(domain3), ["beta", "both-exams"]);
        let task = list(QuestionFilter {
            exam: Some("MLS-C01".into()),
            domain: Some(3),
            task: Some(2),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(task), ["both-exams"]);
        let mla = list(QuestionFilter {
            exam: Some("MLA-C01".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(mla), ["both-exams"]);
        let tag = list(QuestionFilter {
            tag: Some("topic-gamma".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(tag), ["gamma"]);
        let text = list(QuestionFilter {
            text: Some("ANOMALY streaming".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(ids(text), ["both-exams"]);
        let kind = list(QuestionFilter {
            kind: Some(getmycert_core::QuestionType::Ordering),
            ..Default::default()
        })
        .await;
        assert_eq!(kind.total, 0);
        let page = store
            .list_questions(&QuestionFilter {
                limit: 2,
                offset: 2,
                ..Default::default()
            })
            .await
            .expect("page");
        assert_eq!(page.total, 4);
        assert_eq!(ids(page), ["both-exams", "gamma"]);
        let wildcard = list(QuestionFilter {
            text: Some("%".into()),
            ..Default::default()
        })
        .await;
        assert_eq!(wildcard.total, 0, "LIKE wildcards in the query are literal");
    }

    async fn live_counts_are_per_exam(store: Arc<dyn Store>, _url: &str) {
        synced(&store).await;
        let counts = store.live_counts().await.expect("counts");
        assert_eq!(counts.get("MLS-C01"), Some(&3));
        assert_eq!(counts.get("MLA-C01"), Some(&1));
        assert_eq!(counts.get("AIF-C01"), Some(&1));
    }
}

mod attempts {
    use std::sync::Arc;

    use getmycert_store::prelude::*;
    use getmycert_store::{AnswerWrite, NewAttempt, SavedAnswer, StoreError};
    use time::{Duration, OffsetDateTime};

    store_tests!(
        an_attempt_is_one_row_read_back_whole,
        responses_are_saved_replaced_and_refused_after_submit,
        answers_saved_together_each_get_their_own_state,
        answers_written_without_reading_back_count_what_was_written,
        saved_answers_are_read_together_in_the_order_asked,
        an_owner_sees_their_attempts_newest_first,
        a_growing_form_is_replaced_only_from_its_current_state,
    );

    async fn a_growing_form_is_replaced_only_from_its_current_state(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        with_exam(&store).await;
        let mut row = attempt("drill", "guest-1", now());
        row.mode = getmycert_core::Mode::Drill;
        row.items = "[1]".into();
        row.settings = Some(r#"{"se_target":0.3}"#.into());
        store.create_attempt(&row).await.expect("create");
        assert!(
            store
                .extend_attempt("drill", "[1]", "[1,2]")
                .await
                .expect("grow")
        );
        assert!(
            !store
                .extend_attempt("drill", "[1]", "[1,3]")
                .await
                .expect("stale"),
            "a stale form is not replaced"
        );
        let stored = store.attempt("drill").await.expect("read");
        assert_eq!(
            (stored.items.as_str(), stored.settings.as_deref()),
            ("[1,2]", Some(r#"{"se_target":0.3}"#))
        );
        store
            .submit_attempt("drill", "{}", now(), &[])
            .await
            .expect("submit");
        assert!(
            !store
                .extend_attempt("drill", "[1,2]", "[1,2,3]")
                .await
                .expect("closed")
        );

        for q in ["", "q-1", "q-1", "q-2"] {
            store
                .count_drill_exposure("MLS-C01", q)
                .await
                .expect("count");
        }
        let exposure = store.drill_exposure("MLS-C01").await.expect("read");
        assert_eq!(
            (exposure.get(""), exposure.get("q-1"), exposure.get("q-2")),
            (Some(&1), Some(&2), Some(&1))
        );
        assert!(
            store
                .drill_exposure("AIF-C01")
                .await
                .expect("other")
                .is_empty()
        );
    }

    fn now() -> OffsetDateTime {
        // Whole seconds: both backends keep at least microseconds, so equality holds.
        OffsetDateTime::from_unix_timestamp(OffsetDateTime::now_utc().unix_timestamp())
            .expect("time")
    }

    /// An attempt's saved rows as (item, response, flagged, changes).
    async fn saved_rows(store: &Arc<dyn Store>, id: &str) -> Vec<(i32, Option<String>, bool, i32)> {
        store
            .responses(id)
            .await
            .expect("responses")
            .into_iter()
            .map(|r| (r.n, r.response, r.flagged, r.changes))
            .collect()
    }

    /// One answer to save, now.
    fn write(id: &str, n: i32, response: Option<&str>, flagged: Option<bool>) -> AnswerWrite {
        AnswerWrite {
            attempt_id: id.into(),
            n,
            response: response.map(Into::into),
            flagged,
            at: now(),
        }
    }

    /// Attempts `open` and `done` of one guest (the caller submits `done` when it needs to).
    async fn open_and_done(store: &Arc<dyn Store>) {
        for id in ["open", "done"] {
            store
                .create_attempt(&attempt(id, "guest-1", now()))
                .await
                .expect("create");
        }
    }

    pub(super) fn attempt(id: &str, owner: &str, started_at: OffsetDateTime) -> NewAttempt {
        NewAttempt {
            id: id.into(),
            owner: owner.into(),
            exam_code: "MLS-C01".into(),
            mode: getmycert_core::Mode::Exam,
            seed: -42,
            items: r#"[{"id":"alpha","part":0}]"#.into(),
            started_at,
            deadline: Some(started_at + Duration::minutes(180)),
            settings: None,
        }
    }

    pub(super) async fn with_exam(store: &Arc<dyn Store>) {
        store.sync_exams(&super::catalog()).await.expect("exams");
    }

    async fn an_attempt_is_one_row_read_back_whole(store: Arc<dyn Store>, _url: &str) {
        with_exam(&store).await;
        let new = attempt("a1b2", "guest-1", now());
        store.create_attempt(&new).await.expect("create");
        let row = store.attempt("a1b2").await.expect("row");
        assert_eq!(
            (
                row.id.as_str(),
                row.owner.as_str(),
                row.exam_code.as_str(),
                row.mode.as_str(),
                row.seed,
                row.items.as_str()
            ),
            (
                "a1b2",
                "guest-1",
                "MLS-C01",
                "exam",
                -42,
                new.items.as_str()
            )
        );
        assert_eq!(row.started_at, new.started_at);
        assert_eq!(row.deadline, new.deadline);
        assert_eq!((row.submitted_at, row.result), (None, None));
        assert!(matches!(
            store.attempt("nope").await,
            Err(StoreError::NotFound)
        ));
    }

    async fn responses_are_saved_replaced_and_refused_after_submit(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        with_exam(&store).await;
        store
            .create_attempt(&attempt("att", "guest-1", now()))
            .await
            .expect("create");
        let saved = |answered, flagged| Some(SavedAnswer { answered, flagged });
        assert_eq!(
            store
                .save_answer("att", 3, Some(r#"{"selected":["B"]}"#), None, now())
                .await
                .expect("save"),
            saved(true, false)
        );
        assert_eq!(
            store
                .save_answer("att", 3, Some(r#"{"selected":["C"]}"#), Some(true), now())
                .await
                .expect("replace"),
            saved(true, true)
        );
        assert_eq!(
            store
                .save_answer("att", 3, None, None, now())
                .await
                .expect("nothing new"),
            saved(true, true),
            "no response and no flag keep both"
        );
        assert_eq!(
            store
                .save_answer("att", 1, None, Some(true), now())
                .await
                .expect("flag only"),
            saved(false, true)
        );
        assert_eq!(
            store
                .response("att", 3)
                .await
                .expect("one response")
                .and_then(|r| r.response),
            Some(r#"{"selected":["C"]}"#.into())
        );
        assert_eq!(store.response("att", 2).await.expect("none"), None);
        let saved = store.responses("att").await.expect("responses");
        assert_eq!(saved.len(), 2);
        assert_eq!(
            (saved[0].n, saved[0].response.as_deref(), saved[0].flagged),
            (1, None, true)
        );
        assert_eq!(
            (saved[1].n, saved[1].response.as_deref(), saved[1].flagged),
            (3, Some(r#"{"selected":["C"]}"#), true)
        );
        assert_eq!(
            (saved[0].changes, saved[1].changes),
            (0, 1),
            "one change to a different answer is counted"
        );
        assert!(
            store
                .submit_attempt("att", r#"{"scaled_score":700}"#, now(), &[])
                .await
                .expect("submit")
        );
        assert!(
            !store
                .submit_attempt("att", r#"{"scaled_score":900}"#, now(), &[])
                .await
                .expect("again"),
            "submit happens once"
        );
        assert_eq!(
            store
                .save_answer("att", 2, Some(r#"{"selected":["A"]}"#), None, now())
                .await
                .expect("late"),
            None
        );
        assert_eq!(
            store.responses("att").await.expect("responses").len(),
            2,
            "nothing stored after submit"
        );
        let row = store.attempt("att").await.expect("row");
        assert_eq!(row.result.as_deref(), Some(r#"{"scaled_score":700}"#));
        assert!(row.submitted_at.is_some());
        assert_eq!(
            store
                .save_answer("missing", 1, None, Some(true), now())
                .await
                .expect("unknown attempt"),
            None
        );
    }

    async fn answers_saved_together_each_get_their_own_state(store: Arc<dyn Store>, _url: &str) {
        with_exam(&store).await;
        open_and_done(&store).await;
        store
            .save_answer("open", 1, Some(r#"{"selected":["A"]}"#), Some(true), now())
            .await
            .expect("first");
        // The submitted attempt has a saved answer: a refused write must not report it.
        store
            .save_answer("done", 1, Some(r#"{"selected":["D"]}"#), Some(true), now())
            .await
            .expect("saved before submit");
        store
            .submit_attempt("done", "{}", now(), &[])
            .await
            .expect("submit");
        assert_eq!(
            store
                .save_answer("done", 1, Some(r#"{"selected":["A"]}"#), None, now())
                .await
                .expect("refused alone"),
            None
        );
        let saved = |answered, flagged| Some(SavedAnswer { answered, flagged });
        // Flags kept: item 1 keeps its flag and counts a change; item 2 is new; the
        // submitted attempt takes nothing.
        let kept = store
            .save_answers(&[
                write("open", 1, Some(r#"{"selected":["B"]}"#), None),
                write("open", 2, Some(r#"{"selected":["C"]}"#), None),
                write("done", 1, Some(r#"{"selected":["A"]}"#), None),
            ])
            .await
            .expect("saved together");
        assert_eq!(kept, vec![saved(true, true), saved(true, false), None]);
        // Flags sent: item 1 unflagged with its response kept, item 3 flagged only.
        let sent = store
            .save_answers(&[
                write("open", 1, None, Some(false)),
                write("open", 3, None, Some(true)),
            ])
            .await
            .expect("flags together");
        assert_eq!(sent, vec![saved(true, false), saved(false, true)]);
        assert_eq!(
            saved_rows(&store, "open").await,
            vec![
                (1, Some(r#"{"selected":["B"]}"#.into()), false, 1),
                (2, Some(r#"{"selected":["C"]}"#.into()), false, 0),
                (3, None, true, 0),
            ]
        );
        let done = store.responses("done").await.expect("kept");
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].response.as_deref(), Some(r#"{"selected":["D"]}"#));
        assert_eq!(store.save_answers(&[]).await.expect("nothing"), vec![]);
    }

    async fn answers_written_without_reading_back_count_what_was_written(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        with_exam(&store).await;
        open_and_done(&store).await;
        store
            .submit_attempt("done", "{}", now(), &[])
            .await
            .expect("submit");
        let one = [write("open", 1, Some(r#"{"selected":["A"]}"#), Some(true))];
        assert_eq!(store.write_answers(&one).await.expect("one"), 1);
        // Written again: the same row, no change counted.
        assert_eq!(store.write_answers(&one).await.expect("again"), 1);
        assert_eq!(
            store
                .write_answers(&[write("done", 1, Some("{}"), None)])
                .await
                .expect("refused alone"),
            0
        );
        let group = [
            write("open", 1, Some(r#"{"selected":["B"]}"#), None),
            write("done", 2, Some(r#"{"selected":["C"]}"#), None),
            write("open", 2, None, None),
        ];
        assert_eq!(
            store.write_answers(&group).await.expect("group"),
            2,
            "the submitted attempt's write is not counted"
        );
        assert_eq!(store.write_answers(&[]).await.expect("nothing"), 0);
        assert_eq!(
            saved_rows(&store, "open").await,
            vec![
                (1, Some(r#"{"selected":["B"]}"#.into()), true, 1),
                (2, None, false, 0),
            ]
        );
        assert!(store.responses("done").await.expect("none").is_empty());
    }

    async fn saved_answers_are_read_together_in_the_order_asked(store: Arc<dyn Store>, _url: &str) {
        with_exam(&store).await;
        for id in ["a", "b"] {
            store
                .create_attempt(&attempt(id, "guest-1", now()))
                .await
                .expect("create");
        }
        for (id, n, response) in [("a", 1, "[1]"), ("a", 3, "[3]"), ("b", 1, "[4]")] {
            store
                .save_answer(id, n, Some(response), None, now())
                .await
                .expect("save");
        }
        let read = store
            .responses_at(&[
                ("b", 1),
                ("a", 2),
                ("a", 3),
                ("missing", 1),
                ("a", 1),
                ("b", 1),
            ])
            .await
            .expect("read");
        let view: Vec<_> = read
            .iter()
            .map(|r| r.as_ref().map(|r| (r.n, r.response.as_deref())))
            .collect();
        assert_eq!(
            view,
            vec![
                Some((1, Some("[4]"))),
                None,
                Some((3, Some("[3]"))),
                None,
                Some((1, Some("[1]"))),
                Some((1, Some("[4]"))),
            ]
        );
        assert!(store.responses_at(&[]).await.expect("nothing").is_empty());
    }

    async fn an_owner_sees_their_attempts_newest_first(store: Arc<dyn Store>, _url: &str) {
        with_exam(&store).await;
        let t = now();
        store
            .create_attempt(&attempt("old", "guest-1", t - Duration::days(2)))
            .await
            .expect("create");
        store
            .create_attempt(&attempt("new", "guest-1", t))
            .await
            .expect("create");
        store
            .create_attempt(&attempt("other", "guest-2", t))
            .await
            .expect("create");
        let mine: Vec<String> = store
            .attempts_of("guest-1")
            .await
            .expect("list")
            .into_iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(mine, ["new", "old"]);
    }
}

mod accounts {
    use std::sync::Arc;

    use getmycert_store::prelude::*;
    use getmycert_store::{NewAttempt, NewSession, StoreError, UserRow};
    use time::OffsetDateTime;

    store_tests!(
        an_email_holds_one_account,
        a_guest_s_attempts_move_to_the_account,
        sessions_are_created_once_saved_loaded_and_expire,
    );

    fn user(id: &str, email: &str) -> UserRow {
        UserRow {
            id: id.into(),
            email: email.into(),
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
            display_name: String::new(),
            role: getmycert_core::Role::Learner,
            created_at: OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time"),
        }
    }

    async fn an_email_holds_one_account(store: Arc<dyn Store>, _url: &str) {
        store
            .create_user(&user("u-1", "ana@example.com"))
            .await
            .expect("create");
        assert!(matches!(
            store.create_user(&user("u-2", "ana@example.com")).await,
            Err(StoreError::Conflict)
        ));
        let found = store
            .user_by_email("ana@example.com")
            .await
            .expect("by email");
        assert_eq!(found, user("u-1", "ana@example.com"));
        assert_eq!(
            store.user("u-1").await.expect("by id").email,
            "ana@example.com"
        );
        assert!(matches!(
            store.user_by_email("bob@example.com").await,
            Err(StoreError::NotFound)
        ));
    }

    async fn a_guest_s_attempts_move_to_the_account(store: Arc<dyn Store>, _url: &str) {
        store.sync_exams(&super::catalog()).await.expect("exams");
        for (id, owner) in [("a1", "g-guest"), ("a2", "g-guest"), ("a3", "g-other")] {
            store
                .create_attempt(&NewAttempt {
                    id: id.into(),
                    owner: owner.into(),
                    exam_code: "MLS-C01".into(),
                    mode: getmycert_core::Mode::Practice,
                    seed: 1,
                    items: "[]".into(),
                    started_at: OffsetDateTime::now_utc(),
                    deadline: None,
                    settings: None,
                })
                .await
                .expect("attempt");
        }
        assert_eq!(store.adopt_guest("g-guest", "u-1").await.expect("adopt"), 2);
        assert_eq!(store.attempts_of("u-1").await.expect("mine").len(), 2);
        assert!(
            store
                .attempts_of("g-guest")
                .await
                .expect("guest")
                .is_empty()
        );
        assert_eq!(store.attempts_of("g-other").await.expect("other").len(), 1);
    }

    async fn sessions_are_created_once_saved_loaded_and_expire(store: Arc<dyn Store>, _url: &str) {
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).expect("time");
        let session = |data, expires| NewSession {
            id: "s1",
            data,
            expires_at: at(expires),
        };
        assert!(
            store
                .session_create(&session(r#"{"a":1}"#, 2_000))
                .await
                .expect("create")
        );
        assert!(
            !store
                .session_create(&session(r#"{"b":2}"#, 2_000))
                .await
                .expect("collision")
        );
        assert_eq!(
            store.session_load("s1", at(1_000)).await.expect("load"),
            Some((r#"{"a":1}"#.into(), at(2_000)))
        );
        store
            .session_save(&session(r#"{"c":3}"#, 3_000))
            .await
            .expect("save");
        assert_eq!(
            store.session_load("s1", at(2_500)).await.expect("load"),
            Some((r#"{"c":3}"#.into(), at(3_000)))
        );
        assert_eq!(
            store.session_load("s1", at(3_000)).await.expect("expired"),
            None
        );
        store.session_delete("s1").await.expect("delete");
        assert_eq!(store.session_load("s1", at(0)).await.expect("gone"), None);
    }
}

mod account_lifecycle {
    use std::sync::Arc;

    use getmycert_store::prelude::*;
    use getmycert_store::{NewAttempt, StoreError, UserRow};
    use time::OffsetDateTime;

    store_tests!(
        deleting_an_account_removes_everything_of_it,
        a_password_hash_can_be_replaced
    );

    fn user(id: &str) -> UserRow {
        UserRow {
            id: id.into(),
            email: format!("{id}@example.com"),
            password_hash: "old".into(),
            display_name: String::new(),
            role: getmycert_core::Role::Learner,
            created_at: OffsetDateTime::now_utc(),
        }
    }

    async fn deleting_an_account_removes_everything_of_it(store: Arc<dyn Store>, _url: &str) {
        store.sync_exams(&super::catalog()).await.expect("exams");
        store.create_user(&user("u-a")).await.expect("user a");
        store.create_user(&user("u-b")).await.expect("user b");
        for (id, owner) in [("x1", "u-a"), ("x2", "u-b")] {
            store
                .create_attempt(&NewAttempt {
                    id: id.into(),
                    owner: owner.into(),
                    exam_code: "MLS-C01".into(),
                    mode: getmycert_core::Mode::Practice,
                    seed: 1,
                    items: "[]".into(),
                    started_at: OffsetDateTime::now_utc(),
                    deadline: None,
                    settings: None,
                })
                .await
                .expect("attempt");
            assert!(
                store
                    .save_answer(id, 1, Some("{}"), None, OffsetDateTime::now_utc())
                    .await
                    .expect("response")
                    .is_some()
            );
        }
        store.delete_user("u-a").await.expect("delete");
        assert!(matches!(store.user("u-a").await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.attempt("x1").await,
            Err(StoreError::NotFound)
        ));
        assert!(store.responses("x1").await.expect("responses").is_empty());
        assert_eq!(
            store
                .responses("x2")
                .await
                .expect("other's responses")
                .len(),
            1,
            "other accounts keep theirs"
        );
        assert!(store.user("u-b").await.is_ok());
    }

    async fn a_password_hash_can_be_replaced(store: Arc<dyn Store>, _url: &str) {
        store.create_user(&user("u-c")).await.expect("user");
        store.set_password_hash("u-c", "new").await.expect("set");
        assert_eq!(store.user("u-c").await.expect("user").password_hash, "new");
        assert!(matches!(
            store.set_password_hash("u-none", "x").await,
            Err(StoreError::NotFound)
        ));
    }
}

mod certifications {
    use std::sync::Arc;

    use getmycert_store::prelude::*;
    use time::macros::date;

    store_tests!(certifications_are_recorded_renewed_listed_and_forgotten);

    async fn certifications_are_recorded_renewed_listed_and_forgotten(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        store
            .record_certification("u1", "MLA-C01", date!(2025 - 03 - 01))
            .await
            .expect("recorded");
        store
            .record_certification("u1", "AIF-C01", date!(2024 - 11 - 20))
            .await
            .expect("recorded");
        store
            .record_certification("u2", "AIF-C01", date!(2025 - 01 - 05))
            .await
            .expect("another owner");
        // Renewed: the same exam again replaces the day.
        store
            .record_certification("u1", "AIF-C01", date!(2025 - 12 - 01))
            .await
            .expect("renewed");
        let held = store.certifications_of("u1").await.expect("listed");
        let held: Vec<(&str, time::Date)> = held
            .iter()
            .map(|c| (c.exam_code.as_str(), c.earned))
            .collect();
        assert_eq!(
            held,
            [
                ("AIF-C01", date!(2025 - 12 - 01)),
                ("MLA-C01", date!(2025 - 03 - 01))
            ]
        );
        assert!(
            store
                .delete_certification("u1", "MLA-C01")
                .await
                .expect("deleted")
        );
        assert!(
            !store
                .delete_certification("u1", "MLA-C01")
                .await
                .expect("gone")
        );
        assert_eq!(
            store.certifications_of("u1").await.expect("listed").len(),
            1
        );
        assert_eq!(
            store.certifications_of("u2").await.expect("listed").len(),
            1
        );
    }
}

mod throttle {
    use std::sync::Arc;

    use getmycert_store::ThrottleRule;
    use getmycert_store::prelude::*;
    use time::{Duration, OffsetDateTime};

    store_tests!(failures_block_with_growing_back_off_and_reset);

    async fn failures_block_with_growing_back_off_and_reset(store: Arc<dyn Store>, _url: &str) {
        let key = "signin-account:ana@example.com";
        let at = |s: i64| OffsetDateTime::from_unix_timestamp(s).expect("time");
        let rule = ThrottleRule {
            threshold: 5,
            window: Duration::hours(1),
            base: Duration::seconds(30),
            max: Duration::hours(1),
        };
        for t in 0..4 {
            assert_eq!(
                store
                    .throttle_hit(key, at(1000 + t), &rule)
                    .await
                    .expect("hit"),
                Duration::ZERO
            );
        }
        assert_eq!(
            store.throttle_blocked(key, at(1004)).await.expect("check"),
            None
        );
        assert_eq!(
            store.throttle_hit(key, at(1004), &rule).await.expect("5th"),
            Duration::seconds(30)
        );
        assert_eq!(
            store.throttle_blocked(key, at(1010)).await.expect("check"),
            Some(Duration::seconds(24))
        );
        assert_eq!(
            store.throttle_hit(key, at(1040), &rule).await.expect("6th"),
            Duration::seconds(60)
        );
        assert_eq!(
            store
                .throttle_blocked(key, at(1100))
                .await
                .expect("expired"),
            None
        );
        // A quiet hour starts the count again.
        assert_eq!(
            store
                .throttle_hit(key, at(1040 + 3600), &rule)
                .await
                .expect("later"),
            Duration::ZERO
        );
        store.throttle_reset(key).await.expect("reset");
        assert_eq!(
            store
                .throttle_blocked(key, at(1040 + 3600))
                .await
                .expect("check"),
            None
        );
    }
}

mod cards {
    use std::sync::Arc;

    use getmycert_core::review::Grade;
    use getmycert_store::prelude::*;
    use getmycert_store::{CardReview, CardRow};
    use time::OffsetDateTime;

    fn at(s: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(s).expect("time")
    }

    /// Logs one review; whether it was new.
    async fn record(store: &Arc<dyn Store>, review: CardReview, card: CardRow) -> bool {
        store
            .record_reviews(&[(review, card)])
            .await
            .expect("record")
            == 1
    }

    store_tests!(
        a_review_is_logged_once_per_attempt_item,
        a_guest_s_cards_move_to_the_account_without_overwriting_its_own,
        desired_retention_is_kept_per_identity
    );

    fn card(owner: &str, question: &str, due_at: i64, reps: i32) -> CardRow {
        CardRow {
            owner: owner.into(),
            question_id: question.into(),
            stability: 2.5,
            difficulty: 5.25,
            due_at: at(due_at),
            last_review_at: at(due_at - 86_400),
            reps,
            lapses: 0,
        }
    }

    fn review(attempt: &str, n: i32, owner: &str, question: &str) -> CardReview {
        CardReview {
            attempt_id: attempt.into(),
            n,
            owner: owner.into(),
            question_id: question.into(),
            grade: Grade::Good,
            reviewed_at: at(1_000),
            elapsed_days: 0,
        }
    }

    async fn a_review_is_logged_once_per_attempt_item(store: Arc<dyn Store>, _url: &str) {
        assert_eq!(store.card("g1", "q-1").await.expect("read"), None);
        assert!(
            record(
                &store,
                review("a1", 1, "g1", "q-1"),
                card("g1", "q-1", 5_000, 1)
            )
            .await
        );
        assert!(
            !record(
                &store,
                review("a1", 1, "g1", "q-1"),
                card("g1", "q-1", 9_000, 2)
            )
            .await,
            "the same attempt item is graded once"
        );
        assert_eq!(
            store.card("g1", "q-1").await.expect("read"),
            Some(card("g1", "q-1", 5_000, 1)),
            "the second grading wrote nothing"
        );
        assert!(
            record(
                &store,
                review("a2", 1, "g1", "q-2"),
                card("g1", "q-2", 3_000, 1)
            )
            .await
        );
        let due: Vec<(String, i64)> = store
            .cards_of("g1")
            .await
            .expect("cards")
            .into_iter()
            .map(|c| (c.question_id, c.due_at.unix_timestamp()))
            .collect();
        assert_eq!(due, vec![("q-2".into(), 3_000), ("q-1".into(), 5_000)]);
        assert_eq!(store.reviews_of("g1").await.expect("log").len(), 2);
        assert!(store.cards_of("g2").await.expect("other").is_empty());
    }

    async fn a_guest_s_cards_move_to_the_account_without_overwriting_its_own(
        store: Arc<dyn Store>,
        _url: &str,
    ) {
        for (attempt, owner, question, due) in [
            ("a1", "guest", "q-1", 100),
            ("a2", "guest", "q-2", 200),
            ("a3", "u-1", "q-2", 900),
        ] {
            record(
                &store,
                review(attempt, 1, owner, question),
                card(owner, question, due, 1),
            )
            .await;
        }
        store.adopt_guest("guest", "u-1").await.expect("adopt");
        let cards: Vec<(String, i64)> = store
            .cards_of("u-1")
            .await
            .expect("cards")
            .into_iter()
            .map(|c| (c.question_id, c.due_at.unix_timestamp()))
            .collect();
        assert_eq!(cards, vec![("q-1".into(), 100), ("q-2".into(), 900)]);
        assert!(store.cards_of("guest").await.expect("guest").is_empty());
        assert_eq!(store.reviews_of("u-1").await.expect("log").len(), 3);
    }

    async fn desired_retention_is_kept_per_identity(store: Arc<dyn Store>, _url: &str) {
        assert_eq!(store.desired_retention("u-1").await.expect("unset"), None);
        store.set_desired_retention("u-1", 0.85).await.expect("set");
        store
            .set_desired_retention("u-1", 0.92)
            .await
            .expect("reset");
        assert_eq!(
            store.desired_retention("u-1").await.expect("read"),
            Some(0.92)
        );
        assert_eq!(store.desired_retention("u-2").await.expect("other"), None);
    }
}

/// A database out of reach is told apart from a bad request: SQLite locked by another process
/// (here another connection holding an exclusive lock past the busy timeout) is "unavailable",
/// a missing row is not.
mod unavailable {
    use getmycert_store::StoreError;
    use getmycert_store::testing::{SqliteLock, TestDatabase};

    #[tokio::test]
    async fn a_locked_sqlite_database_is_unavailable_and_a_missing_row_is_not() {
        let db = TestDatabase::sqlite();
        let store = getmycert_store::connect(&db.url).await.expect("store");
        let missing = store.attempt("nope").await.expect_err("no such attempt");
        assert!(matches!(missing, StoreError::NotFound) && !missing.is_unavailable());
        let lock = SqliteLock::take(&db.url).await;
        // The store waits out its busy timeout (5 s), then gives up.
        let locked = store
            .save_answer("nope", 1, None, Some(true), time::OffsetDateTime::now_utc())
            .await
            .expect_err("the database is locked");
        assert!(locked.is_unavailable(), "{locked}");
        lock.release().await;
        store
            .health()
            .await
            .expect("answers again without a restart");
    }

    /// PostgreSQL refuses a NUL in text with SQLSTATE 22021: input that cannot be stored, not a
    /// database out of reach (its all-digit code once read as SQLite's BUSY).
    #[tokio::test]
    async fn a_nul_in_text_is_bad_input_on_both_backends() {
        let sqlite = TestDatabase::sqlite();
        let postgres = TestDatabase::postgres().await;
        for db in [Some(&sqlite), postgres.as_ref()].into_iter().flatten() {
            let store = getmycert_store::connect(&db.url).await.expect("store");
            let e = store.attempt("a\0b").await.expect_err("no such attempt");
            assert!(
                matches!(e, StoreError::NotFound | StoreError::Unstorable) && !e.is_unavailable(),
                "{}: {e:?}",
                db.url
            );
        }
    }

    /// A full disk (the database capped at its size, as `max_page_count` does) is unavailable
    /// like a lock: the API answers 503 and the candidate's runner retries.
    #[tokio::test]
    async fn a_full_sqlite_database_is_unavailable() {
        let db = TestDatabase::sqlite();
        let sqlite = getmycert_store::SqliteStore::connect(&db.url)
            .await
            .expect("store");
        let store: std::sync::Arc<dyn getmycert_store::Store> = std::sync::Arc::new(sqlite.clone());
        super::attempts::with_exam(&store).await;
        sqlite.fill_disk().await.expect("capped");
        let mut row = super::attempts::attempt("big", "guest-1", time::OffsetDateTime::now_utc());
        row.items = format!("[{}1]", "1,".repeat(200_000));
        let full = store.create_attempt(&row).await.expect_err("no room");
        assert!(full.is_unavailable(), "{full}");
        assert!(full.to_string().contains("full"), "{full}");
    }
}
