//! Spaced repetition over HTTP: feedback grades cards, submitted simulations add theirs, the
//! queue and the retention setting over the API and on the pages, on both backends.

use std::collections::BTreeMap;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::attempts::sit;
use crate::helpers::TestApp;
use crate::helpers::some_answer;

/// The queue of one exam from `GET /api/v1/review`.
async fn queue_of(app: &TestApp, exam: &str) -> Value {
    let (status, queue) = app
        .json(&app.client, Method::GET, "/api/v1/review", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    queue["exams"]
        .as_array()
        .expect("exams")
        .iter()
        .find(|e| e["exam"] == exam)
        .cloned()
        .unwrap_or_else(|| panic!("{exam} in {queue}"))
}

async fn start(app: &TestApp, exam: &str, mode: &str) -> (StatusCode, Value) {
    app.json(
        &app.client,
        Method::POST,
        "/api/v1/attempts",
        Some(json!({"exam": exam, "mode": mode, "count": 5, "seed": 9})),
    )
    .await
}

async fn answer(app: &TestApp, id: &str, n: usize) {
    let (_, item) = app.item(&app.client, id, n as u64).await;
    let (status, body) = app
        .json(
            &app.client,
            Method::PUT,
            &format!("/api/v1/attempts/{id}/items/{n}/response"),
            Some(some_answer(&item)),
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
}

async fn review_flow(app: TestApp) {
    let (status, empty) = app
        .json(&app.client, Method::GET, "/api/v1/review", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(empty["due"], 0);
    assert_eq!(empty["desired_retention"], 0.9);
    assert_eq!(queue_of(&app, "MLS-C01").await["cards"], 0);

    // Practice: revealing the feedback on an answered item grades its card; saving or reading
    // the runner page does not; an unanswered item has no feedback.
    let (status, practice) = start(&app, "MLS-C01", "practice").await;
    assert_eq!(status, StatusCode::CREATED, "{practice}");
    let id = practice["id"].as_str().expect("id").to_owned();
    answer(&app, &id, 1).await;
    let runner = app.get(&format!("/attempts/{id}/items/1")).await;
    assert_eq!(runner.status, StatusCode::OK);
    assert_eq!(
        queue_of(&app, "MLS-C01").await["cards"],
        0,
        "a save and a page view grade nothing"
    );
    let feedback = |n: usize| {
        let path = format!("/api/v1/attempts/{id}/items/{n}/feedback");
        let app = &app;
        async move { app.json(&app.client, Method::POST, &path, None).await }
    };
    let (status, reviewed) = feedback(1).await;
    assert_eq!(status, StatusCode::OK, "{reviewed}");
    assert!(reviewed["correct"].is_boolean() && reviewed["key"].is_object());
    assert_eq!(
        feedback(1).await.0,
        StatusCode::OK,
        "feedback can be revealed again"
    );
    let (status, body) = feedback(2).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let mls = queue_of(&app, "MLS-C01").await;
    assert_eq!(mls["cards"], 1, "{mls}");
    assert_eq!(mls["due"], 0);
    assert!(mls["next_due_at"].is_string(), "{mls}");
    let (status, body) = start(&app, "MLS-C01", "review").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body["error"]
            .as_str()
            .expect("error")
            .contains("nothing is due"),
        "{body}"
    );

    // A simulation gives no feedback before submit; at submit its answered items get cards.
    let (status, exam) = app
        .json(
            &app.client,
            Method::POST,
            "/api/v1/attempts",
            Some(json!({"exam": "AIF-C01", "mode": "exam", "seed": 4})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{exam}");
    let exam_id = exam["id"].as_str().expect("id").to_owned();
    for n in 1..=4 {
        answer(&app, &exam_id, n).await;
    }
    let (status, _) = app
        .json(
            &app.client,
            Method::POST,
            &format!("/api/v1/attempts/{exam_id}/items/1/feedback"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "no feedback during a simulation"
    );
    assert_eq!(queue_of(&app, "AIF-C01").await["cards"], 0);
    let (status, report) = app.submit(&app.client, &exam_id).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // A question is graded when all its parts in the attempt were answered.
    let mut answered: BTreeMap<&str, bool> = BTreeMap::new();
    for item in report["items"].as_array().expect("items") {
        *answered
            .entry(item["id"].as_str().expect("id"))
            .or_insert(true) &= !item["response"].is_null();
    }
    let graded = answered.values().filter(|all| **all).count();
    assert!(graded >= 1);
    assert_eq!(queue_of(&app, "AIF-C01").await["cards"], graded);

    // Retention: validated over the API, kept, and shown on the page.
    for bad in [json!({"desired_retention": 1.5}), json!({"retention": 0.8})] {
        let (status, body) = app
            .json(&app.client, Method::PUT, "/api/v1/review", Some(bad))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"].is_string());
    }
    let (status, queue) = app
        .json(
            &app.client,
            Method::PUT,
            "/api/v1/review",
            Some(json!({"desired_retention": 0.85})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue["desired_retention"], 0.85);

    let page = app.page("/review").await;
    assert!(
        page.contains("MLS-C01") && page.contains("AIF-C01"),
        "{page}"
    );
    assert!(page.contains(r#"value="85""#), "the setting is shown");
    let form = |value: &'static str| {
        app.client
            .post(format!("{}/review/retention", app.address))
            .form(&[("retention", value)])
            .send()
    };
    let refused = form("abc").await.expect("answered");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("is not a number") && body.contains(r#"value="abc""#));
    let refused = form("50").await.expect("answered");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let saved = form("92").await.expect("answered");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(app.page("/review?saved=1").await.contains("saved"));
    assert_eq!(queue_of(&app, "MLS-C01").await["cards"], 1);

    // The home and exam pages show the queue of this visitor.
    assert!(app.page("/").await.contains("Your progress"));
    let exam_page = app.page("/exams/mls-c01").await;
    assert!(exam_page.contains(r#"id="review-due""#), "{exam_page}");
    assert!(
        !app.page("/exams/aip-c01")
            .await
            .contains(r#"id="review-due""#),
        "no queue where there are no cards"
    );
}

#[tokio::test]
async fn spaced_repetition_over_http_on_sqlite() {
    review_flow(TestApp::spawn_with_bank().await).await;
}

#[tokio::test]
async fn spaced_repetition_over_http_on_postgres() {
    if let Some(app) = TestApp::spawn_postgres_with_bank().await {
        review_flow(app).await;
    }
}

async fn readiness_flow(app: TestApp) {
    let readiness = |exam: &'static str| {
        let app = &app;
        async move {
            app.json(
                &app.client,
                Method::GET,
                &format!("/api/v1/readiness/{exam}"),
                None,
            )
            .await
        }
    };
    let (status, before) = readiness("AIF-C01").await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert_eq!(before["status"], "not-enough-data");
    assert_eq!(
        (before["responses"].as_u64(), before["needed"].as_u64()),
        (Some(0), Some(20))
    );
    assert!(
        app.page("/exams/aif-c01")
            .await
            .contains("Answer 20 more AIF-C01 questions"),
        "the exam page says what is missing instead of guessing"
    );
    assert_eq!(
        readiness("XYZ-C01").await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // A whole simulation, every item answered, then submitted.
    let (id, items) = sit(&app, &app.client, "AIF-C01", 17).await;
    for n in 1..=items.len() {
        answer(&app, &id, n).await;
    }
    let (status, report) = app.submit(&app.client, &id).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    let (status, after) = readiness("aif-c01").await;
    assert_eq!(status, StatusCode::OK, "{after}");
    assert_eq!(after["status"], "estimate", "{after}");
    let figure = |k: &str| {
        after[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{k} in {after}"))
    };
    assert!(figure("responses") >= 20.0);
    assert!(
        100.0 <= figure("low") && figure("low") <= figure("scaled_score"),
        "{after}"
    );
    assert!(figure("scaled_score") <= figure("high") && figure("high") <= 1000.0);
    assert!((0.0..=1.0).contains(&figure("p_pass")));
    assert!((0.0..=1.0).contains(&figure("calibrated_share")));
    assert_eq!(after["domains"].as_array().map(Vec::len), Some(5));
    let page = app.page("/exams/aif-c01").await;
    assert!(
        page.contains(&format!("Estimated score {}", figure("scaled_score"))),
        "{page}"
    );
    assert!(app.page("/").await.contains("chance of passing"));
}

#[tokio::test]
async fn readiness_over_http_on_sqlite() {
    readiness_flow(TestApp::spawn_with_bank().await).await;
}

#[tokio::test]
async fn readiness_over_http_on_postgres() {
    if let Some(app) = TestApp::spawn_postgres_with_bank().await {
        readiness_flow(app).await;
    }
}

#[tokio::test]
async fn an_adaptive_drill_over_http_grows_as_it_is_answered() {
    let app = TestApp::spawn_with_bank().await;
    assert!(
        app.page("/practice?exam=MLS-C01")
            .await
            .contains("Start a drill")
    );
    let start = |count: u32, domain: u8| {
        let app = &app;
        let body = json!({"exam": "MLS-C01", "mode": "drill", "count": count, "domains": [domain]});
        async move {
            app.json(&app.client, Method::POST, "/api/v1/attempts", Some(body))
                .await
        }
    };
    let (status, body) = start(3, 7).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, drill) = start(5, 2).await;
    assert_eq!(status, StatusCode::CREATED, "{drill}");
    assert_eq!(drill["mode"], "drill");
    assert_eq!(drill["total"], 1);
    assert_eq!(drill["drill"]["done"], false);
    let id = drill["id"].as_str().expect("id").to_owned();
    for n in 1..=5 {
        answer(&app, &id, n).await;
        let (_, view) = app
            .json(
                &app.client,
                Method::GET,
                &format!("/api/v1/attempts/{id}"),
                None,
            )
            .await;
        let expected = if n < 5 { n + 1 } else { 5 };
        assert_eq!(view["total"], expected, "after answering {n}: {view}");
    }
    let (_, view) = app
        .json(
            &app.client,
            Method::GET,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(view["drill"]["done"], true, "the cap of 5 ends it: {view}");
    let page = app.page(&format!("/attempts/{id}/items/5")).await;
    assert!(page.contains("Adaptive drill"), "{page}");
    let (status, _) = app.submit(&app.client, &id).await;
    assert_eq!(status, StatusCode::OK);
}
