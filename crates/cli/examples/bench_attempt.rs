//! Benchmark (not a test): one candidate's whole simulation over real HTTP — start, then for
//! each of the 65 items a GET and a PUT of the response, then submit — repeated, on the store
//! given by the URL.
//!
//! ```sh
//! cargo run --release -p getmycert --example bench_attempt -- sqlite:///tmp/bench/db.sqlite 30
//! cargo run --release -p getmycert --example bench_attempt -- postgres://postgres@127.0.0.1/bench 30
//! ```

use std::time::{Duration, Instant};

use getmycert::cli::ServeArgs;
use getmycert::startup::Application;
use serde_json::{Value, json};

fn answer(item: &Value) -> Value {
    let ids: Vec<Value> = item["options"]
        .as_array()
        .map(|o| o.iter().map(|x| x["id"].clone()).collect())
        .unwrap_or_default();
    match item["type"].as_str().unwrap_or("") {
        "multiple" => json!({"selected": ids[..item["select"].as_u64().unwrap_or(2) as usize]}),
        "ordering" => json!({"order": ids}),
        "matching" => {
            let matches: serde_json::Map<String, Value> = item["prompts"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .map(|x| (x["id"].as_str().unwrap_or("1").to_owned(), ids[0].clone()))
                        .collect()
                })
                .unwrap_or_default();
            json!({"matches": matches})
        }
        _ => json!({"selected": [ids[0]]}),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let database_url = args
        .next()
        .unwrap_or_else(|| "sqlite:///tmp/getmycert-bench/db.sqlite".into());
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let content = tempfile::tempdir()?;
    getmycert_content::testing::copy_tree(
        &getmycert_content::testing::repository_content(),
        content.path(),
    );
    let app = Application::build(&ServeArgs {
        addr: "127.0.0.1:0".into(),
        database_url: database_url.clone(),
        content_dir: Some(content.path().to_owned()),
        https: false,
        trusted_proxies: Vec::new(),
        calibrate_every: 0,
    })
    .await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped(std::future::pending()));

    let mut totals = Vec::with_capacity(runs);
    let (mut starts, mut gets, mut puts, mut submits) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let begun = Instant::now();
        let t = Instant::now();
        let started: Value = client
            .post(format!("{base}/api/v1/attempts"))
            .json(&json!({"exam": "AIF-C01", "mode": "exam"}))
            .send()
            .await?
            .json()
            .await?;
        starts.push(t.elapsed());
        let id = started["id"].as_str().ok_or("no attempt id")?.to_owned();
        let total = started["total"].as_u64().ok_or("no total")?;
        for n in 1..=total {
            let t = Instant::now();
            let item: Value = client
                .get(format!("{base}/api/v1/attempts/{id}/items/{n}"))
                .send()
                .await?
                .json()
                .await?;
            gets.push(t.elapsed());
            let t = Instant::now();
            let saved = client
                .put(format!("{base}/api/v1/attempts/{id}/items/{n}/response"))
                .json(&answer(&item))
                .send()
                .await?;
            if !saved.status().is_success() {
                return Err(format!("PUT {n}: {}", saved.text().await?).into());
            }
            puts.push(t.elapsed());
        }
        let t = Instant::now();
        let report: Value = client
            .post(format!("{base}/api/v1/attempts/{id}/submit"))
            .send()
            .await?
            .json()
            .await?;
        submits.push(t.elapsed());
        if report["scaled_score"].as_u64().is_none() {
            return Err(format!("no score: {report}").into());
        }
        totals.push(begun.elapsed());
    }
    let show = |name: &str, mut v: Vec<Duration>| {
        v.sort();
        let mean = v.iter().sum::<Duration>() / v.len() as u32;
        println!(
            "{name:<28} n={:<5} mean {:>8.2} ms  p50 {:>8.2} ms  p95 {:>8.2} ms",
            v.len(),
            mean.as_secs_f64() * 1e3,
            percentile(&v, 0.5).as_secs_f64() * 1e3,
            percentile(&v, 0.95).as_secs_f64() * 1e3
        );
    };
    println!(
        "{runs} simulations of AIF-C01 (65 items) on {}",
        database_url.split("://").next().unwrap_or("?")
    );
    show("whole simulation", totals);
    show("start (POST /attempts)", starts);
    show("GET item", gets);
    show("PUT response", puts);
    show("submit", submits);
    Ok(())
}
