//! The certification tracker: an account records what it holds (`POST /api/v1/certifications`),
//! reads each with its expiry, the exams that renew it and its reminder day, forgets one; bad
//! input is a 422 that stores nothing; guests are told to sign in; the records go out with the
//! account export and leave with the account; the path marks them, the page lists them, the
//! calendar reminds. Both backends.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

const PASSWORD: &str = "correct horse battery staple 42";

async fn certifications_are_tracked(app: TestApp) {
    let client = TestApp::new_client();
    let (status, _) = app
        .json(&client, Method::GET, "/api/v1/certifications", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "guests have none");
    let (status, _) = app.register(&client, "holder@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED);

    let record = |exam: &str, earned: &str| {
        let body = json!({"exam": exam, "earned": earned});
        let (app, client) = (&app, &client);
        async move {
            app.json(client, Method::POST, "/api/v1/certifications", Some(body))
                .await
        }
    };
    let (status, held) = record("AIF-C01", "2025-01-15").await;
    assert_eq!(status, StatusCode::CREATED, "{held}");
    assert_eq!(
        held,
        json!({"exam": "AIF-C01", "earned": "2025-01-15", "expires": "2028-01-15",
               "renewed_by": ["MLA-C01"], "remind_on": "2027-07-15"})
    );
    for (exam, earned, field) in [
        ("XYZ-C01", "2025-01-15", "no exam XYZ-C01"),
        ("AIF-C01", "2999-01-01", "in the future"),
        ("AIF-C01", "15/01/2025", "a date like"),
    ] {
        let (status, error) = record(exam, earned).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{exam} {earned}");
        assert!(
            error["error"].as_str().is_some_and(|e| e.contains(field)),
            "{error}"
        );
    }
    let (status, _) = record("SAA-C03", "2024-06-30").await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list) = app
        .json(&client, Method::GET, "/api/v1/certifications", None)
        .await;
    let codes: Vec<&str> = list
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["exam"].as_str().expect("exam"))
        .collect();
    assert_eq!(
        codes,
        ["AIF-C01", "SAA-C03"],
        "nothing stored by the refusals"
    );

    // The path marks what is held and suggests what comes next.
    let path = app.page_with(&client, "/path").await;
    assert!(path.contains("Held · expires 2028-01-15"), "{path}");
    assert_eq!(path.matches("Suggested next").count(), 1);
    // The page's form: per-field messages, the input kept, nothing stored; then a record.
    let (status, _, body) = app
        .post_form(
            &client,
            "/certifications",
            &[("exam", ""), ("earned", "2025-01-01")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"exam-error\"") && body.contains("value=\"2025-01-01\""));
    let (status, _, body) = app
        .post_form(
            &client,
            "/certifications",
            &[("exam", "DEA-C01"), ("earned", "soon")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"earned-error\"") && body.contains("Give the day it was earned"));
    let (status, location, _) = app
        .post_form(
            &client,
            "/certifications",
            &[("exam", "DEA-C01"), ("earned", "2025-05-05")],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (StatusCode::SEE_OTHER, "/certifications")
    );
    let (status, _) = app
        .json(
            &client,
            Method::DELETE,
            "/api/v1/certifications/DEA-C01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // The page lists them; the calendars remind six months ahead.
    let page = app.page_with(&client, "/certifications").await;
    assert!(page.contains("2027-07-15") && page.contains("MLA-C01"));
    let ics = app.page_with(&client, "/certifications.ics").await;
    assert!(
        ics.contains("SUMMARY:Renew AIF-C01 (expires 2028-01-15)"),
        "{ics}"
    );
    assert!(ics.contains("DTSTART;VALUE=DATE:20270715"), "{ics}");
    let plan = app
        .page_with(
            &client,
            "/plan.ics?exam=MLA-C01&ml_years=1&aws_years=1&hours_per_week=6&exam_date=",
        )
        .await;
    assert!(
        plan.contains("Renew SAA-C03"),
        "the plan's calendar carries the reminders"
    );

    // The export carries them; forgetting one and deleting the account remove them.
    let export = app.page_with(&client, "/account/export").await;
    let export: serde_json::Value = serde_json::from_str(&export).expect("JSON");
    assert_eq!(export["certifications"].as_array().map(Vec::len), Some(2));
    let (status, _) = app
        .json(
            &client,
            Method::DELETE,
            "/api/v1/certifications/saa-c03",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app
        .json(
            &client,
            Method::DELETE,
            "/api/v1/certifications/SAA-C03",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let deleted = client
        .post(format!("{}/account/delete", app.address))
        .form(&[("confirm_password", PASSWORD)])
        .send()
        .await
        .expect("answered");
    assert!(deleted.status().is_redirection() || deleted.status().is_success());
    let (status, _) = app.register(&client, "holder@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::CREATED, "the address is free again");
    let (_, list) = app
        .json(&client, Method::GET, "/api/v1/certifications", None)
        .await;
    assert_eq!(list, json!([]), "nothing of the deleted account remains");
}

#[tokio::test]
async fn certifications_are_tracked_on_sqlite() {
    certifications_are_tracked(TestApp::spawn().await).await;
}

#[tokio::test]
async fn certifications_are_tracked_on_postgres() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    certifications_are_tracked(app).await;
}
