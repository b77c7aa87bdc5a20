//! Start-up as an operator sees it: the real binary, its exit code and its messages.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use getmycert::cli::ServeArgs;
use getmycert::startup::{Application, StartupError};

use crate::helpers::{binary, content_copy, free_port, serving};

fn edit(dir: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has no `{from}`");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_broken_catalog_stops_start_up_naming_the_file_and_entry() {
    let content = content_copy();
    edit(
        content.path(),
        "catalog/mls-c01.toml",
        "weight = 36",
        "weight = 30",
    );
    edit(
        content.path(),
        "catalog/path.toml",
        "exams = [\"MLA-C01\"]",
        "exams = [\"MLX-C01\"]",
    );
    let db = tempfile::tempdir().expect("tempdir");
    let output = binary()
        .args(["--addr", "127.0.0.1:0", "--content-dir"])
        .arg(content.path())
        .arg("--database-url")
        .arg(format!("sqlite://{}/db.sqlite", db.path().display()))
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "start-up must fail");
    assert!(stderr.contains("getmycert cannot start"), "{stderr}");
    assert!(
        stderr.contains("catalog/mls-c01.toml:")
            && stderr
                .contains("exam MLS-C01: domain weights sum to 94 (20 + 24 + 30 + 20), not 100"),
        "{stderr}"
    );
    assert!(
        stderr.contains("catalog/path.toml:")
            && stderr.contains("stage \"Associate\": unknown exam MLX-C01"),
        "{stderr}"
    );
    assert!(
        !db.path().join("db.sqlite").exists(),
        "nothing is written before content is valid"
    );
}

#[tokio::test]
async fn a_toml_syntax_error_names_its_line() {
    let content = content_copy();
    edit(
        content.path(),
        "catalog/aif-c01.toml",
        "[questions]",
        "[questions\n",
    );
    let args = ServeArgs {
        addr: "127.0.0.1:0".into(),
        database_url: "sqlite::memory:".into(),
        content_dir: Some(content.path().to_owned()),
        https: false,
        trusted_proxies: Vec::new(),
        calibrate_every: 0,
    };
    let error = Application::build(&args).await.expect_err("broken content");
    let StartupError::Content(errors) = error else {
        panic!("expected content errors, got {error}");
    };
    let text = std::fs::read_to_string(content.path().join("catalog/aif-c01.toml")).expect("read");
    let line = text
        .lines()
        .position(|l| l.starts_with("[questions"))
        .expect("line")
        + 1;
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert!(errors.0[0].file.ends_with("catalog/aif-c01.toml"));
    assert_eq!(errors.0[0].line, Some(line), "{errors}");
}

#[test]
fn content_check_lists_every_error_and_exits_1() {
    let content = content_copy();
    edit(
        content.path(),
        "catalog/mla-c01.toml",
        "passing_score]\nvalue = 720",
        "passing_score]\nvalue = 72000",
    );
    edit(
        content.path(),
        "guides/services.toml",
        "exams = [\"",
        "exams = [\"QQQ-C01\", \"",
    );
    let output = binary()
        .arg("content")
        .arg("check")
        .arg(content.path())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("2 error(s)"), "{stdout}");
    assert!(
        stderr.contains("exam MLA-C01: passing score 72000 is outside 100–1000"),
        "{stderr}"
    );
    assert!(
        stderr.contains("guides/services.toml:") && stderr.contains("unknown exam QQQ-C01"),
        "{stderr}"
    );

    let valid = content_copy();
    let ok = binary()
        .args(["content", "check"])
        .arg(valid.path())
        .output()
        .expect("runs");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn the_default_database_is_created_on_first_run_and_sigterm_stops_gracefully() {
    let cwd = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let content = content_copy();
    let mut child = binary()
        .current_dir(cwd.path())
        .arg("--content-dir")
        .arg(content.path())
        .env_remove("GETMYCERT_DATABASE_URL")
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let started = Instant::now();
    let healthy = loop {
        let answer = std::net::TcpStream::connect(("127.0.0.1", port)).is_ok();
        if answer || started.elapsed() > Duration::from_secs(30) {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    if !healthy {
        let _ = child.kill();
    }
    assert!(healthy, "the server never listened");
    assert!(
        cwd.path().join("data/getmycert.db").exists(),
        "the SQLite file is created under ./data"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("the server exits");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[tokio::test]
async fn no_password_hash_or_session_id_reaches_the_logs() {
    let content = content_copy();
    let dir = tempfile::tempdir().expect("tempdir");
    let log = std::fs::File::create(dir.path().join("log.txt")).expect("log file");
    let port = free_port();
    let mut child = serving(port, "trace")
        .arg("--content-dir")
        .arg(content.path())
        .arg("--database-url")
        .arg(format!("sqlite://{}/db.sqlite", dir.path().display()))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("client");
    let started = Instant::now();
    while client.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server never answered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let secret = "zebra quartz lantern meadow 77";
    let body = serde_json::json!({"email": "log@example.com", "password": secret});
    let response = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&body)
        .send()
        .await
        .expect("register");
    let session = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix("gmc_session=")
                .and_then(|c| c.split(';').next())
        })
        .expect("a session cookie")
        .to_owned();
    client
        .post(format!("{base}/api/v1/auth/logout"))
        .send()
        .await
        .expect("logout");
    let wrong = serde_json::json!({"email": "log@example.com", "password": "not the one at all"});
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&wrong)
        .send()
        .await
        .expect("bad login");
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&body)
        .send()
        .await
        .expect("login");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    child.wait().expect("exit");
    let logs = std::fs::read_to_string(dir.path().join("log.txt")).expect("read the log");
    assert!(
        logs.len() > 1000,
        "trace logging was on: {} bytes",
        logs.len()
    );
    for secret_text in [secret, "not the one at all", "$argon2id$", session.as_str()] {
        assert!(
            !logs.contains(secret_text),
            "`{secret_text}` appears in the logs"
        );
    }
}

