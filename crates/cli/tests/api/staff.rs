//! Roles, operator commands, question reports and user text rendered inert.

use std::io::Write;
use std::process::{Command, Stdio};

use reqwest::StatusCode;

use crate::helpers::TestApp;

pub(crate) const GOOD: &str = "correct horse battery staple tango";

/// `getmycert user …` against the app's database, with `stdin` on standard input.
pub(crate) fn user_cmd(app: &TestApp, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_getmycert"))
        .arg("--database-url")
        .arg(&app.args.database_url)
        .arg("user")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("exit");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

pub(crate) async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = TestApp::new_client();
    let (status, body) = app.login(&client, email, GOOD).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    client
}

#[tokio::test]
async fn operators_create_accounts_and_roles_gate_the_staff_pages() {
    let app = TestApp::spawn().await;
    let (ok, out) = user_cmd(
        &app,
        &["create", "--email", "root@example.com", "--role", "admin"],
        &format!("{GOOD}\n"),
    );
    assert!(ok, "{out}");
    let (ok, out) = user_cmd(
        &app,
        &["create", "--email", "weak@example.com"],
        "password\n",
    );
    assert!(!ok && out.contains("at least 10"), "{out}");
    let (ok, out) = user_cmd(
        &app,
        &["create", "--email", "x@example.com", "--role", "overlord"],
        &format!("{GOOD}\n"),
    );
    assert!(!ok && out.contains("not one of"), "{out}");
    assert!(
        user_cmd(
            &app,
            &["create", "--email", "lea@example.com"],
            &format!("{GOOD}\n")
        )
        .0
    );
    assert!(
        user_cmd(
            &app,
            &["create", "--email", "aut@example.com", "--role", "author"],
            &format!("{GOOD}\n")
        )
        .0
    );

    let guest = TestApp::new_client();
    assert_eq!(
        app.page_as(&guest, "/author/reports").await.0,
        StatusCode::UNAUTHORIZED
    );
    let learner = signed_in(&app, "lea@example.com").await;
    for path in ["/author/reports", "/admin/users"] {
        assert_eq!(
            app.page_as(&learner, path).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let author = signed_in(&app, "aut@example.com").await;
    assert_eq!(
        app.page_as(&author, "/author/reports").await.0,
        StatusCode::OK
    );
    assert_eq!(
        app.page_as(&author, "/admin/users").await.0,
        StatusCode::FORBIDDEN
    );
    let admin = signed_in(&app, "root@example.com").await;
    let (status, page) = app.page_as(&admin, "/admin/users").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("lea@example.com"));
    let (status, _, _) = app
        .post_form(
            &admin,
            "/admin/users/role",
            &[("email", "lea@example.com"), ("role", "author")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let promoted = signed_in(&app, "lea@example.com").await;
    assert_eq!(
        app.page_as(&promoted, "/author/reports").await.0,
        StatusCode::OK
    );
    let (status, _, body) = app
        .post_form(
            &admin,
            "/admin/users/role",
            &[("email", "root@example.com"), ("role", "learner")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("cannot remove your own admin role"));

    let (ok, out) = user_cmd(
        &app,
        &["set-password", "--email", "lea@example.com"],
        "violet lantern orbit pebble\n",
    );
    assert!(ok, "{out}");
    let (status, _) = app
        .login(&TestApp::new_client(), "lea@example.com", GOOD)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
}

#[tokio::test]
async fn a_report_reaches_the_authors_and_their_answer_reaches_the_reporter() {
    let app = TestApp::spawn().await;
    assert!(
        user_cmd(
            &app,
            &["create", "--email", "aut@example.com", "--role", "author"],
            &format!("{GOOD}\n")
        )
        .0
    );
    let reader = TestApp::new_client();
    let (status, _, body) = app
        .post_form(
            &reader,
            "/questions/aif-textract-claim-forms/report",
            &[("body", "short")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("at least 10 characters"));
    let (status, _, body) = app
        .post_form(
            &reader,
            "/questions/aif-textract-claim-forms/report",
            &[(
                "body",
                "Option B could also be right because Rekognition reads text.",
            )],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Thank you"));
    let (status, _, _) = app
        .post_form(
            &reader,
            "/questions/no-such-item/report",
            &[("body", "a report on nothing at all")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let author = signed_in(&app, "aut@example.com").await;
    let (_, queue) = app.page_as(&author, "/author/reports").await;
    assert!(queue.contains("Rekognition reads text"));
    let id = queue
        .split("action=\"/author/reports/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a report id")
        .to_owned();
    let (status, _, _) = app
        .post_form(
            &author,
            &format!("/author/reports/{id}"),
            &[
                ("status", "rejected"),
                ("note", "Rekognition returns words without form structure."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = app
        .post_form(
            &author,
            &format!("/author/reports/{id}"),
            &[("status", "accepted"), ("note", "again")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a closed report cannot be closed again"
    );
    let (_, account) = app.page_as(&reader, "/account").await;
    assert!(
        account.contains(
            "<strong>rejected</strong>: Rekognition returns words without form structure."
        ),
        "{account}"
    );
}

#[tokio::test]
async fn text_that_users_write_is_rendered_inert() {
    let app = TestApp::spawn().await;
    assert!(
        user_cmd(
            &app,
            &["create", "--email", "aut@example.com", "--role", "author"],
            &format!("{GOOD}\n")
        )
        .0
    );
    let payloads = [
        "<script>alert('x')</script> in the key",
        "\"><img src=x onerror=alert(1)> broken option",
        "<a href=\"javascript:alert(1)\">click</a> here please",
        "<svg/onload=alert(1)> and <iframe src=//evil.example></iframe>",
        "{{ 7*7 }} and ${7*7} template tricks",
    ];
    let reader = TestApp::new_client();
    for payload in payloads {
        let (status, _, _) = app
            .post_form(
                &reader,
                "/questions/aif-textract-claim-forms/report",
                &[("body", payload)],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{payload}");
    }
    let author = signed_in(&app, "aut@example.com").await;
    let (_, queue) = app.page_as(&author, "/author/reports").await;
    let (_, account) = app.page_as(&reader, "/account").await;
    for page in [&queue, &account] {
        for raw in [
            "<script>alert",
            "<img src=x",
            "<a href=\"javascript:",
            "<svg/onload",
            "<iframe",
        ] {
            assert!(!page.contains(raw), "`{raw}` reached the page unescaped");
        }
        assert!(
            page.contains("&lt;script&gt;alert") || page.contains("&#60;script&#62;alert"),
            "payloads are shown as text: {page}"
        );
        assert!(
            page.contains("{{ 7*7 }}"),
            "template syntax in user text is not evaluated"
        );
    }
}
