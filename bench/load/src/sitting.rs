//! One guest's requests, as a browser's runner script makes them: start, each item read and
//! answered, submit, report. Guests are identified by their own `gmc_id` cookie, so one
//! connection pool serves them all.

use std::time::{Duration, Instant};

use reqwest::header::COOKIE;
use serde_json::{Value, json};

use crate::report::{Phase, Recorder};

/// The HTTP client shared by every guest.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    exam: String,
}

/// A started attempt and the guest it belongs to.
#[derive(Debug, Clone)]
pub struct Sitting {
    cookie: String,
    pub id: String,
    pub total: usize,
    /// Each item as served (for building an answer of the right shape).
    items: Vec<Option<Value>>,
}

/// A fresh guest identity cookie, as the server would issue one.
fn guest_cookie(seed: u64) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    format!(
        "gmc_id=g-{:016x}{:016x}",
        seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        nanos
    )
}

/// An answer of the right shape: the first option(s), the displayed order, every prompt to A.
fn answer(item: &Value) -> Value {
    let ids: Vec<Value> = item["options"]
        .as_array()
        .map(|o| o.iter().map(|x| x["id"].clone()).collect())
        .unwrap_or_default();
    match item["type"].as_str().unwrap_or("") {
        "multiple" => {
            let k = (item["select"].as_u64().unwrap_or(2) as usize).min(ids.len());
            json!({"selected": ids[..k]})
        }
        "ordering" => json!({"order": ids}),
        "matching" => {
            let matches: serde_json::Map<String, Value> = item["prompts"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .map(|x| (x["id"].as_str().unwrap_or("1").to_owned(), json!("A")))
                        .collect()
                })
                .unwrap_or_default();
            json!({"matches": matches})
        }
        _ => json!({"selected": ids.first().into_iter().collect::<Vec<_>>()}),
    }
}

/// A pause of `mean` seconds give or take half, varied by `k`.
fn pause(mean: f64, k: u64) -> Duration {
    let spread = (k.wrapping_mul(2_654_435_761) % 1000) as f64 / 1000.0;
    Duration::from_secs_f64(mean * (0.5 + spread))
}

