//! PostgreSQL going away mid-sitting: the server reaches the database through a TCP proxy the
//! test cuts (every connection closed, new ones refused, as when PostgreSQL restarts) and
//! restores. Writes answer 503 with a JSON reason and `Retry-After`, `/healthz` answers 503,
//! and the server recovers by itself once the database is back.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::helpers::TestApp;
use getmycert_store::testing::TestDatabase;

/// A TCP proxy to one upstream address that can be cut and restored.
struct Cable {
    address: SocketAddr,
    upstream: SocketAddr,
    /// The accepting task and the connections it forwards; empty while cut.
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Cable {
    async fn to(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let cable = Self {
            address: listener.local_addr().expect("bound"),
            upstream,
            tasks: Arc::default(),
        };
        cable.forward(listener);
        cable
    }

    fn forward(&self, listener: TcpListener) {
        let (tasks, upstream) = (self.tasks.clone(), self.upstream);
        let accepting = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let connection = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                tasks.lock().expect("tasks").push(connection);
            }
        });
        self.tasks.lock().expect("tasks").push(accepting);
    }

    /// Closes every connection and stops listening: connecting is refused.
    fn cut(&self) {
        for task in self.tasks.lock().expect("tasks").drain(..) {
            task.abort();
        }
    }

    /// Listens again on the same address.
    async fn restore(&self) {
        let started = Instant::now();
        let listener = loop {
            match TcpListener::bind(self.address).await {
                Ok(listener) => break listener,
                Err(e) if started.elapsed() > Duration::from_secs(10) => panic!("rebind: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        self.forward(listener);
    }
}

/// Where `host:port` sits in a PostgreSQL URL.
fn authority(url: &str) -> std::ops::Range<usize> {
    let start = url
        .find('@')
        .map_or_else(|| url.find("://").expect("a URL") + 3, |i| i + 1);
    start..start + url[start..].find('/').expect("a database name")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_going_away_mid_sitting_answers_503_and_the_server_recovers_by_itself() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let at = authority(&db.url);
    let upstream = std::net::ToSocketAddrs::to_socket_addrs(&db.url[at.clone()])
        .expect("the PostgreSQL host resolves")
        .next()
        .expect("an address");
    let cable = Cable::to(upstream).await;
    let url = format!(
        "{}{}{}",
        &db.url[..at.start],
        cable.address,
        &db.url[at.end..]
    );
    let app = TestApp::spawn_reaching(db, &url).await;
    let client = TestApp::new_client();
    let id = app.practice(&client, 5).await;
    assert_eq!(app.flag(&client, &id, 1).await.status, StatusCode::OK);

    cable.cut();
    let cut = Instant::now();
    let refused = app.flag(&client, &id, 2).await;
    let refused_after = cut.elapsed();
    refused.assert_retry_later();
    let health = client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(health.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = app
        .json(
            &client,
            reqwest::Method::POST,
            "/api/v1/attempts",
            Some(json!({"exam": "AIF-C01", "mode": "practice", "count": 5})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "starting a sitting"
    );

    cable.restore().await;
    let restored = Instant::now();
    loop {
        let answered = app.flag(&client, &id, 2).await;
        if answered.status == StatusCode::OK {
            break;
        }
        answered.assert_retry_later();
        assert!(
            restored.elapsed() < Duration::from_secs(30),
            "the server did not recover within 30 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let recovered_after = restored.elapsed();
    for n in [1, 2] {
        let (_, item) = app.item(&client, &id, n as u64).await;
        assert_eq!(item["flagged"], json!(true), "item {n}: {item}");
    }
    let (status, _) = app.submit(&client, &id).await;
    assert_eq!(status, StatusCode::OK);
    let health = client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(health.status(), StatusCode::OK);
    eprintln!(
        "PostgreSQL cut: a save answered 503 after {refused_after:?}; restored: saved again after {recovered_after:?}"
    );
}
