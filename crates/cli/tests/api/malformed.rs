//! Bad input is never a 500: a property test sends arbitrary and malformed bodies, path
//! segments, query strings and form fields to every API route (read from the OpenAPI
//! document, so a new route is covered by being documented) and to every page and page form,
//! as a stranger and as the owner of a sitting. Every answer is below 500; every 4xx says what
//! is wrong (a JSON `error` from the API, a page with a heading or a field message from the
//! site) and leaves the database as it was.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use reqwest::Method;
use reqwest::header::{CONTENT_TYPE, COOKIE};
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection, Row, SqliteConnection};

use crate::helpers::TestApp;

/// Requests sent on SQLite (a third of it on PostgreSQL); `GETMYCERT_PROPTEST_CASES` sets
/// another number for both.
const CASES: u32 = 3000;
/// Guests who own a sitting (API writes are limited per identity: 120 at once, then 10 a second).
const OWNERS: usize = 40;

/// Page routes with the method their form uses.
const PAGES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/exams"),
    ("GET", "/exams/{code}"),
    ("GET", "/path"),
    ("GET", "/plan"),
    ("GET", "/practice"),
    ("GET", "/questions"),
    ("GET", "/questions/{id}"),
    ("GET", "/review"),
    ("GET", "/progress"),
    ("GET", "/plan.ics"),
    ("GET", "/certifications"),
    ("GET", "/certifications.ics"),
    ("GET", "/account"),
    ("GET", "/account/export"),
    ("GET", "/attempts/{id}"),
    ("GET", "/attempts/{id}/items/{n}"),
    ("GET", "/attempts/{id}/review"),
    ("GET", "/attempts/{id}/report"),
    ("GET", "/author/items"),
    ("GET", "/author/reports"),
    ("GET", "/author/export"),
    ("GET", "/author/export/{exam}/{format}"),
    ("GET", "/review/missed.txt"),
    ("GET", "/admin/users"),
    ("POST", "/practice/start"),
    ("POST", "/attempts/{id}/items/{n}"),
    ("POST", "/attempts/{id}/submit"),
    ("POST", "/questions/{id}"),
    ("POST", "/questions/{id}/report"),
    ("POST", "/review/retention"),
    ("POST", "/certifications"),
    ("POST", "/certifications/{exam}/delete"),
    ("POST", "/account/signup"),
    ("POST", "/account/signin"),
    ("POST", "/account/signout"),
    ("POST", "/account/password"),
    ("POST", "/account/delete"),
    ("POST", "/author/items/calibrate"),
    ("POST", "/author/reports/{id}"),
    ("POST", "/admin/users/role"),
];

/// Field names the forms and bodies use, so that generated input reaches past the first check.
const FIELDS: &[&str] = &[
    "exam",
    "mode",
    "count",
    "seed",
    "domain",
    "selected",
    "order",
    "matches",
    "flagged",
    "flag_present",
    "go",
    "pos-A",
    "pos-B",
    "match-1",
    "match-2",
    "email",
    "password",
    "current",
    "new_password",
    "confirm",
    "retention",
    "reason",
    "note",
    "role",
    "status",
    "weeks",
    "hours",
    "date",
    "exam_date",
    "hours_per_week",
    "limit",
    "page",
    "kind",
];

#[derive(Debug, Clone)]
struct Target {
    method: Method,
    template: String,
}

#[derive(Debug, Clone)]
enum Segment {
    /// The owner's own sitting, item number or a real exam code: input reaches the handler.
    Real,
    Text(String),
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Bytes(String, Vec<u8>),
}

#[derive(Debug, Clone)]
struct Case {
    target: usize,
    owner: Option<usize>,
    segments: Vec<Segment>,
    query: Vec<(String, String)>,
    body: Body,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-zA-Z0-9_-]{1,12}",
        "-?[0-9]{1,24}",
        "[A-F]{1,3}",
        Just("AIF-C01".to_owned()),
        Just("1e400".to_owned()),
        Just("..".to_owned()),
        Just("\u{0}".to_owned()),
        "\\PC{0,24}",
        ".{0,300}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELDS).prop_map(str::to_owned),
        1 => text(),
    ]
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((field(), text()), 0..6)
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        1 => Just(Body::None),
        3 => json_value().prop_map(Body::Json),
        3 => pairs().prop_map(Body::Form),
        1 => (
            prop::sample::select(&[
                "application/json",
                "application/x-www-form-urlencoded",
                "text/plain",
                "multipart/form-data; boundary=x",
                "application/json; charset=latin1",
            ][..]),
            prop::collection::vec(any::<u8>(), 0..200),
        )
            .prop_map(|(t, b)| Body::Bytes(t.to_owned(), b)),
    ]
}

