//! The defences a public exam site needs: security headers on every response, cross-origin
//! state-changing requests refused, and per-address limits that see through a trusted proxy
//! and only through one.

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

/// Behind a trusted proxy each client's forwarded address has its own sign-up limit, so one
/// address using up its sign-ups does not lock out the site; from a peer that is not a trusted
/// proxy (the default) the header is ignored, so nobody escapes the limit by writing one.
#[tokio::test]
async fn sign_up_limits_follow_the_forwarded_address_only_from_a_trusted_proxy() {
    for trusted in [true, false] {
        let app = match trusted {
            true => TestApp::spawn_behind(&["127.0.0.1"]).await,
            false => TestApp::spawn().await,
        };
        let sign_up = |i: usize, from: &'static str| {
            TestApp::new_client()
                .post(format!("{}/api/v1/auth/register", app.address))
                .header("x-forwarded-for", from)
                .json(&serde_json::json!({
                    "email": format!("p{i}@example.com"),
                    "password": "correct horse battery staple 42",
                }))
                .send()
        };
        for i in 0..10 {
            let status = sign_up(i, "203.0.113.1").await.expect("answered").status();
            assert_eq!(
                status,
                StatusCode::CREATED,
                "sign-up {i}, trusted {trusted}"
            );
        }
        let same = sign_up(10, "203.0.113.1").await.expect("answered").status();
        assert_eq!(same, StatusCode::TOO_MANY_REQUESTS, "trusted {trusted}");
        let other = sign_up(11, "198.51.100.2")
            .await
            .expect("answered")
            .status();
        let expected = match trusted {
            true => StatusCode::CREATED,
            false => StatusCode::TOO_MANY_REQUESTS,
        };
        assert_eq!(other, expected, "another client, trusted {trusted}");
    }
}

/// Every response names its request (the id an operator finds in the logs); an id a proxy
/// already gave the request is kept.
#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    let mut ids = std::collections::HashSet::new();
    for path in ["/", "/healthz", "/api/v1/exams", "/no-such-page"] {
        let response = client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("answered");
        let id = response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_default();
        assert_eq!(id.len(), 36, "{path}: a UUID, got `{id}`");
        ids.insert(id);
    }
    assert_eq!(ids.len(), 4, "each request its own id");
    let kept = client
        .get(format!("{}/healthz", app.address))
        .header("x-request-id", "edge-42")
        .send()
        .await
        .expect("answered");
    assert_eq!(
        kept.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("edge-42")
    );
}
