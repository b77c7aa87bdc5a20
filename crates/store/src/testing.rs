//! Throwaway databases for tests: a SQLite file in a temporary directory, or a fresh
//! PostgreSQL database created on the server named by `GETMYCERT_TEST_POSTGRES_URL` and
//! dropped when the value is dropped.
//!
//! Outside CI an unreachable PostgreSQL skips the PostgreSQL half of a suite with a notice;
//! under `CI=true` it fails the test, so a CI run never passes by skipping.

use sqlx::{Connection, PgConnection};

/// The server used when `GETMYCERT_TEST_POSTGRES_URL` is not set.
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    /// The URL to give the store or the app.
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

impl TestDatabase {
    /// A SQLite file in a fresh temporary directory.
    pub fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("create a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        Self {
            url,
            postgres: None,
            _dir: Some(dir),
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a notice) when the server cannot be
    /// reached outside CI. Under CI an unreachable server panics.
    pub async fn postgres() -> Option<Self> {
        let admin = std::env::var("GETMYCERT_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        let mut conn = match PgConnection::connect(&admin).await {
            Ok(conn) => conn,
            Err(e) if in_ci() => panic!("CI=true and PostgreSQL at {admin} is unreachable: {e}"),
            Err(e) => {
                eprintln!("skipping the PostgreSQL half: {admin} is unreachable ({e})");
                return None;
            }
        };
        let name = format!("getmycert_test_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create a test database");
        conn.close().await.ok();
        Some(Self {
            url: with_database(&admin, &name),
            postgres: Some((admin, name)),
            _dir: None,
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime: do the async clean-up on a thread of its own.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for clean-up");
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database: {dropped:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_names_are_swapped_in_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "t2"),
            "postgres://u@h/t2?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "t3"),
            "postgres://u@h:5432/t3"
        );
    }
}

/// Another process's exclusive lock on a SQLite database, as a backup tool or a stray `sqlite3`
/// shell would hold it: the store's writes wait out their busy timeout and fail until
/// [`SqliteLock::release`].
#[derive(Debug)]
pub struct SqliteLock(sqlx::SqliteConnection);

impl SqliteLock {
    /// Takes the lock on the database at `url` (`sqlite://…`).
    pub async fn take(url: &str) -> Self {
        use sqlx::ConnectOptions;
        use std::str::FromStr;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .expect("a SQLite URL")
            .connect()
            .await
            .expect("a second connection");
        sqlx::query("BEGIN EXCLUSIVE")
            .execute(&mut conn)
            .await
            .expect("the lock");
        Self(conn)
    }

    /// Gives the lock back.
    pub async fn release(mut self) {
        sqlx::query("ROLLBACK")
            .execute(&mut self.0)
            .await
            .expect("unlocked");
        self.0.close().await.expect("closed");
    }
}
