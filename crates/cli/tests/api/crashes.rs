//! A crash loses no acknowledged answer: the server process is killed (SIGKILL, no clean-up of
//! any kind) while candidates are answering, started again on the same database, and every
//! sitting and answer it acknowledged with a 2xx is served back, on SQLite and on PostgreSQL.

use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, bank_copy, free_port, serving, some_answer};
use getmycert_store::testing::TestDatabase;

/// Candidates answering at once.
const CANDIDATES: usize = 12;
/// The server is killed once it has acknowledged this many answers (of 12 × 65).
const KILL_AFTER: usize = 240;

/// The server as an operator runs it: its own process.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    async fn start(database_url: &str, content: &Path) -> Self {
        let port = free_port();
        let mut child = serving(port, "warn")
            .args(["--calibrate-every", "0", "--database-url", database_url])
            .arg("--content-dir")
            .arg(content)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the binary starts");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while reqwest::get(format!("{base}/healthz"))
            .await
            .map_or(true, |r| r.status() != StatusCode::OK)
        {
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("the server never became healthy");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { child, base }
    }

    /// SIGKILL: the process ends at once, whatever it was doing.
    fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("the process is gone");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one candidate got acknowledged before the crash.
struct Sitting {
    client: reqwest::Client,
    attempt: String,
    /// (item number, the answer acknowledged)
    answers: Vec<(u64, Value)>,
    /// Saves sent but never answered (cut by the kill).
    cut: usize,
}

/// Starts a 65-item simulation and answers its items in order until the server stops
/// answering; `acknowledged` counts the 2xx saves of all candidates.
async fn candidate(base: String, seed: u64, acknowledged: Arc<AtomicUsize>) -> Sitting {
    let client = TestApp::new_client();
    let started = client
        .post(format!("{base}/api/v1/attempts"))
        .json(&json!({"exam": "AIF-C01", "mode": "exam", "seed": seed}))
        .send()
        .await
        .expect("the server is up when the sitting starts");
    assert_eq!(started.status(), StatusCode::CREATED);
    let view: Value = started.json().await.expect("the started attempt");
    let attempt = view["id"].as_str().expect("id").to_owned();
    let mut sitting = Sitting {
        client,
        attempt,
        answers: Vec::new(),
        cut: 0,
    };
    for n in 1..=view["total"].as_u64().expect("total") {
        let path = format!("{base}/api/v1/attempts/{}/items/{n}", sitting.attempt);
        let Ok(item) = sitting.client.get(&path).send().await else {
            break;
        };
        let Ok(item) = item.json::<Value>().await else {
            break;
        };
        let answer = some_answer(&item);
        let saved = sitting
            .client
            .put(format!("{path}/response"))
            .json(&answer)
            .send()
            .await;
        match saved {
            Ok(r) if r.status() == StatusCode::OK => {
                sitting.answers.push((n, answer));
                acknowledged.fetch_add(1, Ordering::SeqCst);
            }
            Ok(r) => panic!("a save answered {} before the crash", r.status()),
            Err(_) => {
                sitting.cut += 1;
                break;
            }
        }
    }
    sitting
}

async fn no_acknowledged_answer_is_lost_to_a_crash(db: TestDatabase, backend: &str) {
    let content = bank_copy();
    let server = Server::start(&db.url, content.path()).await;
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let candidates: Vec<_> = (0..CANDIDATES)
        .map(|i| {
            tokio::spawn(candidate(
                server.base.clone(),
                i as u64,
                acknowledged.clone(),
            ))
        })
        .collect();
    let waited = Instant::now();
    while acknowledged.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            waited.elapsed() < Duration::from_secs(120),
            "only {} answers acknowledged",
            acknowledged.load(Ordering::SeqCst)
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    let mut sittings = Vec::new();
    for c in candidates {
        sittings.push(c.await.expect("a candidate"));
    }
    let answers: usize = sittings.iter().map(|s| s.answers.len()).sum();
    let cut: usize = sittings.iter().map(|s| s.cut).sum();
    assert!(
        answers < CANDIDATES * 65,
        "the kill came before the candidates finished"
    );

    let restarted = Server::start(&db.url, content.path()).await;
    for sitting in &sittings {
        for (n, answer) in &sitting.answers {
            let item: Value = sitting
                .client
                .get(format!(
                    "{}/api/v1/attempts/{}/items/{n}",
                    restarted.base, sitting.attempt
                ))
                .send()
                .await
                .expect("answered")
                .json()
                .await
                .expect("an item");
            assert_eq!(
                &item["response"], answer,
                "{backend}: item {n} of {} was acknowledged before the kill",
                sitting.attempt
            );
        }
        // The sitting goes on where it stopped, and can be submitted.
        let submitted = sitting
            .client
            .post(format!(
                "{}/api/v1/attempts/{}/submit",
                restarted.base, sitting.attempt
            ))
            .send()
            .await
            .expect("answered");
        assert_eq!(submitted.status(), StatusCode::OK, "{backend}");
    }
    eprintln!(
        "{backend}: killed with {answers} answers acknowledged and {cut} in flight; all {answers} \
         served after the restart"
    );
    drop(restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_answer_is_lost_to_a_crash_on_sqlite() {
    no_acknowledged_answer_is_lost_to_a_crash(TestDatabase::sqlite(), "SQLite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_answer_is_lost_to_a_crash_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    no_acknowledged_answer_is_lost_to_a_crash(db, "PostgreSQL").await;
}
