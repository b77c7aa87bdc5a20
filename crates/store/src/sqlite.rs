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

/// Whether a write's `RETURNING` clause is cheap. Not in SQLite: it buffers the returned rows
/// in an ephemeral table, opened and closed per statement (a third of a one-answer save's
/// instructions under callgrind), so saves read their rows back with a second statement on
/// the same connection instead.
const RETURNING_IS_CHEAP: bool = false;
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
#[path = "sql/certifications.rs"]
mod certifications;
#[path = "sql/learning.rs"]
mod learning;
#[path = "sql/questions.rs"]
mod questions;
#[path = "sql/reports.rs"]
mod reports;

/// The durability of a commit, from the URL's `synchronous` parameter, which is taken off the
/// URL before sqlx reads the rest: `normal` (the default) or `full`, SQLite's own names.
///
/// In WAL mode `normal` syncs the log only at checkpoints: a commit survives the process being
/// killed (it is in the operating system's cache) but the last commits before a power cut or a
/// kernel crash can be lost. `full` syncs the log at every commit, so an acknowledged answer
/// survives those too, for an fsync per commit (saves that arrive together share one commit);
/// `docs/operations.md` gives the measured cost.
fn durability(url: &str) -> Result<(String, SqliteSynchronous), StoreError> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), SqliteSynchronous::Normal));
    };
    let mut synchronous = SqliteSynchronous::Normal;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("synchronous", value)) => {
                synchronous = match value.to_ascii_lowercase().as_str() {
                    "normal" => SqliteSynchronous::Normal,
                    "full" => SqliteSynchronous::Full,
                    _ => {
                        return Err(StoreError::Unsupported(format!(
                            "synchronous={value} in the database URL: use normal or full"
                        )));
                    }
                }
            }
            _ => rest.push(pair),
        }
    }
    let url = match rest.is_empty() {
        true => base.to_owned(),
        false => format!("{base}?{}", rest.join("&")),
    };
    Ok((url, synchronous))
}

impl SqliteStore {
    /// Opens (creating the file and its directory when missing) and migrates.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let (url, synchronous) = durability(url)?;
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(synchronous)
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

#[cfg(feature = "testing")]
impl SqliteStore {
    /// Caps the database at its present size, as a full disk would: the next write that needs
    /// another page fails with SQLITE_FULL.
    pub async fn fill_disk(&self) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
            .execute(&mut *conn)
            .await?;
        Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synchronous_is_read_off_the_url() {
        let (url, sync) = durability("sqlite://data/x.db?synchronous=full").expect("valid");
        assert_eq!(url, "sqlite://data/x.db");
        assert!(matches!(sync, SqliteSynchronous::Full));
        let (url, sync) = durability("sqlite://x.db?mode=rwc&synchronous=NORMAL").expect("valid");
        assert_eq!(url, "sqlite://x.db?mode=rwc");
        assert!(matches!(sync, SqliteSynchronous::Normal));
        let (url, sync) = durability("sqlite://x.db").expect("valid");
        assert_eq!(url, "sqlite://x.db");
        assert!(matches!(sync, SqliteSynchronous::Normal));
        let error = durability("sqlite://x.db?synchronous=off").expect_err("refused");
        assert!(error.to_string().contains("normal or full"), "{error}");
    }
}
