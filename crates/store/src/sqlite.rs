//! The embedded default: SQLite in WAL mode with a busy timeout, migrations in
//! `migrations/sqlite`. The SQL itself lives in `sql/`, shared with PostgreSQL: each area's
//! file is compiled here against the SQLite connection (see [`crate::postgres`] for the other
//! half).

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqliteSynchronous};
use tokio::sync::{MappedMutexGuard, Mutex, MutexGuard};

use crate::{Backend, Store, StoreError};

/// A store in one SQLite file, on one connection.
///
/// SQLite takes one writer at a time, and writers on several connections wait for each other
/// in SQLite's busy handler, which sleeps (up to 100 ms a turn); on one connection statements
/// queue in order (the lock is fair) and without sleeping, and reads, a few microseconds each,
/// lose little by sharing it. The connection is held, not pooled: a pool pings a connection
/// each time it is returned, a round trip to SQLite's worker thread that cost as much as the
/// statement itself.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    /// `None` once closed.
    conn: Arc<Mutex<Option<SqliteConnection>>>,
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
        let mut conn = options.connect().await?;
        // `run_direct` keeps this future `Send` (the `Acquire` form is not, for a connection).
        sqlx::migrate!("./migrations/sqlite")
            .run_direct(&mut conn)
            .await?;
        Ok(Self {
            conn: Arc::new(Mutex::new(Some(conn))),
        })
    }

    /// The connection, once the statements before have run.
    async fn conn(&self) -> Result<MappedMutexGuard<'_, SqliteConnection>, StoreError> {
        MutexGuard::try_map(self.conn.lock().await, Option::as_mut)
            .map_err(|_| StoreError::Database(sqlx::Error::PoolClosed))
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn health(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn backup(&self, to: &std::path::Path) -> Result<(), StoreError> {
        if to.exists() {
            return Err(StoreError::Unsupported(format!(
                "{} already exists: a backup is written to a new file",
                to.display()
            )));
        }
        let path = to.to_str().ok_or_else(|| {
            StoreError::Unsupported(format!("{} is not a UTF-8 path", to.display()))
        })?;
        // One read transaction: the copy is the database as of its start, whatever is written
        // meanwhile (WAL mode lets the writes go on).
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn close(&self) {
        if let Some(conn) = self.conn.lock().await.take()
            && let Err(e) = sqlx::Connection::close(conn).await
        {
            tracing::warn!("closing the database: {e}");
        }
    }
}
