//! Attempts over the JSON API: full simulations on the real bank, scoring, integrity, the
//! deadline, malformed input and resuming after a restart.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, some_answer};

const SECRETS: [&str; 6] = [
    "\"rationale\"",
    "\"correct\"",
    "\"key\"",
    "\"explanation\"",
    "Why:",
    "\"scored\"",
];

/// The only fields an item may carry before submit.
fn assert_served_shape(item: &Value) {
    let allowed = [
        "n", "type", "stem", "options", "prompts", "select", "scenario", "flagged", "response",
    ];
    for key in item.as_object().expect("an object").keys() {
        assert!(
            allowed.contains(&key.as_str()),
            "unexpected field `{key}` in {item}"
        );
    }
    for option in item["options"].as_array().expect("options") {
        let keys: Vec<&String> = option.as_object().expect("an object").keys().collect();
        assert_eq!(
            keys,
            ["id", "text"],
            "an option carries only its id and text: {option}"
        );
    }
}

pub(crate) async fn sit(
    app: &TestApp,
    client: &reqwest::Client,
    exam: &str,
    seed: u64,
) -> (String, Vec<Value>) {
    let (status, started) = app
        .json(
            client,
            Method::POST,
            "/api/v1/attempts",
            Some(json!({"exam": exam, "mode": "exam", "seed": seed})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    let id = started["id"].as_str().expect("id").to_owned();
    let total = started["total"].as_u64().expect("total") as usize;
    let mut items = Vec::new();
    for n in 1..=total {
        let (status, item) = app.item(client, &id, n as u64).await;
        assert_eq!(status, StatusCode::OK);
        assert_served_shape(&item);
        let text = item.to_string();
        for secret in SECRETS {
            assert!(
                !text.contains(secret),
                "item {n} leaks `{secret}` before submit: {text}"
            );
        }
        items.push(item);
    }
    (id, items)
}

/// Exam, items in a sitting, minutes, domains, scored items.
type Simulation = (&'static str, usize, i64, usize, u64);

/// Every exam with a bank: its simulation's size, timing and report.
const SIMULATIONS: [Simulation; 4] = [
    ("MLS-C01", 65, 180, 4, 50),
    ("AIF-C01", 65, 90, 5, 50),
    ("MLA-C01", 65, 130, 4, 50),
    ("AIP-C01", 75, 180, 5, 65),
];

#[tokio::test]
async fn a_full_simulation_of_each_exam_with_a_bank_scores_and_reviews_every_item() {
    full_simulations(TestApp::spawn_with_bank().await, &SIMULATIONS).await;
}

#[tokio::test]
async fn a_full_aip_c01_simulation_on_postgres() {
    let Some(app) = TestApp::spawn_postgres_with_bank().await else {
        return;
    };
    full_simulations(app, &SIMULATIONS[3..]).await;
}

async fn full_simulations(app: TestApp, simulations: &[Simulation]) {
    for &(exam, total, minutes, domains, scored_items) in simulations {
        // One candidate per exam: API writes are rate-limited per identity.
        let client = TestApp::new_client();
        let (id, items) = sit(&app, &client, exam, 11).await;
        assert_eq!(items.len(), total);
        let (_, view) = app
            .json(
                &client,
                Method::GET,
                &format!("/api/v1/attempts/{id}"),
                None,
            )
            .await;
        let left = view["seconds_left"].as_i64().expect("seconds left");
        assert!(
            (minutes * 60 - 5..=minutes * 60).contains(&left),
            "{exam}: {left} s left"
        );
        for item in &items {
            let n = item["n"].as_u64().expect("n");
            let (status, saved) = app
                .json(
                    &client,
                    Method::PUT,
                    &format!("/api/v1/attempts/{id}/items/{n}/response"),
                    Some(some_answer(item)),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{saved}");
            assert_eq!(
                (&saved["n"], &saved["answered"], &saved["flagged"]),
                (&json!(n), &json!(true), &json!(false)),
                "a save answers with the item's state: {saved}"
            );
            assert!(saved["seconds_left"].as_i64().is_some_and(|s| s > 0));
            let (_, served) = app.item(&client, &id, n).await;
            assert_eq!(
                served["response"],
                some_answer(item),
                "the saved answer is served back"
            );
            assert_served_shape(&served);
            for secret in SECRETS {
                assert!(
                    !saved.to_string().contains(secret) && !served.to_string().contains(secret),
                    "a response body leaks `{secret}`"
                );
            }
        }
        let (status, early) = app
            .json(
                &client,
                Method::GET,
                &format!("/api/v1/attempts/{id}/report"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{early}");
        let (status, report) = app.submit(&client, &id).await;
        assert_eq!(status, StatusCode::OK, "{report}");
        let scaled = report["scaled_score"].as_u64().expect("score");
        assert!((100..=1000).contains(&scaled));
        assert_eq!(report["estimate"], true);
        assert_eq!(
            report["passed"],
            scaled >= report["passing_score"].as_u64().expect("cut")
        );
        let domain_rows = report["domains"].as_array().expect("domains");
        assert_eq!(domain_rows.len(), domains);
        let scored: u64 = domain_rows
            .iter()
            .map(|d| d["total"].as_u64().expect("total"))
            .sum();
        assert_eq!(scored, scored_items, "{exam}: unscored items never count");
        for d in domain_rows {
            assert!(
                ["Meets competencies", "Needs improvement"]
                    .contains(&d["verdict"].as_str().expect("verdict"))
            );
        }
        let reviewed = report["items"].as_array().expect("items");
        assert_eq!(reviewed.len(), total);
        assert!(reviewed.iter().all(|i| {
            i["options"]
                .as_array()
                .expect("options")
                .iter()
                .all(|o| !o["rationale"].as_str().expect("rationale").is_empty())
        }));
        assert!(reviewed.iter().all(
            |i| !i["explanation"].as_str().expect("explanation").is_empty()
                && !i["references"].as_array().expect("refs").is_empty()
        ));
        let (status, late) = app
            .json(
                &client,
                Method::PUT,
                &format!("/api/v1/attempts/{id}/items/1/response"),
                Some(some_answer(&items[0])),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{late}");
        let (status, _) = app.submit(&client, &id).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let (status, again) = app
            .json(
                &client,
                Method::GET,
                &format!("/api/v1/attempts/{id}/report"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["scaled_score"], report["scaled_score"]);
        let (_, history) = app
            .json(&client, Method::GET, "/api/v1/attempts", None)
            .await;
        assert_eq!(history.as_array().expect("history").len(), 1);
    }
}

#[tokio::test]
async fn answering_every_key_scores_1000_and_a_blank_form_scores_100() {
    let app = TestApp::spawn_with_bank().await;
    // A first candidate sits the form blank and reads the keys in the review.
    let first = TestApp::new_client();
    let (id, _) = sit(&app, &first, "MLS-C01", 5).await;
    let (_, blank) = app.submit(&first, &id).await;
    assert_eq!(blank["scaled_score"], 100);
    assert_eq!(blank["passed"], false);
    assert!(
        blank["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["correct"] == false && i["response"].is_null())
    );
    // A second candidate, same seed, same form and option order: answers with those keys.
    let second = TestApp::new_client();
    let (id2, items) = sit(&app, &second, "MLS-C01", 5).await;
    for (item, reviewed) in items.iter().zip(blank["items"].as_array().expect("items")) {
        assert_eq!(item["stem"], reviewed["stem"], "the seed replays the form");
        let n = item["n"].as_u64().expect("n");
        let (status, body) = app
            .json(
                &second,
                Method::PUT,
                &format!("/api/v1/attempts/{id2}/items/{n}/response"),
                Some(reviewed["key"].clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, full) = app.submit(&second, &id2).await;
    assert_eq!(full["scaled_score"], 1000);
    assert_eq!(full["passed"], true);
    assert!(
        full["domains"]
            .as_array()
            .expect("domains")
            .iter()
            .all(|d| d["verdict"] == "Meets competencies")
    );
}

#[tokio::test]
async fn malformed_responses_and_foreign_attempts_are_refused_without_storing() {
    let app = TestApp::spawn_with_bank().await;
    let owner = TestApp::new_client();
    let (status, started) = app
        .json(
            &owner,
            Method::POST,
            "/api/v1/attempts",
            Some(json!({"exam": "AIF-C01", "mode": "practice", "count": 5, "seed": 3})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{started}");
    assert_eq!(started["total"], 5);
    assert!(
        started["deadline"].is_null(),
        "an untimed practice set has no deadline"
    );
    let id = started["id"].as_str().expect("id");
    let put = |n: &str, body: Value| {
        let app = &app;
        let owner = &owner;
        let path = format!("/api/v1/attempts/{id}/items/{n}/response");
        async move { app.json(owner, Method::PUT, &path, Some(body)).await }
    };
    for (n, body, message) in [
        ("1", json!({"selected": ["Z"]}), "does not exist"),
        ("1", json!({"order": 5}), "does not fit"),
        (
            "1",
            json!({"selected": ["A"], "extra": 1}),
            "unexpected fields",
        ),
        ("1", json!([1, 2]), "must be a JSON object"),
        ("99", json!({"flagged": true}), "out of range"),
        ("zero", json!({"flagged": true}), "not an item number"),
    ] {
        let (status, error) = put(n, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert!(
            error["error"].as_str().expect("message").contains(message),
            "{body}: {error}"
        );
    }
    let (_, view) = app
        .json(&owner, Method::GET, &format!("/api/v1/attempts/{id}"), None)
        .await;
    assert_eq!(
        (view["answered"].as_u64(), view["flagged"].as_u64()),
        (Some(0), Some(0)),
        "nothing was stored"
    );
    let (status, _) = put("2", json!({"flagged": true})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, view) = app
        .json(&owner, Method::GET, &format!("/api/v1/attempts/{id}"), None)
        .await;
    assert_eq!(
        (view["answered"].as_u64(), view["flagged"].as_u64()),
        (Some(0), Some(1))
    );

    let stranger = TestApp::new_client();
    for (method, path) in [
        (Method::GET, format!("/api/v1/attempts/{id}")),
        (Method::GET, format!("/api/v1/attempts/{id}/items/1")),
        (Method::POST, format!("/api/v1/attempts/{id}/submit")),
        (Method::GET, format!("/api/v1/attempts/{id}/report")),
    ] {
        let (status, _) = app.json(&stranger, method, &path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = app
        .json(
            &stranger,
            Method::PUT,
            &format!("/api/v1/attempts/{id}/items/1/response"),
            Some(json!({"selected": ["A"]})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    for (body, message) in [
        (
            json!({"exam": "XYZ-C09", "mode": "exam"}),
            "no exam XYZ-C09",
        ),
        (
            json!({"exam": "AIF-C01", "mode": "cram"}),
            "mode: unknown variant `cram`",
        ),
        (
            json!({"exam": "AIF-C01", "mode": "practice", "count": 500}),
            "count must be 5 to 100",
        ),
        (
            json!({"exam": "DVA-C02", "mode": "exam"}),
            "cannot be drawn",
        ),
        (json!({"exam": "AIF-C01"}), "missing field"),
    ] {
        let (status, error) = app
            .json(&owner, Method::POST, "/api/v1/attempts", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert!(
            error["error"].as_str().expect("message").contains(message),
            "{body}: {error}"
        );
    }
}

#[tokio::test]
async fn an_attempt_resumes_after_a_restart_with_its_answers_and_deadline() {
    let app = TestApp::spawn_with_bank().await;
    let client = TestApp::new_client();
    let (id, items) = sit(&app, &client, "AIF-C01", 21).await;
    for item in &items[..10] {
        let n = item["n"].as_u64().expect("n");
        let (status, body) = app
            .json(
                &client,
                Method::PUT,
                &format!("/api/v1/attempts/{id}/items/{n}/response"),
                Some(some_answer(item)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, before) = app
        .json(
            &client,
            Method::GET,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    let (db, content) = app.stop().await;
    let again = TestApp::spawn_with(db, content).await;
    let (status, after) = again
        .json(
            &client,
            Method::GET,
            &format!("/api/v1/attempts/{id}"),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the same identity cookie still owns the attempt"
    );
    assert_eq!(after["answered"], 10);
    assert_eq!(after["deadline"], before["deadline"]);
    let (_, fifth) = again
        .json(
            &client,
            Method::GET,
            &format!("/api/v1/attempts/{id}/items/5"),
            None,
        )
        .await;
    assert_eq!(fifth["response"], some_answer(&items[4]));
}
