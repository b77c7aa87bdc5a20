//! PostgreSQL, for sites where several instances share one database; migrations in
//! `migrations/postgres`. The SQL lives in `sql/`, shared with SQLite: each area's file is
//! compiled here against the PostgreSQL pool.

use async_trait::async_trait;
use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::{Backend, Store, StoreError};

/// How long a pooled connection may sit idle before it is pinged ahead of its next use.
const IDLE_BEFORE_PING: std::time::Duration = std::time::Duration::from_secs(1);

/// A store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// Whether a write's `RETURNING` clause is cheap: in PostgreSQL it is, and a second statement
/// would be a second round trip.
const RETURNING_IS_CHEAP: bool = true;
/// The database the shared SQL modules are compiled for.
type Db = sqlx::Postgres;
/// The store type the shared SQL modules implement their area traits for.
type This = PgStore;

#[path = "sql/accounts.rs"]
mod accounts;
#[path = "sql/attempts.rs"]
mod attempts;
#[path = "sql/calibration.rs"]
mod calibration;
#[path = "sql/certifications.rs"]
mod certifications;
#[path = "sql/learning.rs"]
mod learning;
#[path = "sql/questions.rs"]
mod questions;
#[path = "sql/reports.rs"]
mod reports;

impl PgStore {
    /// Connects and migrates.
    ///
    /// A request waits at most 3 s for a connection: long enough to ride out a quick
    /// PostgreSQL restart (the pool keeps reconnecting meanwhile), short enough that a
    /// candidate whose save cannot be written hears so (503, `Retry-After`) and the runner
    /// retries, instead of a page that hangs.
    ///
    /// A connection that sat idle for a second or more is pinged before use, and replaced if
    /// the ping fails: those are the connections a PostgreSQL restart may have broken while
    /// nobody used them. A connection in steady use (every connection on exam day) is not
    /// pinged: the ping was a second round trip on every item read. A connection that breaks
    /// mid-use fails that one request with a 503, which the runner retries.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        use sqlx::Connection;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(3))
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            })
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }

    /// A connection from the pool, for one statement or transaction.
    async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, StoreError> {
        Ok(self.pool.acquire().await?)
    }
}

#[async_trait]
impl Store for PgStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn backup(&self, _to: &std::path::Path) -> Result<(), StoreError> {
        Err(StoreError::Unsupported(
            "a PostgreSQL database is backed up with pg_dump, e.g. \
             `pg_dump --format=custom --file=getmycert.dump \"$GETMYCERT_DATABASE_URL\"`, \
             and restored with pg_restore (see docs/operations.md)"
                .into(),
        ))
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
