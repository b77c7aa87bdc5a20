//! Latencies per phase, errors, and the tables the harness prints.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::proc;

/// A kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Static,
    Health,
    Start,
    Item,
    Save,
    Submit,
    Report,
    /// The runner's HTML page of an item, which browsers read instead of the JSON.
    ItemPage,
    /// The HTML report page browsers land on after submitting.
    ReportPage,
}

impl Phase {
    const ALL: [Phase; 9] = [
        Phase::Static,
        Phase::Health,
        Phase::Start,
        Phase::Item,
        Phase::Save,
        Phase::Submit,
        Phase::Report,
        Phase::ItemPage,
        Phase::ReportPage,
    ];

    fn label(self) -> &'static str {
        match self {
            Phase::Static => "GET /static/style.css",
            Phase::Health => "GET /healthz (SELECT 1)",
            Phase::Start => "start a simulation",
            Phase::Item => "GET an item",
            Phase::Save => "PUT a response",
            Phase::Submit => "submit",
            Phase::Report => "report",
            Phase::ItemPage => "item page (HTML)",
            Phase::ReportPage => "report page (HTML)",
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    samples: Vec<(Phase, Duration, bool)>,
    errors: Vec<String>,
}

/// Collects every request's phase, latency and outcome; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Inner>>);

impl Recorder {
    pub fn record(&self, phase: Phase, took: Duration, ok: bool) {
        if let Ok(mut inner) = self.0.lock() {
            inner.samples.push((phase, took, ok));
        }
    }

    pub fn error(&self, message: String) {
        if let Ok(mut inner) = self.0.lock() {
            inner.errors.push(message);
        }
    }

    /// (count, errors, p50, p95, p99) of a phase.
    fn stats(&self, phase: Phase) -> Option<(usize, usize, Duration, Duration, Duration)> {
        let inner = self.0.lock().ok()?;
        let mut took: Vec<Duration> = inner
            .samples
            .iter()
            .filter(|(p, _, _)| *p == phase)
            .map(|(_, d, _)| *d)
            .collect();
        if took.is_empty() {
            return None;
        }
        let errors = inner
            .samples
            .iter()
            .filter(|(p, _, ok)| *p == phase && !ok)
            .count();
        took.sort_unstable();
        let at = |q: f64| took[((took.len() as f64 - 1.0) * q).round() as usize];
        Some((took.len(), errors, at(0.50), at(0.95), at(0.99)))
    }

