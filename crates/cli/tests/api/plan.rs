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

/// Properties of each event of an iCalendar text, read by an independent parser (`ical`).
fn events(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("valid iCalendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
                .collect()
        })
        .collect()
}

#[tokio::test]
async fn the_plan_downloads_as_a_calendar_whose_entries_keep_their_ids() {
    let app = TestApp::spawn().await;
    let query = "exam=MLA-C01&ml_years=1&aws_years=1&hours_per_week=6&exam_date=2027-09-01";
    let page = app.page(&format!("/plan?{query}")).await;
    let link = format!("href=\"/plan.ics?{}\"", query.replace('&', "&#38;"));
    assert!(page.contains(&link), "the page links it");
    let response = app
        .client
        .get(format!("{}/plan.ics?{query}", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/calendar"));
    assert!(header("content-disposition").contains("getmycert-plan-MLA-C01.ics"));
    let text = response.text().await.expect("a body");
    let first = events(&text);
    assert!(first.len() > 10, "{} entries", first.len());
    let ids: std::collections::HashSet<&String> = first.iter().map(|e| &e["UID"]).collect();
    assert_eq!(ids.len(), first.len(), "every entry has its own id");
    for event in &first {
        assert!(
            event["DTSTART"].len() == 8 && event.contains_key("SUMMARY"),
            "a whole-day entry with a title: {event:?}"
        );
    }
    let exam = first
        .iter()
        .find(|e| e["SUMMARY"] == "MLA-C01 exam")
        .expect("the exam day");
    assert_eq!(exam["DTSTART"], "20270901");

    // Asked again, the same entries with the same ids: a calendar updates instead of doubling.
    let again = events(&app.page(&format!("/plan.ics?{query}")).await);
    let again_ids: std::collections::HashSet<&String> = again.iter().map(|e| &e["UID"]).collect();
    assert_eq!(again_ids, ids);

    // A form with errors is the plan page with its messages, not a broken file.
    let bad = app.get("/plan.ics?exam=MLA-C01&hours_per_week=lots").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Please correct"), "{}", bad.body);
}
