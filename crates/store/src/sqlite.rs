//! The embedded default: SQLite in WAL mode with a busy timeout, migrations in
//! `migrations/sqlite`. The SQL itself lives in `sql/`, shared with PostgreSQL: each area's
//! file is compiled here against the SQLite pool (see [`crate::postgres`] for the other half).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::{Backend, Store, StoreError};

/// A store in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

/// The database the shared SQL modules are compiled for.
type Db = sqlx::Sqlite;
/// The store type the shared SQL modules implement their area traits for.
type This = SqliteStore;

#[path = "sql/accounts.rs"]
mod accounts;
#[path = "sql/attempts.rs"]
mod attempts;
#[path = "sql/calibration.rs"]
mod calibration;
#[path = "sql/learning.rs"]
mod learning;
#[path = "sql/questions.rs"]
mod questions;
#[path = "sql/reports.rs"]
mod reports;

impl SqliteStore {
    /// Opens (creating the file and its directory when missing) and migrates.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        let file = options.get_filename();
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
            && file.to_string_lossy() != ":memory:"
        {
            std::fs::create_dir_all(dir)?;
        }
        // One connection: SQLite takes one writer at a time, and writers on several
        // connections wait for each other in SQLite's busy handler, which sleeps (up to 100 ms
        // a turn); on one connection they queue in the pool instead, in order and without
        // sleeping. Reads are a few microseconds each, so they lose little by sharing it.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
