//! One suite, two backends: every test here runs against SQLite and against PostgreSQL.

use std::sync::Arc;

use getmycert_core::fixtures::sample_exam;
use getmycert_core::{Exam, Level};
use getmycert_store::testing::TestDatabase;
use getmycert_store::{Backend, Store, SyncReport, connect};

/// Expands each test into `sqlite::name` and `postgres::name`.
macro_rules! store_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = super::TestDatabase::sqlite();
                    let store = super::connect(&db.url).await.expect("connect");
                    assert_eq!(store.backend(), super::Backend::Sqlite);
                    super::$name(store.clone(), &db.url).await;
                    store.close().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = super::TestDatabase::postgres().await else { return };
                    let store = super::connect(&db.url).await.expect("connect");
                    assert_eq!(store.backend(), super::Backend::Postgres);
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
