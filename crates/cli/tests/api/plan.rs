//! The study-plan advisor over HTTP: a plan for good input, the form with messages for bad.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_empty_form_offers_bookable_exams_only() {
    let app = TestApp::spawn().await;
    let body = app.page("/plan").await;
    assert!(body.contains("<option value=\"AIP-C01\""));
    assert!(
        !body.contains("<option value=\"MLS-C01\""),
        "a retired exam is not offered"
    );
    assert!(!body.contains("Week 1"));
}

#[tokio::test]
async fn a_newcomer_gets_a_foundation_first_week_by_week_plan() {
    let app = TestApp::spawn().await;
    let body = app
        .page("/plan?exam=AIP-C01&ml_years=0&aws_years=0&hours_per_week=8&exam_date=")
        .await;
    assert!(body.contains("build the foundation first"), "{body}");
    for code in ["AIF-C01", "MLA-C01", "AIP-C01"] {
        assert!(body.contains(&format!("href=\"/exams/{}\"", code.to_lowercase())));
    }
    assert!(body.contains("Week 1 "));
    assert!(body.contains("First full 65-question simulation"));
    assert!(body.contains("First full 75-question simulation"));
    assert!(body.contains("Exam week: sit AIP-C01"));
    assert!(
        body.contains("Domain 1 Foundation Model Integration, Data Management, and Compliance")
    );
}

#[tokio::test]
async fn a_date_too_close_is_called_out() {
    let app = TestApp::spawn().await;
    let soon = (time::OffsetDateTime::now_utc().date() + time::Duration::days(15)).to_string();
    let body = app
        .page(&format!(
            "/plan?exam=MLA-C01&ml_years=3&aws_years=3&hours_per_week=5&exam_date={soon}"
        ))
        .await;
    assert!(
        body.contains(&format!("Your exam date {soon} leaves 2 week(s)")),
        "{body}"
    );
}

#[tokio::test]
async fn bad_input_comes_back_in_the_form_with_a_message_per_field() {
    let app = TestApp::spawn().await;
    let page = app
        .get("/plan?exam=MLS-C01&ml_years=-2&aws_years=lots&hours_per_week=-5&exam_date=2020-01-01")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = page.body;
    assert!(body.contains("Please correct 5 field(s)"));
    assert!(body.contains("MLS-C01 is retired"));
    assert!(body.contains("cannot be negative"));
    assert!(body.contains("as a number"));
    assert!(body.contains("Hours a week cannot be negative."));
    assert!(body.contains("2020-01-01 is not in the future"));
    assert!(
        body.contains("value=\"lots\""),
        "what the user typed is kept"
    );
    assert_eq!(body.matches("aria-invalid=\"true\"").count(), 5);
    assert!(!body.contains("Week 1 "));
}
