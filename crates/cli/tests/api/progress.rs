//! `/progress` and `GET /api/v1/progress/{exam}`: after a submitted simulation the report holds
//! its score with an interval, a readiness point, this week's answers and study time, each
//! domain's week, the reviews falling due and the questions missed; the page charts them with
//! tables beside the charts. Both backends.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::attempts::sit;
use crate::helpers::TestApp;

async fn progress_after_a_simulation(app: TestApp) {
    // A new visitor sees the empty states, not errors.
    let empty = app.page("/progress?exam=AIF-C01").await;
    assert!(empty.contains("No simulation submitted yet"), "{empty}");
    assert!(empty.contains("aria-current=\"page\">AIF-C01"));

    let client = app.client.clone();
    let (id, items) = sit(&app, &client, "AIF-C01", 5).await;
    for item in &items {
        app.save_some_answer(&client, &id, item).await;
    }
    let (status, report) = app.submit(&client, &id).await;
    assert_eq!(status, StatusCode::OK);

    let (status, progress) = app
        .json(&client, Method::GET, "/api/v1/progress/aif-c01", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{progress}");
    assert_eq!(progress["exam"], "AIF-C01");
    assert_eq!(progress["passing_score"], 700);
    let sims = progress["simulations"].as_array().expect("simulations");
    assert_eq!(sims.len(), 1);
    let score = sims[0]["scaled_score"].as_u64().expect("score");
    assert_eq!(Some(score), report["scaled_score"].as_u64());
    let (low, high) = (
        sims[0]["low"].as_u64().expect("low"),
        sims[0]["high"].as_u64().expect("high"),
    );
    assert!(low < score && score < high, "{low} {score} {high}");
    let trend = progress["readiness"].as_array().expect("readiness");
    assert_eq!(trend.len(), 1, "one day of study: {trend:?}");
    assert!(
        trend[0]["p_pass"]
            .as_f64()
            .is_some_and(|p| (0.0..=1.0).contains(&p))
    );

    let weeks = progress["weeks"].as_array().expect("weeks");
    assert_eq!(weeks.len(), 8);
    let this_week = &weeks[7];
    let answers = this_week["answers"].as_u64().expect("answers");
    assert!(
        answers >= 50,
        "the graded answers land this week: {this_week}"
    );
    assert!(this_week["minutes"].as_i64().is_some_and(|m| m >= 1));
    assert!(weeks[..7].iter().all(|w| w["answers"] == 0));
    let domains = progress["domains"].as_array().expect("domains");
    assert_eq!(domains.len(), 5);
    let in_domains: u64 = domains
        .iter()
        .map(|d| d["weeks"][7]["answers"].as_u64().expect("cell"))
        .sum();
    assert_eq!(in_domains, answers, "every answer falls in its domain");
    let weights: u64 = domains
        .iter()
        .map(|d| d["weight"].as_u64().expect("w"))
        .sum();
    assert_eq!(weights, 100);

    let due: u64 = progress["due"]
        .as_array()
        .expect("due")
        .iter()
        .map(|d| d["cards"].as_u64().expect("cards"))
        .sum();
    assert_eq!(progress["due"].as_array().map(Vec::len), Some(14));
    assert!(
        due > 0 && due <= answers,
        "{due} of {answers} cards due within 14 days"
    );
    let missed = progress["missed"].as_array().expect("missed");
    let wrong = report["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["correct"] == false)
        .count();
    assert_eq!(missed.len(), wrong.min(10), "{missed:?}");
    let misses: Vec<u64> = missed
        .iter()
        .map(|m| m["misses"].as_u64().expect("misses"))
        .collect();
    assert!(misses.windows(2).all(|w| w[0] >= w[1]) && misses.iter().all(|m| *m >= 1));

    // The page charts the same figures, each chart named and tabulated.
    let page = app.page("/progress").await;
    assert!(
        page.contains("aria-current=\"page\">AIF-C01"),
        "the exam studied is shown"
    );
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 5);
    assert_eq!(page.matches("role=\"img\"").count(), 5);
    assert!(page.contains(&format!("<td>{score}</td><td>{low}–{high}</td>")));
    assert_eq!(page.matches("<details><summary>").count(), 4);
    let first = missed[0]["id"].as_str().expect("id");
    assert!(page.contains(&format!("href=\"/questions/{first}\"")));
    assert!(
        page.contains("name=\"mode\" value=\"missed\""),
        "a retry of the missed ones"
    );

    // Home's "today": the reviews due, a drill in the weakest domain, the next simulation two
    // weeks after this one; the plan adapts its domain hours to the answers.
    let home = app.page("/").await;
    assert!(home.contains("Today · AIF-C01"), "{home}");
    assert!(
        home.contains("A drill in your weakest domain")
            && home.contains("name=\"mode\" value=\"drill\"")
    );
    let in_two_weeks = time::OffsetDateTime::now_utc().date() + time::Duration::days(14);
    assert!(
        home.contains(&format!("due <strong>on {in_two_weeks}</strong>")),
        "{home}"
    );
    let plan = app
        .page("/plan?exam=AIF-C01&ml_years=1&aws_years=1&hours_per_week=5&exam_date=")
        .await;
    assert!(plan.contains("Adapted to your answers"), "{plan}");
    let stranger = TestApp::new_client();
    let fresh = app
        .page_with(
            &stranger,
            "/plan?exam=AIF-C01&ml_years=1&aws_years=1&hours_per_week=5&exam_date=",
        )
        .await;
    assert!(
        !fresh.contains("Adapted to your answers"),
        "a newcomer gets the blueprint"
    );

    let (status, error) = app
        .json(&client, Method::GET, "/api/v1/progress/XYZ-C01", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let _: Value = error;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_after_a_simulation_on_sqlite() {
    progress_after_a_simulation(TestApp::spawn_with_bank().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_after_a_simulation_on_postgres() {
    let Some(app) = TestApp::spawn_postgres_with_bank().await else {
        return;
    };
    progress_after_a_simulation(app).await;
}