    /// The latency table and the first errors.
    pub fn print(&self) {
        println!(
            "{:<24} {:>9} {:>7} {:>10} {:>10} {:>10}",
            "request", "count", "errors", "p50 ms", "p95 ms", "p99 ms"
        );
        for phase in Phase::ALL {
            if let Some((n, errors, p50, p95, p99)) = self.stats(phase) {
                println!(
                    "{:<24} {n:>9} {errors:>7} {:>10.1} {:>10.1} {:>10.1}",
                    phase.label(),
                    ms(p50),
                    ms(p95),
                    ms(p99)
                );
            }
        }
        if let Ok(inner) = self.0.lock() {
            for e in inner.errors.iter().take(5) {
                println!("error: {e}");
            }
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The `costs` table: server CPU per request and its ratio to the static file.
pub fn costs_table(
    rows: &[(Phase, usize, proc::Usage)],
    items_per_sitting: usize,
    recorder: &Recorder,
    end: proc::Reading,
) {
    let per = |cpu: Duration, n: usize| cpu.as_secs_f64() * 1e6 / n.max(1) as f64;
    let static_us = rows
        .iter()
        .find(|r| r.0 == Phase::Static)
        .map_or(1.0, |r| per(r.2.cpu, r.1))
        .max(1.0);
    println!(
        "{:<24} {:>9} {:>16} {:>12} {:>14}",
        "request", "count", "server CPU µs", "vs static", "of it kernel"
    );
    let mut sitting_us = 0.0;
    for (phase, n, cpu) in rows {
        let us = per(cpu.cpu, *n);
        sitting_us += match phase {
            // The pages are what a browser reads instead of the JSON (not in the sum).
            Phase::Static | Phase::Health | Phase::ItemPage | Phase::ReportPage => 0.0,
            Phase::Item | Phase::Save => us * items_per_sitting as f64,
            _ => us,
        };
        println!(
            "{:<24} {n:>9} {us:>16.0} {:>11.1}x {:>13.0}%",
            phase.label(),
            us / static_us,
            100.0 * cpu.sys.as_secs_f64() / cpu.cpu.as_secs_f64().max(1e-9)
        );
    }
    println!(
        "a whole sitting ({items_per_sitting} items): {:.1} ms of server CPU",
        sitting_us / 1000.0
    );
    println!(
        "server resident memory {} MB (peak {} MB)",
        end.rss_kb / 1024,
        end.peak_rss_kb / 1024
    );
    recorder.print();
}

/// How many saves the server wrote per statement and read per query, from its metrics.
pub fn groups(metrics: &str) {
    for (name, what) in [
        ("answer_saves_per_statement", "saves per statement"),
        ("answer_reads_per_query", "saved-answer reads per query"),
    ] {
        let value = |suffix: &str| -> Option<f64> {
            metrics
                .lines()
                .find(|l| l.starts_with(&format!("{name}{suffix} ")))
                .and_then(|l| l.rsplit(' ').next())
                .and_then(|v| v.parse().ok())
        };
        if let (Some(sum), Some(count)) = (value("_sum"), value("_count")) {
            let quantile = |q: &str| value(&format!("{{quantile=\"{q}\"}}")).unwrap_or(0.0);
            println!(
                "{what}: {count:.0} in all, {:.1} on average, median {:.0}, 99th percentile {:.0}",
                sum / count.max(1.0),
                quantile("0.5"),
                quantile("0.99")
            );
        }
    }
}

/// Samples the server's resident memory every 100 ms until stopped; the peak seen.
pub struct MemoryWatch {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
}

impl MemoryWatch {
    pub fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.peak.load(Ordering::Relaxed)
    }
}

pub fn watch_memory(pid: u32) -> MemoryWatch {
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicU64::new(0));
    let (s, p) = (stop.clone(), peak.clone());
    tokio::spawn(async move {
        while !s.load(Ordering::Relaxed) {
            if let Some(r) = proc::read(pid) {
                p.fetch_max(r.rss_kb, Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    MemoryWatch { stop, peak }
}

/// What the rush measured.
pub struct RushFigures<'a> {
    pub guests: usize,
    pub completed: usize,
    pub elapsed: Duration,
    pub cpu: Duration,
    pub static_cpu_per_request: Duration,
    pub idle_rss_kb: u64,
    pub peak_rss_kb: u64,
    /// Five seconds after the last sitting, the guests' idle keep-alive connections still open.
    pub connected_rss_kb: u64,
    /// Five seconds after the guests closed their connections.
    pub settled_rss_kb: u64,
    /// Twenty seconds after they closed them: what the quiet server keeps.
    pub quiet_rss_kb: u64,
    pub recorder: &'a Recorder,
}

pub fn rush_summary(f: RushFigures<'_>) {
    println!(
        "exam-day rush: {} guests, {} completed their simulation in {:.0} s",
        f.guests,
        f.completed,
        f.elapsed.as_secs_f64()
    );
    let cpu = f.cpu.as_secs_f64();
    println!(
        "server CPU {cpu:.1} s: {:.1} ms per sitting, {:.1} sittings per CPU second; static file {:.0} µs",
        cpu * 1000.0 / f.completed.max(1) as f64,
        f.completed as f64 / cpu.max(1e-9),
        f.static_cpu_per_request.as_secs_f64() * 1e6
    );
    println!(
        "server resident memory: {} MB idle, {} MB peak, {} MB five seconds after \
         (guests' connections still open), {} MB five seconds after they closed them, {} MB \
         twenty seconds after",
        f.idle_rss_kb / 1024,
        f.peak_rss_kb / 1024,
        f.connected_rss_kb / 1024,
        f.settled_rss_kb / 1024,
        f.quiet_rss_kb / 1024
    );
    f.recorder.print();
}
