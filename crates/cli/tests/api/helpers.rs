//! `TestApp`: the application built exactly as `main` builds it, on a random port, over a
//! throwaway database, with one helper per request the tests make.

use std::path::Path;

use getmycert::cli::ServeArgs;
use getmycert::startup::Application;
use getmycert_store::testing::TestDatabase;
use reqwest::StatusCode;
use tokio::sync::oneshot;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    db: Option<TestDatabase>,
    content: Option<tempfile::TempDir>,
    pub args: ServeArgs,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// An API answer with its `Retry-After`.
pub struct Answered {
    pub status: StatusCode,
    pub retry_after: Option<u64>,
    pub body: serde_json::Value,
}

impl Answered {
    /// The database was out of reach: 503, `Retry-After: 5` and a JSON reason that says to
    /// retry.
    pub fn assert_retry_later(&self) {
        assert_eq!(
            self.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            self.body
        );
        assert_eq!(self.retry_after, Some(5));
        assert!(
            self.body["error"]
                .as_str()
                .is_some_and(|e| e.contains("retry")),
            "{}",
            self.body
        );
    }
}

/// A fetched page.
pub struct Page {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

impl TestApp {
    /// The app over SQLite with the embedded content.
    pub async fn spawn() -> Self {
        Self::spawn_on(TestDatabase::sqlite()).await
    }

    /// The app over a fresh PostgreSQL database (`None` outside CI when unreachable).
    pub async fn spawn_postgres() -> Option<Self> {
        Some(Self::spawn_on(TestDatabase::postgres().await?).await)
    }

    async fn spawn_on(db: TestDatabase) -> Self {
        Self::spawn_with(db, content_copy()).await
    }

    /// The app over a fresh PostgreSQL database serving the repository's whole bank.
    pub async fn spawn_postgres_with_bank() -> Option<Self> {
        let db = TestDatabase::postgres().await?;
        Some(Self::spawn_with(db, bank_copy()).await)
    }

    /// The app over SQLite serving the repository's whole bank.
    pub async fn spawn_with_bank() -> Self {
        Self::spawn_with(TestDatabase::sqlite(), bank_copy()).await
    }

    /// The app as served behind a TLS-terminating proxy (`--https`).
    pub async fn spawn_https() -> Self {
        Self::launch(TestDatabase::sqlite(), content_copy(), true, Vec::new()).await
    }

    /// The app behind reverse proxies at these networks (`--trusted-proxy`).
    pub async fn spawn_behind(proxies: &[&str]) -> Self {
        let proxies = proxies
            .iter()
            .map(|p| getmycert_web::client::parse_network(p).expect("a network"))
            .collect();
        Self::launch(TestDatabase::sqlite(), content_copy(), false, proxies).await
    }

    /// The app over `db` serving `content`.
    pub async fn spawn_with(db: TestDatabase, content: tempfile::TempDir) -> Self {
        Self::launch(db, content, false, Vec::new()).await
    }

    /// The app over `db` as reached at `url` (through a proxy the test controls), serving the
    /// test fixtures.
    pub async fn spawn_reaching(db: TestDatabase, url: &str) -> Self {
        Self::launch_at(db, url, content_copy(), false, Vec::new()).await
    }

    async fn launch(
        db: TestDatabase,
        content: tempfile::TempDir,
        https: bool,
        trusted_proxies: Vec<ipnet::IpNet>,
    ) -> Self {
        let url = db.url.clone();
        Self::launch_at(db, &url, content, https, trusted_proxies).await
    }

    async fn launch_at(
        db: TestDatabase,
        url: &str,
        content: tempfile::TempDir,
        https: bool,
        trusted_proxies: Vec<ipnet::IpNet>,
    ) -> Self {
        let args = ServeArgs {
            addr: "127.0.0.1:0".into(),
            database_url: url.to_owned(),
            content_dir: Some(content.path().to_owned()),
            https,
            trusted_proxies,
            calibrate_every: 0,
        };
        let app = Application::build(&args)
            .await
            .expect("the application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        Self {
            address,
            client: Self::new_client(),
            db: Some(db),
            content: Some(content),
            args,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// A second instance of the app on the same database and content, as behind a load
    /// balancer; it lives until the test ends.
    pub async fn second_instance(&self) -> String {
        let app = Application::build(&self.args)
            .await
            .expect("a second instance builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped(std::future::pending()));
        address
    }

    /// A client with its own cookie jar: a separate identity.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("a client")
    }

    /// Stops the server (in-flight requests finish) and hands back its database and content,
    /// so a test can start the app again on them.
    pub async fn stop(mut self) -> (TestDatabase, tempfile::TempDir) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await
                .expect("the server task")
                .expect("the server stops cleanly");
        }
        (
            self.db.take().expect("db"),
            self.content.take().expect("content"),
        )
    }

