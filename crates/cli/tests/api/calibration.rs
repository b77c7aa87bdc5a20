//! Calibration end to end: candidates submit practice sets, `getmycert calibrate` reads their
//! first attempts, and authors see the item statistics and flags on `/author/items`.

use std::process::Command;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, some_answer};
use crate::staff::{GOOD, signed_in, user_cmd};

const CANDIDATES: usize = 24;

/// `getmycert calibrate --json` against the app's database and content.
fn calibrate(app: &TestApp) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_getmycert"))
        .arg("--database-url")
        .arg(&app.args.database_url)
        .arg("--content-dir")
        .arg(app.args.content_dir.as_ref().expect("content dir"))
        .args(["calibrate", "--json"])
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[tokio::test]
async fn calibration_turns_first_attempts_into_item_statistics_for_authors() {
    let app = TestApp::spawn_with_bank().await;
    assert_eq!(
        calibrate(&app)["exams"],
        json!([]),
        "nothing to calibrate yet"
    );

    // Every candidate gets the same 6-item form (same seed, nothing seen before) and chooses
    // the first option everywhere: items are then all right or all wrong.
    let mut form: Vec<String> = Vec::new();
    for _ in 0..CANDIDATES {
        let client = TestApp::new_client();
        let (status, started) = app
            .json(
                &client,
                Method::POST,
                "/api/v1/attempts",
                Some(json!({"exam": "AIF-C01", "mode": "practice", "count": 6, "seed": 21})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{started}");
        let id = started["id"].as_str().expect("id").to_owned();
        for n in 1..=6 {
            let (_, item) = app.item(&client, &id, n as u64).await;
            let path = format!("/api/v1/attempts/{id}/items/{n}/response");
            let (status, _) = app
                .json(&client, Method::PUT, &path, Some(some_answer(&item)))
                .await;
            assert!(status.is_success());
        }
        let (status, report) = app.submit(&client, &id).await;
        assert_eq!(status, StatusCode::OK);
        let ids: Vec<String> = report["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["id"].as_str().expect("id").to_owned())
            .collect();
        if form.is_empty() {
            form = ids;
        } else {
            assert_eq!(form, ids, "the same form for every new candidate");
        }
    }

    let summary = calibrate(&app);
    let exams = summary["exams"].as_array().expect("exams");
    assert_eq!(exams.len(), 1, "{summary}");
    let aif = &exams[0];
    assert_eq!(aif["exam"], "AIF-C01");
    assert_eq!(aif["candidates"], CANDIDATES);
    assert_eq!(aif["responses"], CANDIDATES * 6);
    assert_eq!(aif["items"], 6);
    assert_eq!(
        aif["flagged"], 6,
        "all right or all wrong: every item is too easy or too hard"
    );

    // Authors only; the page lists every item part with its figures and flags.
    let guest = TestApp::new_client();
    assert_ne!(app.page_as(&guest, "/author/items").await.0, StatusCode::OK);
    let (ok, out) = user_cmd(
        &app,
        &["create", "--email", "aut@example.com", "--role", "author"],
        &format!("{GOOD}\n"),
    );
    assert!(ok, "{out}");
    let author = signed_in(&app, "aut@example.com").await;
    let (status, page) = app.page_as(&author, "/author/items?exam=AIF-C01").await;
    assert_eq!(status, StatusCode::OK);
    for id in &form {
        assert!(page.contains(id.as_str()), "{id} listed");
    }
    assert_eq!(
        page.matches("too easy").count() + page.matches("too hard").count(),
        6,
        "one flag per item"
    );
    assert!(
        page.contains(&format!("<td>{CANDIDATES}</td>")),
        "responses shown"
    );
    assert!(
        page.contains("100%") || page.contains("0%"),
        "choice rates shown"
    );
    let (status, location, _) = app.post_form(&author, "/author/items/calibrate", &[]).await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/author/items")
    );
}
