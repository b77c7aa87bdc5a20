//! The sitting as pages, without JavaScript: start, answer, flag, review, submit, report.

use reqwest::StatusCode;

use crate::helpers::{TestApp, count};

impl TestApp {
    /// POSTs a form with `client`; returns the status, the redirect target and the body.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, String, String) {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let response = client
            .post(format!("{}{path}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("answered");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        (status, location, response.text().await.expect("body"))
    }

    /// GETs a page with `client`: status and body.
    pub async fn page_as(&self, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
        let response = client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("answered");
        (response.status(), response.text().await.expect("body"))
    }
}

/// The form fields that answer the runner page's question with its first option(s).
fn first_answer(page: &str) -> Vec<(String, String)> {
    let kind = page
        .split("data-kind=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("kind");
    let select: usize = page
        .split("data-select=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .expect("select");
    let values = |marker: &str| -> Vec<String> {
        page.split(marker)
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .map(str::to_owned)
            .collect()
    };
    match kind {
        "single" | "multiple" => values("name=\"selected\" value=\"")
            .into_iter()
            .take(select)
            .map(|v| ("selected".into(), v))
            .collect(),
        "ordering" => values("<select id=\"pos-")
            .into_iter()
            .enumerate()
            .map(|(i, id)| (format!("pos-{id}"), (i + 1).to_string()))
            .collect(),
        "matching" => values("<select id=\"match-")
            .into_iter()
            .map(|id| (format!("match-{id}"), "A".to_string()))
            .collect(),
        other => panic!("kind {other}"),
    }
}

#[tokio::test]
async fn a_simulation_through_the_pages_from_start_to_report() {
    let app = TestApp::spawn_with_bank().await;
    let me = TestApp::new_client();
    let (status, start) = app.page_as(&me, "/practice").await;
    assert_eq!(status, StatusCode::OK);
    assert!(start.contains("AIF-C01") && start.contains("MLS-C01"));
    let (status, location, _) = app
        .post_form(
            &me,
            "/practice/start",
            &[("exam", "AIF-C01"), ("mode", "exam")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.ends_with("/items/1"), "{location}");
    let attempt = location.trim_end_matches("/items/1").to_owned();

    let (status, first) = app.page_as(&me, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(first.contains("<strong>1 of 65</strong>"));
    assert!(first.contains("Time left"));
    for secret in [
        "class=\"rationale\"",
        "option key",
        "Explanation",
        "Check answer",
    ] {
        assert!(
            !first.contains(secret),
            "the exam runner shows `{secret}` before submit"
        );
    }
    let answer = first_answer(&first);
    let mut form: Vec<(&str, &str)> = answer
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.extend([("flag_present", "1"), ("go", "next")]);
    let (status, next, _) = app.post_form(&me, &location, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(next.ends_with("/items/2"), "{next}");
    let (_, second, _) = app
        .post_form(
            &me,
            &format!("{attempt}/items/2"),
            &[("flag_present", "1"), ("flagged", "1"), ("go", "review")],
        )
        .await;
    assert!(second.ends_with("/review"), "{second}");
    let (_, review) = app.page_as(&me, &format!("{attempt}/review")).await;
    assert!(review.contains("1 of 65 answered"), "{review}");
    assert!(review.contains("1 flagged"));
    assert!(review.contains("64 question(s) unanswered"));
    assert_eq!(count(&review, "class=\"unanswered"), 64);

    let (status, reported, _) = app
        .post_form(&me, &format!("{attempt}/submit"), &[("confirm", "1")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(reported.ends_with("/report"));
    let (_, report) = app.page_as(&me, &format!("{attempt}/report")).await;
    assert!(report.contains("estimated scaled score"));
    assert!(report.contains("This is an estimate"));
    assert_eq!(count(&report, "class=\"card wide reviewed\""), 65);
    assert_eq!(
        count(&report, "Report a problem with this question"),
        65,
        "every reviewed item can be reported"
    );
    assert_eq!(
        count(&report, "Needs improvement") + count(&report, "Meets competencies"),
        5
    );
    assert!(
        count(&report, "class=\"rationale\"") >= 65 * 3,
        "every option's rationale is shown"
    );
    let (_, flagged) = app
        .page_as(&me, &format!("{attempt}/report?show=flagged"))
        .await;
    assert_eq!(count(&flagged, "class=\"card wide reviewed\""), 1);
    let (_, wrong) = app
        .page_as(&me, &format!("{attempt}/report?show=wrong"))
        .await;
    assert!(count(&wrong, "class=\"card wide reviewed\"") >= 64);

    // After submit the runner sends the candidate to the report and stores nothing.
    let (status, late, _) = app
        .post_form(&me, &format!("{attempt}/items/3"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(late.ends_with("/report"));
    let (_, history) = app.page_as(&me, "/practice").await;
    assert!(
        history.contains("Submitted · estimated"),
        "the history lists the attempt"
    );

    let stranger = TestApp::new_client();
    assert_eq!(
        app.page_as(&stranger, &format!("{attempt}/items/1"))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.page_as(&stranger, &format!("{attempt}/report")).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn practice_shows_the_key_and_every_rationale_after_each_answer() {
    let app = TestApp::spawn_with_bank().await;
    let me = TestApp::new_client();
    let (status, location, _) = app
        .post_form(
            &me,
            "/practice/start",
            &[
                ("exam", "AIF-C01"),
                ("mode", "practice"),
                ("domain", "3"),
                ("count", "5"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.page_as(&me, &location).await;
    assert!(page.contains("<strong>1 of 5</strong>"));
    assert!(page.contains("Check answer"));
    assert!(!page.contains("class=\"rationale\""));
    let answer = first_answer(&page);
    let mut form: Vec<(&str, &str)> = answer
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("go", "check"));
    let (_, back, _) = app.post_form(&me, &location, &form).await;
    assert!(back.ends_with("/items/1"));
    let (_, checked) = app.page_as(&me, &location).await;
    assert!(checked.contains("Correct") || checked.contains("Not quite"));
    assert!(
        count(&checked, "class=\"rationale\"") >= 3,
        "every option's rationale"
    );
    assert!(
        checked.contains("rel=\"noopener noreferrer\""),
        "references are listed"
    );
    assert!(checked.contains("Report a problem with this question"));
}

#[tokio::test]
async fn a_bad_start_form_comes_back_with_the_reason() {
    let app = TestApp::spawn_with_bank().await;
    let me = TestApp::new_client();
    for (form, message) in [
        (
            vec![("exam", "AIF-C01"), ("mode", "practice"), ("count", "500")],
            "count must be 5 to 100",
        ),
        (
            vec![("exam", "AIF-C01"), ("mode", "practice"), ("count", "many")],
            "is not a number",
        ),
        (
            vec![("exam", "AIF-C01"), ("mode", "missed")],
            "no missed questions",
        ),
    ] {
        let (status, _, body) = app.post_form(&me, "/practice/start", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(body.contains(message), "{form:?}: {message}");
    }
}

#[tokio::test]
async fn a_practice_set_can_be_built_from_chosen_task_statements() {
    let app = TestApp::spawn_with_bank().await;
    let me = TestApp::new_client();
    let (_, start) = app.page_as(&me, "/practice?exam=MLS-C01").await;
    assert!(
        start.contains("name=\"task\" value=\"3.4\""),
        "task statements are offered"
    );
    let (status, location, _) = app
        .post_form(
            &me,
            "/practice/start",
            &[
                ("exam", "MLS-C01"),
                ("mode", "practice"),
                ("task", "3.4"),
                ("task", "4.3"),
                ("count", "8"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let attempt = location
        .trim_end_matches("/items/1")
        .trim_start_matches(&app.address)
        .trim_start_matches("/attempts/")
        .to_owned();
    let (_, report) = app
        .json(
            &me,
            reqwest::Method::POST,
            &format!("/api/v1/attempts/{attempt}/submit"),
            None,
        )
        .await;
    let tasks: Vec<&str> = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["task"].as_str().expect("task"))
        .collect();
    assert_eq!(tasks.len(), 8);
    assert!(
        tasks.iter().all(|t| *t == "3.4" || *t == "4.3"),
        "{tasks:?}"
    );
    assert!(
        tasks.contains(&"3.4") && tasks.contains(&"4.3"),
        "spread over both tasks: {tasks:?}"
    );
}