    /// A JSON request with this app's client; returns the status and the JSON body.
    pub async fn json(
        &self,
        client: &reqwest::Client,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (StatusCode, serde_json::Value) {
        let mut request = client.request(method, format!("{}{path}", self.address));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("answered");
        let status = response.status();
        let text = response.text().await.expect("a body");
        if text.is_empty() {
            return (status, serde_json::Value::Null);
        }
        let value =
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
        (status, value)
    }

    /// `GET /api/v1/attempts/{id}/items/{n}` with `client`.
    pub async fn item(
        &self,
        client: &reqwest::Client,
        id: &str,
        n: u64,
    ) -> (StatusCode, serde_json::Value) {
        self.json(
            client,
            reqwest::Method::GET,
            &format!("/api/v1/attempts/{id}/items/{n}"),
            None,
        )
        .await
    }

    /// Flags item `n` of sitting `id` with `client`.
    pub async fn flag(&self, client: &reqwest::Client, id: &str, n: u64) -> Answered {
        let response = client
            .put(format!(
                "{}/api/v1/attempts/{id}/items/{n}/response",
                self.address
            ))
            .json(&serde_json::json!({"flagged": true}))
            .send()
            .await
            .expect("answered");
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        let body = response.json().await.expect("a JSON body");
        Answered {
            status,
            retry_after,
            body,
        }
    }

    /// Saves an answer in `item`'s shape (see [`some_answer`]) with `client` (200 asserted).
    pub async fn save_some_answer(
        &self,
        client: &reqwest::Client,
        id: &str,
        item: &serde_json::Value,
    ) {
        let n = item["n"].as_u64().expect("n");
        let (status, saved) = self
            .json(
                client,
                reqwest::Method::PUT,
                &format!("/api/v1/attempts/{id}/items/{n}/response"),
                Some(some_answer(item)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{saved}");
    }

    /// Starts a practice set of `count` AIF-C01 questions with `client`: its id.
    pub async fn practice(&self, client: &reqwest::Client, count: u64) -> String {
        let view = self
            .start(
                client,
                serde_json::json!({"exam": "AIF-C01", "mode": "practice", "count": count}),
            )
            .await;
        view["id"].as_str().expect("id").to_owned()
    }

    /// `POST /api/v1/attempts/{id}/submit` with `client`.
    pub async fn submit(
        &self,
        client: &reqwest::Client,
        id: &str,
    ) -> (StatusCode, serde_json::Value) {
        self.json(
            client,
            reqwest::Method::POST,
            &format!("/api/v1/attempts/{id}/submit"),
            None,
        )
        .await
    }

    /// `POST /api/v1/attempts` with `client`: the started attempt's view (201 asserted).
    pub async fn start(
        &self,
        client: &reqwest::Client,
        body: serde_json::Value,
    ) -> serde_json::Value {
        let (status, view) = self
            .json(
                client,
                reqwest::Method::POST,
                "/api/v1/attempts",
                Some(body),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{view}");
        view
    }

    /// `POST /api/v1/auth/register` with `client`.
    pub async fn register<E: serde::Serialize>(
        &self,
        client: &reqwest::Client,
        email: E,
        password: &str,
    ) -> (StatusCode, serde_json::Value) {
        let body = serde_json::json!({"email": email, "password": password});
        self.json(
            client,
            reqwest::Method::POST,
            "/api/v1/auth/register",
            Some(body),
        )
        .await
    }

    /// `POST /api/v1/auth/login` with `client`.
    pub async fn login<E: serde::Serialize>(
        &self,
        client: &reqwest::Client,
        email: E,
        password: &str,
    ) -> (StatusCode, serde_json::Value) {
        let body = serde_json::json!({"email": email, "password": password});
        self.json(
            client,
            reqwest::Method::POST,
            "/api/v1/auth/login",
            Some(body),
        )
        .await
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request is answered");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.text().await.expect("a body");
        Page {
            status,
            location,
            body,
        }
    }

    /// GET that must answer 200; returns the body.
    pub async fn page(&self, path: &str) -> String {
        self.page_with(&self.client, path).await
    }

    /// `GET path` with `client`, 200 asserted: the body.
    pub async fn page_with(&self, client: &reqwest::Client, path: &str) -> String {
        let response = client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request is answered");
        let status = response.status();
        let body = response.text().await.expect("a body");
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The `getmycert` binary built for these tests, as an operator runs it.
pub fn binary() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_getmycert"))
}

/// The binary set to serve on `port` of 127.0.0.1, logging at `level`.
pub fn serving(port: u16, level: &str) -> std::process::Command {
    let mut command = binary();
    command
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .args(["--log-level", level]);
    command
}

/// A port nothing listens on at the moment.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A copy of the repository's whole content (the bundled bank).
pub fn bank_copy() -> tempfile::TempDir {
    let content = tempfile::tempdir().expect("a temporary directory");
    getmycert_content::testing::copy_tree(
        &getmycert_content::testing::repository_content(),
        content.path(),
    );
    content
}

/// The repository's catalog and guides with the test fixtures as the question bank, in a
/// temporary directory the test may break on purpose.
pub fn content_copy() -> tempfile::TempDir {
    let dir = getmycert_content::testing::content_dir_with(&[]);
    getmycert_content::testing::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/questions"),
        &dir.path().join("questions/fixtures"),
    );
    dir
}

/// Counts the occurrences of `needle` in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// An answer in the item's shape: the first option(s), the displayed order, or every prompt
/// matched to the first option.
pub fn some_answer(item: &serde_json::Value) -> serde_json::Value {
    let ids: Vec<serde_json::Value> = item["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    match item["type"].as_str().expect("type") {
        "single" => serde_json::json!({"selected": [ids[0]]}),
        "multiple" => {
            serde_json::json!({"selected": ids[..item["select"].as_u64().expect("select") as usize]})
        }
        "ordering" => serde_json::json!({"order": ids}),
        "matching" => {
            let prompts = item["prompts"].as_array().expect("prompts");
            let matches: serde_json::Map<String, serde_json::Value> = prompts
                .iter()
                .map(|p| (p["id"].as_str().expect("id").to_owned(), ids[0].clone()))
                .collect();
            serde_json::json!({"matches": matches})
        }
        other => panic!("unexpected type {other}"),
    }
}
