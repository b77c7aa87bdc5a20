//! What the server process used, read from /proc: CPU seconds (user + system, every thread;
//! the system part apart too) and resident memory (now and the peak).

use std::time::Duration;

/// A reading of the server process.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    pub cpu: Duration,
    /// The part of `cpu` spent in the kernel (socket I/O, wake-ups between threads).
    pub sys: Duration,
    pub rss_kb: u64,
    pub peak_rss_kb: u64,
}

/// Clock ticks per second of /proc/<pid>/stat (USER_HZ).
fn ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100)
}

/// Server CPU over a stretch of time: in all, and the kernel's part of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Usage {
    pub cpu: Duration,
    pub sys: Duration,
}

impl Reading {
    /// What was used between `before` and this reading.
    pub fn since(&self, before: &Reading) -> Usage {
        Usage {
            cpu: self.cpu.saturating_sub(before.cpu),
            sys: self.sys.saturating_sub(before.sys),
        }
    }
}

/// Reads process `pid`; `None` when /proc has no such process.
pub fn read(pid: u32) -> Option<Reading> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let hz = ticks_per_second();
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Some(Reading {
        cpu: Duration::from_micros((utime + stime) * 1_000_000 / hz),
        sys: Duration::from_micros(stime * 1_000_000 / hz),
        rss_kb: kb("VmRSS:"),
        peak_rss_kb: kb("VmHWM:"),
    })
}
