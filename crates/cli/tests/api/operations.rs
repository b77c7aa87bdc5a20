//! What an operator does to a running site: back it up while candidates answer, and restore
//! the copy into a fresh server that serves the same history.

use std::path::PathBuf;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, bank_copy};
use getmycert_store::testing::{SqliteLock, TestDatabase};

fn file_of(url: &str) -> PathBuf {
    PathBuf::from(url.trim_start_matches("sqlite://"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_saves_restores_into_a_server_with_the_same_history() {
    let app = TestApp::spawn_with_bank().await;
    let client = TestApp::new_client();
    let view = app
        .start(&client, json!({"exam": "AIF-C01", "mode": "exam"}))
        .await;
    let id = view["id"].as_str().expect("id").to_owned();
    let total = view["total"].as_u64().expect("total");
    let flag = |n: u64| {
        let (app, client, id) = (&app, &client, &id);
        async move {
            app.json(
                client,
                Method::PUT,
                &format!("/api/v1/attempts/{id}/items/{n}/response"),
                Some(json!({"flagged": true})),
            )
            .await
            .0
        }
    };
    // Half the items are flagged (and acknowledged) before the backup starts; the rest are
    // flagged while it runs.
    let half = total / 2;
    for n in 1..=half {
        assert_eq!(flag(n).await, StatusCode::OK);
    }
    let dir = tempfile::tempdir().expect("a directory");
    let copy = dir.path().join("backup.db");
    let url = app.args.database_url.clone();
    let backup = tokio::spawn({
        let copy = copy.clone();
        async move { getmycert::backup_cmd::run(&url, &copy).await }
    });
    for n in half + 1..=total {
        assert_eq!(flag(n).await, StatusCode::OK);
    }
    let bytes = backup.await.expect("joined").expect("backed up");
    assert!(bytes > 0);
    let again = getmycert::backup_cmd::run(&app.args.database_url, &copy).await;
    assert!(
        again.is_err_and(|e| e.contains("already exists")),
        "a backup never overwrites a file"
    );

    // Restore: the copy becomes the database of a fresh server.
    let restored_db = TestDatabase::sqlite();
    std::fs::copy(&copy, file_of(&restored_db.url)).expect("restored");
    let restored = TestApp::spawn_with(restored_db, bank_copy()).await;
    let (status, history) = restored
        .json(&client, Method::GET, "/api/v1/attempts", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        history.as_array().map(|a| a.len()),
        Some(1),
        "the guest's sitting is there: {history}"
    );
    for n in 1..=half {
        let (status, item) = restored.item(&client, &id, n).await;
        assert_eq!(status, StatusCode::OK, "{item}");
        assert_eq!(
            item["flagged"],
            json!(true),
            "item {n} was saved before the backup"
        );
    }
}

#[tokio::test]
async fn a_postgres_site_is_told_to_use_pg_dump() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("a directory");
    let error = getmycert::backup_cmd::run(&db.url, &dir.path().join("x.db"))
        .await
        .expect_err("not for PostgreSQL");
    assert!(error.contains("pg_dump"), "{error}");
}

/// A save that finds SQLite locked by another process (past the busy timeout) answers 503 with
/// a JSON reason and `Retry-After`; the same save succeeds once the lock is gone, without a
/// restart.
#[tokio::test]
async fn a_locked_database_answers_503_with_retry_after_and_recovers() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    let id = app.practice(&client, 5).await;
    let lock = SqliteLock::take(&app.args.database_url).await;
    app.flag(&client, &id, 1).await.assert_retry_later();
    lock.release().await;
    assert_eq!(
        app.flag(&client, &id, 1).await.status,
        StatusCode::OK,
        "recovered without a restart"
    );
}