impl Client {
    pub fn new(base: &str, exam: &str) -> Self {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(512)
            .timeout(Duration::from_secs(120))
            .build()
            .expect("an HTTP client");
        Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            exam: exam.to_owned(),
        }
    }

    /// A client to the same server with a connection pool of its own: dropping it (and its
    /// clones) closes those connections, as guests leaving do.
    pub fn fresh(&self) -> Self {
        Self::new(&self.base, &self.exam)
    }

    async fn call(
        &self,
        cookie: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(COOKIE, cookie);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let text = response.text().await.map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!("{status} on {path}: {text}"));
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// `path`'s body, or why it failed (a status other than 2xx too).
    async fn get(&self, path: &str) -> Result<String, String> {
        self.get_as(None, path).await
    }

    /// `path`'s body as the guest with `cookie` (none: no cookie).
    async fn get_as(&self, cookie: Option<&str>, path: &str) -> Result<String, String> {
        let mut request = self.http.get(format!("{}{path}", self.base));
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        let response = request.send().await.map_err(|e| e.to_string())?;
        let status = response.status();
        let text = response.text().await.map_err(|e| e.to_string())?;
        match status.is_success() {
            true => Ok(text),
            false => Err(format!("{status} on {path}")),
        }
    }

    /// The static stylesheet, the cheapest thing the server serves.
    pub async fn static_file(&self) -> Result<(), String> {
        self.get("/static/style.css").await.map(|_| ())
    }

    /// The server's metrics text, as Prometheus scrapes it.
    pub async fn metrics(&self) -> Result<String, String> {
        self.get("/metrics").await
    }

    /// The health check, which runs one trivial query.
    pub async fn health(&self) -> Result<(), String> {
        self.get("/healthz").await.map(|_| ())
    }

    async fn start_as(&self, cookie: String, mode: &str) -> Result<Sitting, String> {
        let body = json!({"exam": self.exam, "mode": mode});
        let view = self
            .call(
                &cookie,
                reqwest::Method::POST,
                "/api/v1/attempts",
                Some(body),
            )
            .await?;
        let total = view["total"].as_u64().ok_or("no total")? as usize;
        Ok(Sitting {
            cookie,
            id: view["id"].as_str().ok_or("no id")?.to_owned(),
            total,
            items: vec![None; total],
        })
    }

    /// A new guest starts a simulation.
    pub async fn start(&self) -> Result<Sitting, String> {
        let seed = Instant::now().elapsed().as_nanos() as u64;
        self.start_as(guest_cookie(seed ^ rand_seed()), "exam")
            .await
    }

    /// Reads item `n`.
    pub async fn item(&self, s: &mut Sitting, n: usize) -> Result<(), String> {
        let path = format!("/api/v1/attempts/{}/items/{n}", s.id);
        let item = self
            .call(&s.cookie, reqwest::Method::GET, &path, None)
            .await?;
        s.items[n - 1] = Some(item);
        Ok(())
    }

    /// Answers item `n` (read first if it was not).
    pub async fn save(&self, s: &mut Sitting, n: usize) -> Result<(), String> {
        if s.items[n - 1].is_none() {
            self.item(s, n).await?;
        }
        let body = answer(s.items[n - 1].as_ref().ok_or("no item")?);
        let path = format!("/api/v1/attempts/{}/items/{n}/response", s.id);
        self.call(&s.cookie, reqwest::Method::PUT, &path, Some(body))
            .await
            .map(|_| ())
    }

    pub async fn submit(&self, s: &Sitting) -> Result<(), String> {
        let path = format!("/api/v1/attempts/{}/submit", s.id);
        self.call(&s.cookie, reqwest::Method::POST, &path, None)
            .await
            .map(|_| ())
    }

    pub async fn report(&self, s: &Sitting) -> Result<(), String> {
        let path = format!("/api/v1/attempts/{}/report", s.id);
        self.call(&s.cookie, reqwest::Method::GET, &path, None)
            .await
            .map(|_| ())
    }

    /// Item `n`'s page, as the browser's runner shows it (HTML).
    pub async fn item_page(&self, s: &Sitting, n: usize) -> Result<(), String> {
        let path = format!("/attempts/{}/items/{n}", s.id);
        self.get_as(Some(&s.cookie), &path).await.map(|_| ())
    }

    /// The report page a browser lands on after submitting (HTML).
    pub async fn report_page(&self, s: &Sitting) -> Result<(), String> {
        let path = format!("/attempts/{}/report", s.id);
        self.get_as(Some(&s.cookie), &path).await.map(|_| ())
    }

    /// One guest's whole simulation at `think` seconds per answer; whether it completed.
    pub async fn sit(&self, recorder: &Recorder, think: f64, seed: u64) -> bool {
        self.sitting(recorder, think, seed, "exam").await
    }

    /// One 20-question practice set; whether it completed.
    pub async fn practise(&self, recorder: &Recorder, think: f64, seed: u64) -> bool {
        self.sitting(recorder, think, seed, "practice").await
    }

    async fn sitting(&self, recorder: &Recorder, think: f64, seed: u64, mode: &str) -> bool {
        let timed = |phase: Phase, started: Instant, ok: bool| {
            recorder.record(phase, started.elapsed(), ok);
            ok
        };
        let t = Instant::now();
        let mut s = match self.start_as(guest_cookie(seed ^ rand_seed()), mode).await {
            Ok(s) => {
                timed(Phase::Start, t, true);
                s
            }
            Err(e) => {
                timed(Phase::Start, t, false);
                recorder.error(e);
                return false;
            }
        };
        for n in 1..=s.total {
            let t = Instant::now();
            let read = self.item(&mut s, n).await;
            if !timed(Phase::Item, t, read.is_ok()) {
                recorder.error(read.err().unwrap_or_default());
                return false;
            }
            tokio::time::sleep(pause(think, seed ^ n as u64)).await;
            let t = Instant::now();
            let saved = self.save(&mut s, n).await;
            if !timed(Phase::Save, t, saved.is_ok()) {
                recorder.error(saved.err().unwrap_or_default());
                return false;
            }
        }
        let t = Instant::now();
        let submitted = self.submit(&s).await;
        if !timed(Phase::Submit, t, submitted.is_ok()) {
            recorder.error(submitted.err().unwrap_or_default());
            return false;
        }
        let t = Instant::now();
        let read = self.report(&s).await;
        if !timed(Phase::Report, t, read.is_ok()) {
            recorder.error(read.err().unwrap_or_default());
            return false;
        }
        true
    }
}

/// Some bits that differ between runs.
fn rand_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos() as u64)
        .wrapping_mul(0x2545_f491_4f6c_dd1d)
}
