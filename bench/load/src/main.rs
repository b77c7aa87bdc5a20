//! `getmycert-load`: measures a running GetMyCert server from outside, over HTTP, and reads the
//! server's CPU time and memory from /proc.
//!
//! - `costs`: the server CPU each kind of request costs (start, item, save, submit, report),
//!   phase by phase, next to a static file measured in the same run.
//! - `rush`: the exam-day rush: N guests arrive within a window, each sits a whole simulation
//!   at a given pace; per-phase latency percentiles, errors, CPU seconds, sittings per CPU
//!   second, peak and final resident memory.
//! - `steady`: N learners doing practice sets back to back for a while.
//! - `one-by-one`: one kind of request at a time, after a signal on stdin, for counting the
//!   server's instructions per request under callgrind (`bench/load/callgrind.sh`).
//!
//! The server is started separately (see `bench/load/run.sh`, which pins it to one core).
#![forbid(unsafe_code)]

mod proc;
mod report;
mod sitting;

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use report::{Phase, Recorder};
use sitting::{Client, Sitting};

#[derive(Debug, Parser)]
#[command(about = "Load harness for GetMyCert")]
struct Args {
    /// The server's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// The server's process id, for CPU and memory readings from /proc.
    #[arg(long)]
    pid: u32,
    /// The exam to sit.
    #[arg(long, default_value = "AIF-C01")]
    exam: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// Server CPU per request for each hot path, next to a static file.
    Costs {
        /// Whole simulations to run, phase by phase.
        #[arg(long, default_value_t = 40)]
        sittings: usize,
        /// Requests in flight at once.
        #[arg(long, default_value_t = 4)]
        concurrency: usize,
    },
    /// The exam-day rush.
    Rush {
        /// Guests who each start and complete one simulation.
        #[arg(long, default_value_t = 1000)]
        guests: usize,
        /// Seconds over which the guests arrive (uniformly).
        #[arg(long, default_value_t = 60.0)]
        window: f64,
        /// Mean seconds between answers (each pause is drawn between half and 1.5 times the
        /// guest's own pace).
        #[arg(long, default_value_t = 1.0)]
        think: f64,
        /// How far guests' own paces spread around `think`: each guest keeps a pace drawn
        /// between (1 - spread) and (1 + spread) times it, as real candidates finish at
        /// different times; 0 gives every guest the same pace.
        #[arg(long, default_value_t = 0.5)]
        pace_spread: f64,
        /// Also measure the static file for the ratio (requests).
        #[arg(long, default_value_t = 2000)]
        static_requests: usize,
    },
    /// One kind of request, one at a time: the sittings it needs are started first, then the
    /// harness prints `ready`, waits for a line on stdin, sends the requests and prints `done`.
    /// Items are read and answered once each, sitting after sitting, as candidates do.
    OneByOne {
        /// `static`, `start`, `item`, `save`, `submit`, `report`, `item-page` or
        /// `report-page` (submit and the reports send one request per sitting, every item
        /// answered first; each page is read once before it is measured).
        #[arg(long)]
        kind: String,
        #[arg(long, default_value_t = 1500)]
        count: usize,
    },
    /// Learners doing 20-question practice sets back to back.
    Steady {
        #[arg(long, default_value_t = 200)]
        learners: usize,
        #[arg(long, default_value_t = 60.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1.0)]
        think: f64,
    },
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if proc::read(args.pid).is_none() {
        eprintln!("no process {} to read from /proc", args.pid);
        return std::process::ExitCode::FAILURE;
    }
    let client = Client::new(&args.url, &args.exam);
    runtime.block_on(async {
        match args.scenario {
            Scenario::Costs {
                sittings,
                concurrency,
            } => costs(&client, args.pid, sittings, concurrency).await,
            Scenario::Rush {
                guests,
                window,
                think,
                pace_spread,
                static_requests,
            } => {
                let pace = Pace {
                    think,
                    spread: pace_spread.clamp(0.0, 0.95),
                };
                rush(&client, args.pid, guests, window, pace, static_requests).await
            }
            Scenario::Steady {
                learners,
                seconds,
                think,
            } => steady(&client, args.pid, learners, seconds, think).await,
            Scenario::OneByOne { kind, count } => {
                return one_by_one(&client, args.pid, &kind, count).await;
            }
        }
        std::process::ExitCode::SUCCESS
    })
}