/// A deterministic uniform number in [0, 1) from a counter (splitmix64).
fn uniform(counter: u64) -> f64 {
    let mut z = counter.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) as f64 / u64::MAX as f64
}

#[test]
fn irt_fit_calibrates_a_csv_and_refuses_a_broken_one() {
    use getmycert_core::irt::ItemParams;
    let truth: Vec<ItemParams> = (0..10)
        .map(|j| ItemParams {
            a: 1.2,
            b: -1.8 + 0.4 * j as f64,
        })
        .collect();
    let mut csv = String::new();
    for person in 0..1500u64 {
        // Ability from an inverse-logistic transform of a uniform draw (close to N(0, 1.7²)).
        let u = uniform(person * 1000).clamp(1e-6, 1.0 - 1e-6);
        let theta = (u / (1.0 - u)).ln() / 1.7;
        let row: Vec<&str> = truth
            .iter()
            .enumerate()
            .map(|(j, item)| {
                let draw = uniform(person * 1000 + 1 + j as u64);
                if draw < 0.1 {
                    ""
                } else if uniform(person * 1000 + 500 + j as u64) < item.p(theta) {
                    "1"
                } else {
                    "0"
                }
            })
            .collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("responses.csv");
    std::fs::write(&file, csv).expect("write");
    let out = binary()
        .args(["irt", "fit", "--json", "--responses"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fit: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(fit["converged"], true);
    assert!(fit["seconds"].as_f64().is_some() && fit["iterations"].as_u64().is_some());
    let b: Vec<f64> = fit["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["b"].as_f64().expect("b"))
        .collect();
    assert_eq!(b.len(), 10);
    assert!(
        b.windows(2).all(|w| w[0] < w[1]),
        "difficulties keep their order: {b:?}"
    );

    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, "1,0,1\n0,1\n").expect("write");
    let out = binary()
        .args(["irt", "fit", "--responses"])
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2 has 2 values but line 1 has 3"));
    std::fs::write(&broken, "1,0,2\n").expect("write");
    let out = binary()
        .args(["irt", "fit", "--responses"])
        .arg(&broken)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("line 1, column 3: `2` is not 0, 1 or empty")
    );
}

#[test]
fn simulate_measures_calibration_forecasts_and_drills() {
    let out = binary()
        .args([
            "simulate",
            "--sizes",
            "400x12",
            "--candidates",
            "80",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let run = &m["calibration"][0];
    assert_eq!(
        (run["persons"].as_u64(), run["items"].as_u64()),
        (Some(400), Some(12))
    );
    for key in ["rmse_a", "rmse_b"] {
        let v = run[key].as_f64().expect(key);
        assert!((0.0..0.5).contains(&v), "{key} {v}");
    }
    let forecasts = m["pass_forecast"].as_array().expect("forecasts");
    assert_eq!(forecasts.len(), 4);
    for f in forecasts {
        let brier = f["brier"].as_f64().expect("brier");
        assert!((0.0..=0.25).contains(&brier), "better than a coin: {f}");
        assert!((0.0..=1.0).contains(&f["false_pass_rate"].as_f64().expect("rate")));
    }
    let drills = &m["adaptive"];
    assert_eq!(drills["bank"], 300);
    assert!((0.0..=1.0).contains(&drills["max_exposure"].as_f64().expect("exposure")));

    let bad = binary()
        .args(["simulate", "--sizes", "400"])
        .output()
        .expect("runs");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("must look like 1000x40"));
}
