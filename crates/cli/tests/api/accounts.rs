//! Accounts over real HTTP: sign-up rules, sign-in and out, session rotation, a guest's history
//! kept, and sessions shared by two instances.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

const GOOD: &str = "correct horse battery staple tango";

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("gmc_session="))
        .map(str::to_owned)
}

#[tokio::test]
async fn sign_up_checks_the_email_and_the_password_strength() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    for (email, password, status, message) in [
        ("not-an-email", GOOD, 422, "such as name@example.com"),
        ("ana@example.com", "short", 422, "at least 10 characters"),
        ("ana@example.com", "password1234", 422, "too easy to guess"),
    ] {
        let (got, body) = app.register(&client, email, password).await;
        assert_eq!(got.as_u16(), status, "{email}/{password}: {body}");
        assert!(
            body["error"].as_str().expect("error").contains(message),
            "{body}"
        );
    }
    let (status, me) = app.register(&client, " Ana@Example.com ", GOOD).await;
    assert_eq!(status, StatusCode::CREATED, "{me}");
    assert_eq!(me["email"], "ana@example.com");
    assert_eq!(me["role"], "learner");
    let other = TestApp::new_client();
    let (status, body) = app.register(&other, "ana@example.com", GOOD).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it_on_sqlite() {
    sign_in_rotates_the_session_and_sign_out_ends_it(TestApp::spawn().await).await;
}

#[tokio::test]
async fn sign_in_rotates_the_session_and_sign_out_ends_it_on_postgres() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    sign_in_rotates_the_session_and_sign_out_ends_it(app).await;
}

