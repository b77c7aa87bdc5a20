//! The question browser over HTTP: listing with filters, and answer-then-reveal without
//! JavaScript, for every item type.

use reqwest::StatusCode;

use crate::helpers::{TestApp, count};

impl TestApp {
    /// POSTs a form body to a question page.
    pub async fn answer(&self, id: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let response = self
            .client
            .post(format!("{}/questions/{id}", self.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(form))
            .send()
            .await
            .expect("answered");
        let status = response.status();
        (status, response.text().await.expect("body"))
    }
}

fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[tokio::test]
async fn the_listing_shows_live_items_and_filters_them() {
    let app = TestApp::spawn().await;
    let all = app.page("/questions").await;
    assert!(all.contains("5 questions"), "{all}");
    for id in [
        "aif-textract-claim-forms",
        "aif-bedrock-kb-policy-chatbot",
        "aif-ml-lifecycle-order",
        "aif-ai-services-matching",
        "aif-bank-assistant-case",
    ] {
        assert!(
            all.contains(&format!("href=\"/questions/{id}\"")),
            "{id} listed"
        );
    }
    let task = app.page("/questions?exam=AIF-C01&task=1.2").await;
    assert!(task.contains("2 questions"));
    assert!(task.contains("aif-textract-claim-forms") && task.contains("aif-ai-services-matching"));
    let domain = app.page("/questions?exam=AIF-C01&task=3").await;
    assert!(
        domain.contains("2 questions"),
        "domain 3 holds the RAG item and the case study"
    );
    let words = app.page("/questions?q=scanned+claim").await;
    assert!(words.contains("1 question<") && words.contains("aif-textract-claim-forms"));
    let kind = app.page("/questions?type=ordering").await;
    assert!(kind.contains("1 question<") && kind.contains("aif-ml-lifecycle-order"));
    let tag = app.page("/questions?tag=guardrails").await;
    assert!(tag.contains("aif-bank-assistant-case"));
    let mls = app.page("/questions?exam=MLS-C01").await;
    assert!(mls.contains("0 questions"));
}

#[tokio::test]
async fn bad_filters_come_back_with_a_message_per_field() {
    let app = TestApp::spawn().await;
    let page = app
        .get("/questions?exam=XYZ-C09&type=essay&tag=nothing&page=zero")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("There is no exam `XYZ-C09`"));
    assert!(page.body.contains("`essay` is not a question type."));
    assert!(page.body.contains("No question has the tag `nothing`."));
    assert!(page.body.contains("`zero` is not a page number."));
    let task = app.get("/questions?exam=AIF-C01&task=9.9").await;
    assert_eq!(task.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(task.body.contains("AIF-C01 has no domain or task `9.9`."));
}

#[tokio::test]
async fn a_question_page_reveals_nothing_before_an_answer() {
    let app = TestApp::spawn().await;
    let page = app.page("/questions/aif-textract-claim-forms").await;
    assert!(page.contains("scanned claim forms"));
    assert_eq!(count(&page, "type=\"radio\""), 4);
    for secret in [
        "Why",
        "Textract extracts printed",
        "class=\"rationale\"",
        "Explanation",
        "option key",
    ] {
        assert!(!page.contains(secret), "`{secret}` leaks before the answer");
    }
    let ordering = app.page("/questions/aif-ml-lifecycle-order").await;
    let first = ordering
        .find("Collect the purchase history")
        .expect("step A");
    let second = ordering.find("Clean the data").expect("step B");
    let third = ordering.find("Train a model").expect("step C");
    assert!(
        !(first < second && second < third),
        "steps are not shown in the key's order"
    );
    assert!(
        !ordering.contains("name=\"p1-A\""),
        "field names do not spell the key"
    );
}

#[tokio::test]
async fn a_single_answer_is_marked_with_every_rationale_and_the_references() {
    let app = TestApp::spawn().await;
    let (status, right) = app
        .answer("aif-textract-claim-forms", &[("p1-selected", "C")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(right.contains("Correct."));
    assert_eq!(
        count(&right, "class=\"rationale\""),
        4,
        "every option's rationale"
    );
    assert!(right.contains("Explanation"));
    assert!(right.contains("https://docs.aws.amazon.com/textract/latest/dg/how-it-works-kvp.html"));
    let (_, wrong) = app
        .answer("aif-textract-claim-forms", &[("p1-selected", "B")])
        .await;
    assert!(wrong.contains("Not quite."));
    assert!(wrong.contains("Wrong — your choice:"));
    let (_, none) = app.answer("aif-textract-claim-forms", &[]).await;
    assert!(none.contains("Not answered"));
}

#[tokio::test]
async fn multiple_ordering_matching_and_case_studies_are_scored_all_or_nothing() {
    let app = TestApp::spawn().await;
    let (_, both) = app
        .answer(
            "aif-bedrock-kb-policy-chatbot",
            &[("p1-selected", "B"), ("p1-selected", "D")],
        )
        .await;
    assert!(both.contains("Correct."), "both keys");
    let (_, one) = app
        .answer("aif-bedrock-kb-policy-chatbot", &[("p1-selected", "B")])
        .await;
    assert!(
        one.contains("Not quite.")
            && one.contains("You chose 1 option(s); the question asks for 2.")
    );

    // Ordering: read the displayed order, then give each step its right position.
    let page = app.page("/questions/aif-ml-lifecycle-order").await;
    let steps = [
        "Collect the purchase",
        "Clean the data",
        "Train a model",
        "Evaluate the model",
        "Deploy the model",
    ];
    let mut shown: Vec<(usize, usize)> = steps
        .iter()
        .enumerate()
        .map(|(right, s)| (page.find(s).expect("step"), right + 1))
        .collect();
    shown.sort_unstable();
    let names: Vec<String> = (1..=5).map(|i| format!("p1-pos-s{i}")).collect();
    let positions: Vec<String> = shown.iter().map(|(_, p)| p.to_string()).collect();
    let form: Vec<(&str, &str)> = names
        .iter()
        .map(String::as_str)
        .zip(positions.iter().map(String::as_str))
        .collect();
    let (_, ordered) = app.answer("aif-ml-lifecycle-order", &form).await;
    assert!(ordered.contains("Correct."), "{ordered}");
    let mut swapped = form.clone();
    swapped.swap(0, 1);
    let swapped: Vec<(&str, &str)> = form
        .iter()
        .map(|(k, _)| *k)
        .zip(swapped.iter().map(|(_, v)| *v))
        .collect();
    let (_, wrong_order) = app.answer("aif-ml-lifecycle-order", &swapped).await;
    assert!(wrong_order.contains("Not quite."));
    let (status, duplicate) = app
        .answer(
            "aif-ml-lifecycle-order",
            &[
                ("p1-pos-s1", "1"),
                ("p1-pos-s2", "1"),
                ("p1-pos-s3", "2"),
                ("p1-pos-s4", "3"),
                ("p1-pos-s5", "4"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate.contains("Give every step a different position."));

    let (_, matched) = app
        .answer(
            "aif-ai-services-matching",
            &[
                ("p1-match-1", "C"),
                ("p1-match-2", "A"),
                ("p1-match-3", "B"),
                ("p1-match-4", "D"),
            ],
        )
        .await;
    assert!(matched.contains("Correct."));
    let (_, mismatched) = app
        .answer(
            "aif-ai-services-matching",
            &[
                ("p1-match-1", "C"),
                ("p1-match-2", "A"),
                ("p1-match-3", "B"),
                ("p1-match-4", "E"),
            ],
        )
        .await;
    assert!(mismatched.contains("Not quite."));

    let (_, case) = app
        .answer(
            "aif-bank-assistant-case",
            &[
                ("p1-selected", "B"),
                ("p2-selected", "A"),
                ("p2-selected", "E"),
            ],
        )
        .await;
    assert!(
        case.contains("You got 1 of 2 sub-questions right."),
        "{case}"
    );
    assert_eq!(count(&case, "<fieldset class=\"part\""), 2);
}

#[tokio::test]
async fn unknown_and_draft_items_are_not_found() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.get("/questions/no-such-item").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/questions/Not%20An%20Id").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_exam_page_offers_practice_when_the_bank_has_questions() {
    let app = TestApp::spawn().await;
    let aif = app.page("/exams/aif-c01").await;
    assert!(aif.contains("id=\"practise\""));
    assert!(aif.contains("5 live questions in the bank for AIF-C01"));
    assert!(aif.contains("href=\"/questions?exam=AIF-C01\""));
    let mla = app.page("/exams/mla-c01").await;
    assert!(!mla.contains("id=\"practise\""));
    let catalog = app.page("/exams").await;
    assert!(
        catalog.contains("<a href=\"/questions?exam=AIF-C01\">5</a>"),
        "the catalog shows each exam's practice questions"
    );
    assert!(
        catalog.contains("none yet"),
        "and says so where there are none"
    );
    let path = app.page("/path").await;
    assert!(path.contains("5 practice questions</a> on this site"));
}
