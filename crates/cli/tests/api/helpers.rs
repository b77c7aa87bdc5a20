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
    _db: TestDatabase,
    _content: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
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
        let content = content_copy();
        let args = ServeArgs {
            addr: "127.0.0.1:0".into(),
            database_url: db.url.clone(),
            content_dir: Some(content.path().to_owned()),
        };
        let app = Application::build(&args)
            .await
            .expect("the application builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("a client");
        Self {
            address,
            client,
            _db: db,
            _content: content,
            stop: Some(stop),
        }
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
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "GET {path}: {}", page.body);
        page.body
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
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