fn segment() -> impl Strategy<Value = Segment> {
    prop_oneof![2 => Just(Segment::Real), 1 => text().prop_map(Segment::Text)]
}

fn case(targets: usize) -> impl Strategy<Value = Case> {
    (
        0..targets,
        prop::option::weighted(0.8, 0..OWNERS),
        prop::collection::vec(segment(), 2),
        pairs(),
        body(),
    )
        .prop_map(|(target, owner, segments, query, body)| Case {
            target,
            owner,
            segments,
            query,
            body,
        })
}

/// The API routes of the OpenAPI document and the page routes.
fn targets() -> Vec<Target> {
    let document = getmycert_web::api::openapi();
    let mut targets = Vec::new();
    for (path, item) in &document.paths.paths {
        let methods = [
            (Method::GET, item.get.is_some()),
            (Method::POST, item.post.is_some()),
            (Method::PUT, item.put.is_some()),
            (Method::DELETE, item.delete.is_some()),
            (Method::PATCH, item.patch.is_some()),
        ];
        for (method, present) in methods {
            if present {
                targets.push(Target {
                    method,
                    template: path.clone(),
                });
            }
        }
    }
    assert!(
        targets.len() >= 10,
        "the OpenAPI document lists the API: {targets:?}"
    );
    for (method, template) in PAGES {
        targets.push(Target {
            method: method.parse().expect("a method"),
            template: (*template).to_owned(),
        });
    }
    targets
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

struct World {
    app: TestApp,
    client: reqwest::Client,
    targets: Vec<Target>,
    /// Each owner's identity and sitting.
    owners: Vec<(String, String)>,
    db: Db,
}

/// The test's own connection to the app's database, to see what a request stored.
enum Db {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl World {
    async fn new(app: TestApp) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        let mut owners = Vec::new();
        for i in 0..OWNERS {
            let identity = format!("g-{i:032x}");
            let started: Value = client
                .post(format!("{}/api/v1/attempts", app.address))
                .header(COOKIE, format!("gmc_id={identity}"))
                .json(&json!({"exam": "AIF-C01", "mode": "practice", "count": 5}))
                .send()
                .await
                .expect("started")
                .json()
                .await
                .expect("a sitting");
            let id = started["id"].as_str().expect("id").to_owned();
            owners.push((identity, id));
        }
        let url = &app.args.database_url;
        let db = if url.starts_with("sqlite:") {
            Db::Sqlite(
                SqliteConnection::connect(&format!("{url}?mode=ro"))
                    .await
                    .expect("a read-only connection"),
            )
        } else {
            Db::Postgres(PgConnection::connect(url).await.expect("a connection"))
        };
        Self {
            app,
            client,
            targets: targets(),
            owners,
            db,
        }
    }

    /// What a 4xx must leave as it was: every row of every table but the sign-in throttle's,
    /// as text, in a stable order.
    async fn contents(&mut self) -> BTreeMap<String, String> {
        let mut contents = BTreeMap::new();
        match &mut self.db {
            Db::Sqlite(db) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' \
                     AND name <> 'throttle'",
                )
                .fetch_all(&mut *db)
                .await
                .expect("tables");
                for table in tables {
                    let columns: Vec<String> =
                        sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')"))
                            .fetch_all(&mut *db)
                            .await
                            .expect("columns")
                            .iter()
                            .map(|r| format!("quote({})", r.get::<String, _>(0)))
                            .collect();
                    let rows: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT {} FROM {table} ORDER BY 1",
                        columns.join(" || '|' || ")
                    ))
                    .fetch_all(&mut *db)
                    .await
                    .expect("rows");
                    contents.insert(table, rows.join("\n"));
                }
            }
            Db::Postgres(db) => {
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
                     AND tablename NOT IN ('throttle', '_sqlx_migrations')",
                )
                .fetch_all(&mut *db)
                .await
                .expect("tables");
                for table in tables {
                    let rows: String = sqlx::query_scalar(&format!(
                        "SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') \
                         FROM {table} t"
                    ))
                    .fetch_one(&mut *db)
                    .await
                    .expect("rows");
                    contents.insert(table, rows);
                }
            }
        }
        contents
    }

    /// Sends one case; its status, or what it did wrong.
    async fn check(&mut self, case: Case) -> Result<u16, TestCaseError> {
        let target = self.targets[case.target].clone();
        let owner = case.owner.map(|o| &self.owners[o]);
        let mut segments = case.segments.iter();
        let mut path = String::new();
        let mut rest = target.template.as_str();
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}').expect("a closing brace");
            path.push_str(&rest[..open]);
            let name = &rest[open + 1..close];
            let value = match segments.next() {
                Some(Segment::Text(t)) => encode(t),
                _ => match name {
                    "id" => owner.map_or("a0b1c2".to_owned(), |(_, id)| id.clone()),
                    "n" => "1".to_owned(),
                    "format" => "qti3".to_owned(),
                    _ => "AIF-C01".to_owned(),
                },
            };
            path.push_str(&value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        if !case.query.is_empty() {
            let query: Vec<String> = case
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect();
            path = format!("{path}?{}", query.join("&"));
        }
        let mut request = self
            .client
            .request(target.method.clone(), format!("{}{path}", self.app.address));
        if let Some((identity, _)) = owner {
            request = request.header(COOKIE, format!("gmc_id={identity}"));
        }
        request = match &case.body {
            Body::None => request,
            Body::Json(v) => request.json(v),
            Body::Form(pairs) => request.form(pairs),
            Body::Bytes(kind, bytes) => request.header(CONTENT_TYPE, kind).body(bytes.clone()),
        };
        let before = self.contents().await;
        let response = request.send().await.expect("answered");
        let status = response.status();
        let kind = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let text = response.text().await.expect("a body");
        let what = format!(
            "{} {path} -> {status}: {}",
            target.method,
            text.chars().take(300).collect::<String>()
        );
        prop_assert!(status.as_u16() < 500, "{what}");
        if status.is_client_error() {
            if path.starts_with("/api/") {
                let body: Value = serde_json::from_str(&text)
                    .map_err(|_| TestCaseError::fail(format!("not JSON: {what}")))?;
                prop_assert!(
                    body["error"].as_str().is_some_and(|e| e.len() > 5),
                    "no reason: {what}"
                );
            } else {
                prop_assert!(kind.starts_with("text/html"), "not a page: {what}");
                prop_assert!(
                    text.contains("<h1") || text.contains("role=\"alert\""),
                    "no message: {what}"
                );
            }
            let after = self.contents().await;
            for (table, rows) in &before {
                prop_assert_eq!(
                    Some(rows),
                    after.get(table),
                    "{} changed the {} table",
                    what,
                    table
                );
            }
        }
        Ok(status.as_u16())
    }
}

