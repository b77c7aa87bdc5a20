//! Storage behind area traits: questions, attempts, learning, calibration, accounts and
//! reports, each with its own SQL. A SQLite implementation (the embedded default) and a
//! PostgreSQL one (several app instances, one database) share that SQL, each with its own
//! migrations, and both pass the same test suite.
//!
//! Times: the API speaks `OffsetDateTime` throughout. Columns that SQL compares as moments (a
//! card's due time, the review log, session expiry, sign-in throttling, the calibration time)
//! hold unix seconds on both backends, because SQLite keeps timestamps as text whose order
//! depends on how they were formatted while integers compare alike everywhere; columns only
//! read back (attempts, responses, accounts, reports) keep the timestamp type. Migrating the
//! integer columns would rewrite every card and review row for no gain, so the conversion
//! happens once, in the SQL modules.
#![forbid(unsafe_code)]
// `sql/` files are compiled once per backend (`sqlite.rs` and `postgres.rs` include each with
// `#[path]`), so that each query is written once and type-checked against both pools.
#![allow(clippy::duplicate_mod)]

mod accounts;
mod attempts;
mod calibration;
mod certifications;
mod learning;
pub mod postgres;
mod questions;
mod reports;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

pub use accounts::{AccountStore, NewSession, ThrottleRule, UserRow};
pub use attempts::{
    AnswerWrite, AttemptRow, AttemptStore, NewAttempt, OpenAttempt, ResponseRow, SavedAnswer,
};
pub use calibration::{CalibrationStore, ItemStatRow, SubmittedResponse};
pub use certifications::{CertificationRow, CertificationStore};
pub use learning::{CardReview, CardRow, LearningStore};
pub use postgres::PgStore;
pub use questions::{
    QuestionFilter, QuestionPage, QuestionStore, StoredExam, StoredQuestion, revision,
};
pub use reports::{ReportRow, ReportStore};
pub use sqlite::SqliteStore;

/// Every area trait, for callers that use the store as a whole.
pub mod prelude {
    pub use crate::{
        AccountStore, AttemptStore, CalibrationStore, CertificationStore, LearningStore,
        QuestionStore, ReportStore, Store,
    };
}

/// Which database backs the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// What went wrong in the store. Causes are for logs, never for pages.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row: `sqlx::Error::RowNotFound` and empty lookups alike.
    #[error("not found")]
    NotFound,
    /// A unique value (an email address) is already taken.
    #[error("already exists")]
    Conflict,
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot prepare the database location: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot encode a row: {0}")]
    Encode(#[from] serde_json::Error),
    /// The operation is not one this backend does; the message says what to do instead.
    #[error("{0}")]
    Unsupported(String),
    /// Text the database cannot hold (PostgreSQL refuses the NUL character in text): the
    /// input is invalid, whatever it was meant to be.
    #[error("the text contains a character that cannot be stored (NUL)")]
    Unstorable,
    /// A stored value that does not parse (a mode, role or time out of range).
    #[error("a stored value is not valid: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the database is out of reach for now rather than the request being wrong: the
    /// connection is lost or cannot be had (PostgreSQL restarted, the network cut, the pool
    /// exhausted), or SQLite is locked by another process or its disk is full or failing. The
    /// same request may succeed once the database is back; callers answer 503 with a retry
    /// delay, and nothing was written.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Database(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(db) => {
                let code = db.code().unwrap_or_default();
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    // SQLite (extended codes carry the primary one in the low byte): BUSY,
                    // LOCKED, IOERR, FULL, CANTOPEN.
                    code.parse::<i32>()
                        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
                } else {
                    // PostgreSQL SQLSTATE (five characters, often all digits, so never read
                    // as SQLite's numbers): connection exceptions, insufficient resources,
                    // the server shutting down or not yet accepting connections.
                    code.starts_with("08")
                        || code.starts_with("53")
                        || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
                }
            }
            _ => false,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    /// Missing rows and unique violations mean the same on both backends; they are told
    /// apart here, once.
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            // PostgreSQL: invalid byte sequence (NUL) or a character the encoding lacks.
            sqlx::Error::Database(db)
                if matches!(db.code().as_deref(), Some("22021" | "22P05")) =>
            {
                StoreError::Unstorable
            }
            other => StoreError::Database(other),
        }
    }
}

/// What one catalog sync changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows whose exam or item left the content (kept, marked out of catalog or retired).
    pub removed: usize,
}

impl SyncReport {
    /// Whether the sync wrote anything.
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.removed > 0
    }
}

/// The whole store: every area, plus what concerns the connection itself. Implementations
/// are cheap to clone and share a pool.
#[async_trait]
pub trait Store:
    QuestionStore
    + AttemptStore
    + LearningStore
    + CalibrationStore
    + AccountStore
    + ReportStore
    + CertificationStore
    + Send
    + Sync
    + fmt::Debug
    + 'static
{
    /// The database behind the store.
    fn backend(&self) -> Backend;

    /// Checks that the database answers a query.
    async fn health(&self) -> Result<(), StoreError>;

    /// Writes a consistent copy of the whole database to the new file `to`, while the
    /// database stays in use (SQLite's `VACUUM INTO`). PostgreSQL is backed up with its own
    /// tools, `pg_dump`: the error says so.
    async fn backup(&self, to: &std::path::Path) -> Result<(), StoreError>;

    /// Closes the pool, waiting for connections to be returned.
    async fn close(&self);
}

/// Connects to `url` (`sqlite://…` or `postgres://…`) and applies the migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

/// Unix seconds of a moment, as the integer time columns keep it.
pub(crate) fn unix(at: time::OffsetDateTime) -> i64 {
    at.unix_timestamp()
}

/// The moment of unix seconds read from an integer time column.
pub(crate) fn moment(seconds: i64) -> Result<time::OffsetDateTime, StoreError> {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map_err(|e| StoreError::Corrupt(format!("time {seconds}: {e}")))
}

/// Parses a stored name (mode, role, status, grade).
pub(crate) fn named<T: std::str::FromStr<Err = getmycert_core::UnknownName>>(
    raw: &str,
) -> Result<T, StoreError> {
    raw.parse()
        .map_err(|e: getmycert_core::UnknownName| StoreError::Corrupt(e.to_string()))
}
