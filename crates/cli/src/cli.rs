//! Command-line flags and subcommands; every flag has an environment twin.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use getmycert_interop::Format;

/// The default SQLite database, created on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/getmycert.db";

/// GetMyCert: certification practice, self-hosted. With no subcommand it serves the site.
#[derive(Debug, Parser)]
#[command(name = "getmycert", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub serve: ServeArgs,

    /// Log filter, e.g. `info` or `getmycert=debug,tower_http=debug`.
    #[arg(long, env = "GETMYCERT_LOG", default_value = "info", global = true)]
    pub log_level: String,

    /// Log lines as plain text (colour only on a terminal) or as JSON, one object a line, for
    /// log shippers.
    #[arg(
        long,
        env = "GETMYCERT_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// How the server runs.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(
        long,
        env = "GETMYCERT_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: String,

    /// `sqlite://PATH` (default, created on first run) or `postgres://…`.
    #[arg(long, env = "GETMYCERT_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    /// Serve content from this directory instead of the bank built into the binary.
    #[arg(long, env = "GETMYCERT_CONTENT_DIR", global = true)]
    pub content_dir: Option<PathBuf>,

    /// The site is served over https (TLS ends at a proxy): Secure cookies and HSTS.
    #[arg(long, env = "GETMYCERT_HTTPS", global = true)]
    pub https: bool,

    /// A reverse proxy (network in CIDR notation, or one address) whose `X-Forwarded-For`
    /// names the client, for the per-address sign-in and sign-up limits; repeatable (the
    /// environment twin takes a comma-separated list). Without it the peer address is used.
    #[arg(
        long = "trusted-proxy",
        env = "GETMYCERT_TRUSTED_PROXY",
        value_delimiter = ',',
        value_parser = getmycert_web::client::parse_network,
        global = true
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Seconds between the server's calibration runs (item statistics and IRT parameters from
    /// first-attempt responses); 0 turns them off. With several instances, set it on one.
    #[arg(
        long,
        env = "GETMYCERT_CALIBRATE_EVERY",
        default_value_t = 3600,
        global = true
    )]
    pub calibrate_every: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default).
    Serve,
    /// Work with content files.
    Content {
        #[command(subcommand)]
        command: ContentCommand,
    },
    /// Item response theory.
    Irt {
        #[command(subcommand)]
        command: IrtCommand,
    },
    /// Computes item statistics and calibrates the 2PL parameters of every exam from the
    /// first-attempt responses in the database (the server also does this periodically).
    Calibrate {
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Writes a consistent copy of the SQLite database to a new file while the site runs
    /// (for PostgreSQL, use pg_dump).
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Measures the learning engine on simulated candidates: calibration time and accuracy,
    /// the honesty of P(pass), adaptive drill length and exposure.
    Simulate {
        /// Matrices to calibrate, persons x items.
        #[arg(long, default_value = "1000x40,5000x100,20000x100")]
        sizes: String,
        /// Simulated candidates for the pass forecast and the drills.
        #[arg(long, default_value_t = 2000)]
        candidates: usize,
        /// Random seed (the same seed gives the same figures, but the times).
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Manage accounts (operators). Passwords are read from standard input, never from flags.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum IrtCommand {
    /// Calibrates a 2PL model on a 0/1 response matrix (CSV: rows persons, columns items, an
    /// empty cell when not answered).
    Fit {
        /// The CSV file.
        #[arg(long)]
        responses: PathBuf,
        /// Print JSON: {items: [{a, b}], seconds, iterations, converged}.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Creates an account with a role; reads its password from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// learner, author or admin.
        #[arg(long, default_value = "learner")]
        role: String,
    },
    /// Sets an account's password; reads it from standard input.
    SetPassword {
        #[arg(long)]
        email: String,
    },
    /// Sets an account's role (learner, author or admin).
    SetRole {
        #[arg(long)]
        email: String,
        #[arg(long)]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Validate a content directory; every error names its file and line. Exit 1 on error.
    Check {
        /// The directory to check.
        #[arg(default_value = "content")]
        dir: PathBuf,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Counts per exam, domain, task, type and difficulty, and the lint figures.
    Stats {
        /// The directory to read.
        #[arg(default_value = "content")]
        dir: PathBuf,
        /// Print JSON (the shape documented in DESIGN.md).
        #[arg(long)]
        json: bool,
    },
    /// Reads questions from another tool's file into draft items (all or nothing).
    Import {
        /// gift, moodle-xml, aiken or qti3 (a QTI 3.0 package `.zip` or one item `.xml`).
        #[arg(long, value_parser = import_format)]
        format: Format,
        /// The file to read.
        file: PathBuf,
        /// The exam the items are for.
        #[arg(long)]
        exam: String,
        /// Where to write the items [default: content/questions/<exam>].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Import the questions we can represent and list the others, instead of refusing the
        /// whole file.
        #[arg(long)]
        skip_unsupported: bool,
        /// The task (`2.1`) for questions whose file names none of the exam's tasks
        /// [default: 1.1].
        #[arg(long)]
        task: Option<String>,
        /// The content directory whose ids new ids must avoid.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
    /// Writes an exam's live items in another tool's format.
    Export {
        /// gift, moodle-xml, aiken, qti3 (a `.zip` package) or anki (Anki's text import format).
        #[arg(long, value_parser = any_format)]
        format: Format,
        /// The exam to export.
        #[arg(long)]
        exam: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Read this content directory instead of the bank built into the binary.
        #[arg(long)]
        content: Option<PathBuf>,
    },
}

fn any_format(name: &str) -> Result<Format, String> {
    Format::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
        format!("unknown format `{name}`; use one of {}", names.join(", "))
    })
}

fn import_format(name: &str) -> Result<Format, String> {
    match any_format(name)? {
        f if f.imports() => Ok(f),
        _ => Err("Anki decks are exported only; import gift, moodle-xml, aiken or qti3".into()),
    }
}