async fn sign_in_rotates_the_session_and_sign_out_ends_it(app: TestApp) {
    let client = TestApp::new_client();
    let register = client
        .post(format!("{}/api/v1/auth/register", app.address))
        .json(&json!({"email": "bo@example.com", "password": GOOD}))
        .send()
        .await
        .expect("answered");
    let first = session_cookie(&register).expect("a session cookie");
    assert!(
        first.contains("HttpOnly") && first.contains("SameSite=Lax"),
        "{first}"
    );
    assert!(!first.contains("Secure"), "no Secure flag over plain http");
    let (status, me) = app.json(&client, Method::GET, "/api/v1/me", None).await;
    assert_eq!(
        (status, me["email"].as_str()),
        (StatusCode::OK, Some("bo@example.com"))
    );

    let (status, _) = app
        .json(&client, Method::POST, "/api/v1/auth/logout", None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.json(&client, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    for (email, password) in [
        ("bo@example.com", "wrong password entirely"),
        ("nobody@example.com", GOOD),
    ] {
        let (status, body) = app.login(&client, email, password).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            body["error"], "wrong email or password",
            "the same answer for a wrong password and an unknown email"
        );
    }
    let login = client
        .post(format!("{}/api/v1/auth/login", app.address))
        .json(&json!({"email": "BO@example.com", "password": GOOD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(login.status(), StatusCode::OK);
    let second = session_cookie(&login).expect("a new session cookie");
    let id = |c: &str| c.split(';').next().unwrap_or("").to_owned();
    assert_ne!(
        id(&first),
        id(&second),
        "the session id is rotated at sign-in"
    );

    // The old session id no longer signs anyone in.
    let stale = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.address))
        .header("cookie", id(&first))
        .send()
        .await
        .expect("answered");
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_guest_keeps_its_history_when_it_signs_up_and_signs_in_on_sqlite() {
    a_guest_keeps_its_history_when_it_signs_up_and_signs_in(TestApp::spawn_with_bank().await).await;
}

#[tokio::test]
async fn a_guest_keeps_its_history_when_it_signs_up_and_signs_in_on_postgres() {
    let Some(app) = TestApp::spawn_postgres_with_bank().await else {
        return;
    };
    a_guest_keeps_its_history_when_it_signs_up_and_signs_in(app).await;
}

async fn a_guest_keeps_its_history_when_it_signs_up_and_signs_in(app: TestApp) {
    let client = TestApp::new_client();
    let (status, started) = app
        .json(
            &client,
            Method::POST,
            "/api/v1/attempts",
            Some(json!({"exam": "AIF-C01", "mode": "practice", "count": 5})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app.register(&client, "cy@example.com", GOOD).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, history) = app
        .json(&client, Method::GET, "/api/v1/attempts", None)
        .await;
    assert_eq!(
        history[0]["id"], started["id"],
        "the guest's attempt now belongs to the account"
    );
    let item = format!(
        "/api/v1/attempts/{}/items/1",
        started["id"].as_str().expect("an attempt id")
    );
    let (status, _) = app.json(&client, Method::GET, &item, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the account goes on with the attempt it started as a guest"
    );
    app.json(&client, Method::POST, "/api/v1/auth/logout", None)
        .await;
    let (_, as_guest) = app
        .json(&client, Method::GET, "/api/v1/attempts", None)
        .await;
    assert_eq!(
        as_guest.as_array().map(Vec::len),
        Some(0),
        "signed out, the browser is a guest again"
    );
    app.login(&client, "cy@example.com", GOOD).await;
    let (_, again) = app
        .json(&client, Method::GET, "/api/v1/attempts", None)
        .await;
    assert_eq!(again.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn sessions_are_shared_by_instances_on_one_database_on_sqlite() {
    shared_sessions(TestApp::spawn().await).await;
}

#[tokio::test]
async fn sessions_are_shared_by_instances_on_one_database_on_postgres() {
    let Some(app) = TestApp::spawn_postgres().await else {
        return;
    };
    shared_sessions(app).await;
}

async fn shared_sessions(app: TestApp) {
    let other = app.second_instance().await;
    let client = TestApp::new_client();
    let (status, _) = app.register(&client, "di@example.com", GOOD).await;
    assert_eq!(status, StatusCode::CREATED);
    let me = client
        .get(format!("{other}/api/v1/me"))
        .send()
        .await
        .expect("answered");
    assert_eq!(
        me.status(),
        StatusCode::OK,
        "the second instance knows the session"
    );
}

#[tokio::test]
async fn the_account_pages_sign_up_change_the_password_export_and_delete() {
    let app = TestApp::spawn_with_bank().await;
    let me = TestApp::new_client();
    let (status, _, body) = app
        .post_form(
            &me,
            "/account/signup",
            &[("email", "eve@example"), ("password", "weak")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("such as name@example.com") && body.contains("aria-invalid=\"true\""));
    assert!(
        body.contains("value=\"eve@example\""),
        "what was typed is kept"
    );
    let (status, to, _) = app
        .post_form(
            &me,
            "/account/signup",
            &[("email", "eve@example.com"), ("password", GOOD)],
        )
        .await;
    assert_eq!((status, to.as_str()), (StatusCode::SEE_OTHER, "/account"));
    let (_, page) = app.page_as(&me, "/account").await;
    assert!(page.contains("Signed in as <strong>eve@example.com</strong>"));

    app.post_form(
        &me,
        "/practice/start",
        &[("exam", "AIF-C01"), ("mode", "practice"), ("count", "5")],
    )
    .await;
    let (status, export) = app.page_as(&me, "/account/export").await;
    assert_eq!(status, StatusCode::OK);
    let export: serde_json::Value = serde_json::from_str(&export).expect("JSON");
    assert_eq!(export["account"]["email"], "eve@example.com");
    assert_eq!(export["attempts"].as_array().map(Vec::len), Some(1));
    assert!(
        export["cards"].is_array() && export["reviews"].is_array(),
        "spaced-repetition data is exported: {export}"
    );
    assert!(
        !export.to_string().contains("argon2"),
        "the export holds no password hash"
    );

    let new = "violet lantern orbit pebble";
    let (status, _, body) = app
        .post_form(
            &me,
            "/account/password",
            &[("current", "not it at all"), ("password", new)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("The current password is not right."));
    let (status, _, body) = app
        .post_form(
            &me,
            "/account/password",
            &[("current", GOOD), ("password", new)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Your password is changed"));
    let (_, page) = app.page_as(&me, "/account").await;
    assert!(
        page.contains("Signed in as"),
        "this session continues after the change"
    );
    let other = TestApp::new_client();
    let (status, _) = app.login(&other, "eve@example.com", GOOD).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );

    let (status, _, body) = app
        .post_form(&me, "/account/delete", &[("confirm_password", GOOD)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("nothing was deleted"));
    let (status, _, body) = app
        .post_form(&me, "/account/delete", &[("confirm_password", new)])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("are deleted"));
    let (status, _) = app.login(&other, "eve@example.com", new).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the account is gone");
    let (_, history) = app.json(&me, Method::GET, "/api/v1/attempts", None).await;
    assert_eq!(history.as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled_with_retry_after() {
    let app = TestApp::spawn().await;
    let client = TestApp::new_client();
    let (status, _) = app.register(&client, "fay@example.com", GOOD).await;
    assert_eq!(status, StatusCode::CREATED);
    let attacker = TestApp::new_client();
    let login = |password: &'static str| {
        attacker
            .post(format!("{}/api/v1/auth/login", app.address))
            .json(&json!({"email": "fay@example.com", "password": password}))
            .send()
    };
    for _ in 0..5 {
        assert_eq!(
            login("wrong guess number")
                .await
                .expect("answered")
                .status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = login(GOOD).await.expect("answered");
    assert_eq!(
        blocked.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the block"
    );
    let retry: u64 = blocked
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=30).contains(&retry), "{retry}");
    // Another account from the same address is not blocked by this one's failures.
    let (status, _) = app
        .register(&TestApp::new_client(), "gus@example.com", GOOD)
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .login(&TestApp::new_client(), "gus@example.com", GOOD)
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited() {
    let app = TestApp::spawn().await;
    for i in 0..9 {
        let (status, body) = app
            .register(&TestApp::new_client(), format!("u{i}@example.com"), GOOD)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = app
        .register(&TestApp::new_client(), "u9@example.com", GOOD)
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the tenth sign-up in an hour still passes: {body}"
    );
    let (status, body) = app
        .register(&TestApp::new_client(), "u10@example.com", GOOD)
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
}
