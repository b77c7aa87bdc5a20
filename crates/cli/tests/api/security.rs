//! The defences a public exam site needs: security headers on every response, and cross-origin
//! state-changing requests refused.

use reqwest::StatusCode;

use crate::helpers::TestApp;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in [
        "/",
        "/exams/mls-c01",
        "/questions",
        "/practice",
        "/api/v1/openapi.json",
        "/static/style.css",
        "/nope",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("answered");
        let h = response.headers();
        let csp = h
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            h.get("x-content-type-options").map(|v| v.as_bytes()),
            Some(&b"nosniff"[..]),
            "{path}"
        );
        assert!(h.get("referrer-policy").is_some(), "{path}");
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over plain http"
        );
    }
}

#[tokio::test]
async fn cross_origin_state_changes_are_refused() {
    let app = TestApp::spawn_with_bank().await;
    let client = TestApp::new_client();
    let start = format!("{}/practice/start", app.address);
    let form = "exam=AIF-C01&mode=practice&count=5";
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut request = client
            .post(&start)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.send()
    };
    let foreign = post(Some("https://evil.example"), None)
        .await
        .expect("answered");
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let cross_site = post(None, Some("cross-site")).await.expect("answered");
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let api = client
        .post(format!("{}/api/v1/attempts", app.address))
        .header("origin", "https://evil.example")
        .json(&serde_json::json!({"exam": "AIF-C01", "mode": "practice", "count": 5}))
        .send()
        .await
        .expect("answered");
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    let (_, history) = app
        .json(&client, reqwest::Method::GET, "/api/v1/attempts", None)
        .await;
    assert_eq!(
        history.as_array().map(Vec::len),
        Some(0),
        "nothing was started"
    );

    let own = post(Some(&app.address), Some("same-origin"))
        .await
        .expect("answered");
    assert_eq!(
        own.status(),
        StatusCode::SEE_OTHER,
        "the site's own forms still work"
    );
}

#[tokio::test]
async fn api_writes_are_rate_limited_per_identity() {
    let app = TestApp::spawn_with_bank().await;
    let busy = TestApp::new_client();
    let (status, started) = app
        .json(
            &busy,
            reqwest::Method::POST,
            "/api/v1/attempts",
            Some(serde_json::json!({"exam": "AIF-C01", "mode": "practice", "count": 5})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!(
        "{}/api/v1/attempts/{}/items/1/response",
        app.address,
        started["id"].as_str().expect("id")
    );
    let mut limited = None;
    for _ in 0..400 {
        let response = busy
            .put(&path)
            .json(&serde_json::json!({"flagged": true}))
            .send()
            .await
            .expect("answered");
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
    }
    let limited = limited.expect("a burst of writes is limited");
    assert!(
        limited.headers().get("retry-after").is_some()
            || limited.headers().get("x-ratelimit-after").is_some()
    );
    // Another identity is not affected, and reads are not limited.
    let calm = TestApp::new_client();
    let (status, _) = app
        .json(
            &calm,
            reqwest::Method::POST,
            "/api/v1/attempts",
            Some(serde_json::json!({"exam": "AIF-C01", "mode": "practice", "count": 5})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let view = busy
        .get(format!("{}/api/v1/attempts", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(view.status(), StatusCode::OK);
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_hsts_is_sent() {
    let app = TestApp::spawn_https().await;
    let response = app
        .client
        .post(format!("{}/api/v1/auth/register", app.address))
        .json(&serde_json::json!({"email": "tls@example.com", "password": "correct horse battery staple tango"}))
        .send()
        .await
        .expect("answered");
    assert!(
        response
            .headers()
            .get("strict-transport-security")
            .is_some_and(|v| v.to_str().unwrap_or("").contains("max-age=")),
        "HSTS"
    );
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("gmc_session=")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .all(|c| c.contains("Secure") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
}