/// See [`Scenario::OneByOne`].
async fn one_by_one(client: &Client, pid: u32, kind: &str, count: usize) -> std::process::ExitCode {
    const KINDS: [&str; 8] = [
        "static",
        "start",
        "item",
        "save",
        "submit",
        "report",
        "item-page",
        "report-page",
    ];
    if !KINDS.contains(&kind) {
        eprintln!("--kind {kind}: use one of {}", KINDS.join(", "));
        return std::process::ExitCode::FAILURE;
    }
    let sittings = match prepare(client, kind, count).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    println!("ready");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    let before = proc::read(pid).unwrap_or_default();
    if let Err(e) = one_kind(client, kind, count, sittings).await {
        eprintln!("{kind}: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let used = proc::read(pid).unwrap_or_default().since(&before);
    println!(
        "done: {count} {kind} requests, {:.0} µs of server CPU each",
        used.cpu.as_secs_f64() * 1e6 / count.max(1) as f64
    );
    std::process::ExitCode::SUCCESS
}

/// The sittings `count` requests of `kind` need, brought to where those requests start: items
/// read before they are answered; every item answered (and for `report` submitted) before a
/// submit or report.
async fn prepare(client: &Client, kind: &str, count: usize) -> Result<Vec<Sitting>, String> {
    let mut sittings: Vec<Sitting> = Vec::new();
    let per_sitting = matches!(kind, "submit" | "report" | "report-page");
    let enough = |s: &[Sitting]| {
        if per_sitting {
            s.len() >= count
        } else {
            s.iter().map(|s| s.total).sum::<usize>() >= count
        }
    };
    if matches!(kind, "static" | "start") {
        return Ok(sittings);
    }
    while !enough(&sittings) {
        let mut s = client
            .start()
            .await
            .map_err(|e| format!("could not start a sitting: {e}"))?;
        if !matches!(kind, "item" | "item-page") {
            for n in 1..=s.total {
                client.item(&mut s, n).await?;
                if per_sitting {
                    client.save(&mut s, n).await?;
                }
            }
        }
        if matches!(kind, "report" | "report-page") {
            client.submit(&s).await?;
        }
        // Pages are measured as every candidate after the first sees them: the revisions'
        // HTML already made (the first view of each revision in a process makes it).
        if kind == "item-page" {
            for n in 1..=s.total {
                client.item_page(&s, n).await?;
            }
        }
        if kind == "report-page" {
            client.report_page(&s).await?;
        }
        sittings.push(s);
    }
    Ok(sittings)
}

/// Sends the `count` requests of `kind`, one at a time; what is left over after the sittings
/// run out goes to the static file.
async fn one_kind(
    client: &Client,
    kind: &str,
    count: usize,
    mut sittings: Vec<Sitting>,
) -> Result<(), String> {
    let mut sent = 0;
    match kind {
        "start" => {
            for _ in 0..count {
                client.start().await?;
            }
            sent = count;
        }
        "submit" | "report" | "report-page" => {
            for s in sittings.iter().take(count) {
                match kind {
                    "submit" => client.submit(s).await?,
                    "report" => client.report(s).await?,
                    _ => client.report_page(s).await?,
                }
                sent += 1;
            }
        }
        "item" | "save" | "item-page" => {
            'all: for s in &mut sittings {
                for n in 1..=s.total {
                    if sent == count {
                        break 'all;
                    }
                    match kind {
                        "item" => client.item(s, n).await?,
                        "save" => client.save(s, n).await?,
                        _ => client.item_page(s, n).await?,
                    }
                    sent += 1;
                }
            }
        }
        _ => {}
    }
    for _ in sent..count {
        client.static_file().await?;
    }
    Ok(())
}

/// Runs `n` requests made by `make`, `concurrency` at a time; returns the server CPU they cost.
async fn phase<F, Fut>(
    recorder: &Recorder,
    pid: u32,
    name: Phase,
    n: usize,
    concurrency: usize,
    make: F,
) -> proc::Usage
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send,
{
    let before = proc::read(pid).unwrap_or_default();
    let make = Arc::new(make);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (make, next, recorder) = (make.clone(), next.clone(), recorder.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let started = Instant::now();
                let outcome = make(i).await;
                recorder.record(name, started.elapsed(), outcome.is_ok());
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    proc::read(pid).unwrap_or_default().since(&before)
}

/// The static file `n` times, `concurrency` at once: the reference every ratio is taken to.
async fn static_phase(
    client: &Client,
    recorder: &Recorder,
    pid: u32,
    n: usize,
    concurrency: usize,
) -> proc::Usage {
    let c = client.clone();
    phase(recorder, pid, Phase::Static, n, concurrency, move |_| {
        let c = c.clone();
        async move { c.static_file().await }
    })
    .await
}

async fn costs(client: &Client, pid: u32, sittings: usize, concurrency: usize) {
    let recorder = Recorder::default();
    let statics = 20_000;
    let static_cpu = static_phase(client, &recorder, pid, statics, concurrency).await;
    let c = client.clone();
    let health_cpu = phase(
        &recorder,
        pid,
        Phase::Health,
        statics,
        concurrency,
        move |_| {
            let c = c.clone();
            async move { c.health().await }
        },
    )
    .await;
    let mut rows = vec![
        (Phase::Static, statics, static_cpu),
        (Phase::Health, statics, health_cpu),
    ];
    let sittings_list: Arc<Vec<tokio::sync::Mutex<Option<Sitting>>>> = Arc::new(
        (0..sittings)
            .map(|_| tokio::sync::Mutex::new(None))
            .collect(),
    );
    let (c, s) = (client.clone(), sittings_list.clone());
    let cpu = phase(
        &recorder,
        pid,
        Phase::Start,
        sittings,
        concurrency,
        move |i| {
            let (c, s) = (c.clone(), s.clone());
            async move {
                let sitting = c.start().await?;
                *s[i].lock().await = Some(sitting);
                Ok(())
            }
        },
    )
    .await;
    rows.push((Phase::Start, sittings, cpu));
    let total = match sittings_list[0].lock().await.as_ref() {
        Some(s) => s.total,
        None => {
            eprintln!("no attempt could be started; see the server's log");
            return;
        }
    };
    for (name, kind) in [(Phase::Item, 0), (Phase::Save, 1), (Phase::ItemPage, 2)] {
        let (c, s) = (client.clone(), sittings_list.clone());
        let cpu = phase(
            &recorder,
            pid,
            name,
            sittings * total,
            concurrency,
            move |i| {
                let (c, s) = (c.clone(), s.clone());
                async move {
                    // Item by item across the sittings, so that requests in flight belong to
                    // different candidates, as they do on a live site.
                    let mut guard = s[i % sittings].lock().await;
                    let sitting = guard.as_mut().ok_or("no attempt")?;
                    let n = i / sittings + 1;
                    match kind {
                        0 => c.item(sitting, n).await,
                        1 => c.save(sitting, n).await,
                        _ => c.item_page(sitting, n).await,
                    }
                }
            },
        )
        .await;
        rows.push((name, sittings * total, cpu));
    }
    for name in [Phase::Submit, Phase::Report, Phase::ReportPage] {
        let (c, s) = (client.clone(), sittings_list.clone());
        let cpu = phase(&recorder, pid, name, sittings, concurrency, move |i| {
            let (c, s) = (c.clone(), s.clone());
            async move {
                let guard = s[i].lock().await;
                let sitting = guard.as_ref().ok_or("no attempt")?;
                match name {
                    Phase::Submit => c.submit(sitting).await,
                    Phase::Report => c.report(sitting).await,
                    _ => c.report_page(sitting).await,
                }
            }
        })
        .await;
        rows.push((name, sittings, cpu));
    }
    // The static file again: the machine's speed drifts over a run, so the ratios are taken to
    // the static file measured around the other requests (both halves are printed).
    let static_after = static_phase(client, &recorder, pid, statics, concurrency).await;
    println!(
        "static file before / after the others: {:.0} / {:.0} µs",
        static_cpu.cpu.as_secs_f64() * 1e6 / statics as f64,
        static_after.cpu.as_secs_f64() * 1e6 / statics as f64
    );
    rows[0] = (
        Phase::Static,
        2 * statics,
        proc::Usage {
            cpu: static_cpu.cpu + static_after.cpu,
            sys: static_cpu.sys + static_after.sys,
        },
    );
    report::costs_table(&rows, total, &recorder, proc::read(pid).unwrap_or_default());
    if let Ok(text) = client.metrics().await {
        report::groups(&text);
    }
}

/// How fast the guests of a rush answer.
#[derive(Debug, Clone, Copy)]
struct Pace {
    /// Mean seconds between answers over all guests.
    think: f64,
    /// Guests' own paces lie within `think` × (1 ± spread).
    spread: f64,
}

impl Pace {
    /// Guest `g`'s own mean pause (a fixed scatter over the guests, the same in every run).
    fn of(self, g: usize) -> f64 {
        let u = (g as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 11;
        let unit = u as f64 / (1u64 << 53) as f64;
        self.think * (1.0 - self.spread + 2.0 * self.spread * unit)
    }
}

async fn rush(
    client: &Client,
    pid: u32,
    guests: usize,
    window: f64,
    pace: Pace,
    static_requests: usize,
) {
    println!(
        "pace: {:.1} s between answers on average; each guest's own pace {:.1}–{:.1} s",
        pace.think,
        pace.think * (1.0 - pace.spread),
        pace.think * (1.0 + pace.spread)
    );
    let recorder = Recorder::default();
    let static_cpu = static_phase(client, &recorder, pid, static_requests, 8).await;
    let before = proc::read(pid).unwrap_or_default();
    let started = Instant::now();
    let peak = report::watch_memory(pid);
    let mut tasks = Vec::with_capacity(guests);
    // The guests' own connections, closed when they have all finished.
    let guests_client = client.fresh();
    for g in 0..guests {
        let arrival = Duration::from_secs_f64(window * g as f64 / guests as f64);
        let (c, recorder) = (guests_client.clone(), recorder.clone());
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + arrival)).await;
            c.sit(&recorder, pace.of(g), g as u64).await
        }));
    }
    let mut completed = 0;
    for t in tasks {
        if matches!(t.await, Ok(true)) {
            completed += 1;
        }
    }
    let elapsed = started.elapsed();
    let after = proc::read(pid).unwrap_or_default();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let connected = proc::read(pid).unwrap_or_default();
    drop(guests_client);
    tokio::time::sleep(Duration::from_secs(5)).await;
    let settled = proc::read(pid).unwrap_or_default();
    tokio::time::sleep(Duration::from_secs(15)).await;
    let quiet = proc::read(pid).unwrap_or_default();
    report::rush_summary(report::RushFigures {
        guests,
        completed,
        elapsed,
        cpu: after.cpu.saturating_sub(before.cpu),
        static_cpu_per_request: static_cpu.cpu / static_requests.max(1) as u32,
        idle_rss_kb: before.rss_kb,
        peak_rss_kb: peak.stop().max(after.peak_rss_kb),
        connected_rss_kb: connected.rss_kb,
        settled_rss_kb: settled.rss_kb,
        quiet_rss_kb: quiet.rss_kb,
        recorder: &recorder,
    });
}

async fn steady(client: &Client, pid: u32, learners: usize, seconds: f64, think: f64) {
    let recorder = Recorder::default();
    let before = proc::read(pid).unwrap_or_default();
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let mut tasks = Vec::new();
    for g in 0..learners {
        let (c, recorder) = (client.clone(), recorder.clone());
        tasks.push(tokio::spawn(async move {
            let mut sets = 0;
            while Instant::now() < until {
                if c.practise(&recorder, think, g as u64 * 1000 + sets).await {
                    sets += 1;
                }
            }
            sets
        }));
    }
    let mut sets = 0;
    for t in tasks {
        sets += t.await.unwrap_or(0);
    }
    let after = proc::read(pid).unwrap_or_default();
    println!(
        "steady practice: {learners} learners, {seconds:.0} s, {sets} practice sets completed"
    );
    println!(
        "server CPU {:.2} s; resident memory {} MB (peak {} MB)",
        after.cpu.saturating_sub(before.cpu).as_secs_f64(),
        after.rss_kb / 1024,
        after.peak_rss_kb / 1024
    );
    recorder.print();
}