#[test]
fn bad_input_is_never_a_500_says_what_is_wrong_and_stores_nothing_on_sqlite() {
    bad_input_is_never_a_500(|| Box::pin(async { Some(TestApp::spawn().await) }), CASES);
}

#[test]
fn bad_input_is_never_a_500_says_what_is_wrong_and_stores_nothing_on_postgres() {
    bad_input_is_never_a_500(|| Box::pin(TestApp::spawn_postgres()), CASES / 3);
}

type Spawn = fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = Option<TestApp>>>>;

fn bad_input_is_never_a_500(spawn: Spawn, cases: u32) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let Some(app) = runtime.block_on(spawn()) else {
        return;
    };
    let world = std::sync::Mutex::new(runtime.block_on(World::new(app)));
    let cases = std::env::var("GETMYCERT_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    let targets = world.lock().expect("world").targets.len();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let statuses = std::sync::Mutex::new(BTreeMap::<u16, u32>::new());
    let result = runner.run(&case(targets), |case| {
        let status =
            runtime.block_on(world.lock().unwrap_or_else(|e| e.into_inner()).check(case))?;
        *statuses
            .lock()
            .expect("statuses")
            .entry(status)
            .or_default() += 1;
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let statuses = statuses.into_inner().expect("statuses");
    assert!(
        statuses.keys().filter(|s| (400..500).contains(*s)).count() >= 4,
        "the cases reach several kinds of refusal: {statuses:?}"
    );
    let backend = world.lock().map_or("?", |w| match w.db {
        Db::Sqlite(_) => "SQLite",
        Db::Postgres(_) => "PostgreSQL",
    });
    eprintln!("{backend}: {cases} requests over {targets} routes, by status: {statuses:?}");
}
