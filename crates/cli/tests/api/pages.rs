//! Every page renders real content from the catalog and the guides.

use reqwest::StatusCode;

use crate::helpers::{TestApp, count};

#[tokio::test]
async fn home_says_what_the_site_is_and_where_to_start() {
    let app = TestApp::spawn().await;
    let body = app.page("/").await;
    assert!(body.contains("Where to start"));
    for link in [
        "href=\"/path\"",
        "href=\"/plan\"",
        "href=\"/exams/aif-c01\"",
        "href=\"/exams/aip-c01\"",
    ] {
        assert!(body.contains(link), "home lacks {link}");
    }
    assert!(body.contains("aria-current=\"page\""));
}

#[tokio::test]
async fn the_path_lays_out_three_stages_with_the_retired_specialty() {
    let app = TestApp::spawn().await;
    let body = app.page("/path").await;
    let stages = ["Foundational", "Associate", "Professional and Specialty"];
    let positions: Vec<usize> = stages
        .iter()
        .map(|s| {
            body.find(&format!(". {s}</h2>"))
                .unwrap_or_else(|| panic!("no stage {s}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "stages out of order"
    );
    for code in [
        "AIF-C01", "CLF-C02", "MLA-C01", "DVA-C02", "SAA-C03", "AIP-C01", "MLS-C01",
    ] {
        assert!(body.contains(code), "path lacks {code}");
    }
    assert!(
        body.contains("2026-03-31"),
        "the retired exam's last day is shown"
    );
    assert!(body.contains("Typical study time"));
}

#[tokio::test]
async fn the_exam_list_holds_the_nine_exams() {
    let app = TestApp::spawn().await;
    let body = app.page("/exams").await;
    for code in [
        "aif-c01", "clf-c02", "mla-c01", "dva-c02", "saa-c03", "dea-c01", "sap-c02", "aip-c01",
        "mls-c01",
    ] {
        assert!(
            body.contains(&format!("href=\"/exams/{code}\"")),
            "no link to {code}"
        );
    }
    assert_eq!(count(&body, "<tr>") - count(&body, "<thead><tr>"), 9);
}

#[tokio::test]
async fn mls_c01_shows_its_weighted_domains_tasks_and_retirement() {
    let app = TestApp::spawn().await;
    let body = app.page("/exams/mls-c01").await;
    let domains = [
        ("Data Engineering", 20),
        ("Exploratory Data Analysis", 24),
        ("Modeling", 36),
        ("Machine Learning Implementation and Operations", 20),
    ];
    for (i, (name, weight)) in domains.iter().enumerate() {
        let row = format!("Domain {}: {name}</th>", i + 1);
        let at = body.find(&row).unwrap_or_else(|| panic!("no row {row}"));
        let rest = &body[at..];
        assert!(
            rest.contains(&format!("value=\"{weight}\"")),
            "{name} weight"
        );
        assert!(rest.contains(&format!("{weight}%")), "{name} weight text");
    }
    for task in [
        "3.4</span> Perform hyperparameter optimization.",
        "4.4</span> Deploy and operationalize ML solutions.",
        "1.1</span> Create data repositories for ML.",
    ] {
        assert!(body.contains(task), "no task {task}");
    }
    assert!(body.contains("Retired: the last day to take this exam was 2026-03-31"));
    assert!(body.contains("about 180 minutes — unconfirmed"));
    assert!(
        body.contains("href=\"/exams/mla-c01\"") && body.contains("href=\"/exams/aip-c01\""),
        "successors linked"
    );
    assert!(
        !body.contains("id=\"practise\""),
        "no Practise section without questions"
    );
    assert!(
        !body.contains("/plan?exam=MLS-C01"),
        "a retired exam offers no plan"
    );
}

#[tokio::test]
async fn an_active_exam_shows_confirmed_and_secondary_facts_apart() {
    let app = TestApp::spawn().await;
    let body = app.page("/exams/aif-c01").await;
    assert!(body.contains("65: 50 scored and 15 unscored"));
    assert!(body.contains("90 minutes (secondary sources)"));
    assert!(body.contains("700 on the 100–1000 scale"));
    assert!(
        !body.contains("class=\"banner\""),
        "no status banner for an active exam"
    );
    assert!(body.contains("/plan?exam=AIF-C01"));
    let aip = app.page("/exams/aip-c01").await;
    assert!(aip.contains("about 180 minutes — unconfirmed"));
    assert!(aip.contains("2026-04-14"));
}

#[tokio::test]
async fn exam_codes_in_any_case_lead_to_the_lowercase_page_and_unknown_ones_are_404() {
    let app = TestApp::spawn().await;
    let upper = app.get("/exams/MLS-C01").await;
    assert_eq!(upper.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(upper.location.as_deref(), Some("/exams/mls-c01"));
    for path in ["/exams/xyz-c99", "/exams/not-a-code", "/no-such-page"] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.body.contains("Page not found"),
            "{path} renders the error page"
        );
    }
}

#[tokio::test]
async fn the_guides_render_their_content() {
    let app = TestApp::spawn().await;
    let algorithms = app.page("/algorithms").await;
    for name in [
        "Classification",
        "Clustering",
        "Reinforcement",
        "XGBoost",
        "Random Cut Forest",
        "DeepAR",
        "BlazingText",
    ] {
        assert!(algorithms.contains(name), "algorithms lacks {name}");
    }
    let services = app.page("/services").await;
    let cards = count(&services, "<article class=\"card\">");
    assert!(cards >= 40, "only {cards} services");
    assert!(services.contains("Closed to new customers") || services.contains("Discontinued"));
    for name in [
        "SageMaker",
        "Bedrock",
        "Comprehend",
        "Lake Formation",
        "Macie",
    ] {
        assert!(services.contains(name), "services lacks {name}");
    }
    let careers = app.page("/careers").await;
    assert!(careers.contains("reported by"));
    assert!(careers.contains("not a promise"));
    let faq = app.page("/faq").await;
    for fact in ["14", "3 years", "100", "1,000", "31 March 2026", "unscored"] {
        assert!(faq.contains(fact), "faq lacks {fact}");
    }
}

#[tokio::test]
async fn health_and_metrics_report_on_sqlite() {
    let app = TestApp::spawn().await;
    assert_health(&app, "sqlite").await;
}

#[tokio::test]
async fn health_and_metrics_report_on_postgres() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    assert_health(&app, "postgres").await;
}

async fn assert_health(app: &TestApp, backend: &str) {
    let health: serde_json::Value =
        serde_json::from_str(&app.page("/healthz").await).expect("health is JSON");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["store"], backend);
    app.page("/exams/mla-c01").await;
    app.page("/exams/aip-c01").await;
    let metrics = app.page("/metrics").await;
    assert!(
        metrics
            .contains("http_requests_total{method=\"GET\",route=\"/exams/{code}\",status=\"200\"}"),
        "requests are counted by matched route:\n{metrics}"
    );
    assert!(metrics.contains("http_request_duration_seconds_bucket"));
}
