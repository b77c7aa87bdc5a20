//! PostgreSQL, for sites where several instances share one database; migrations in
//! `migrations/postgres`.

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::common::impl_store;
use crate::{Backend, StoreError};

/// A store in a PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects and migrates.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool })
    }
}

impl_store!(PgStore, Backend::Postgres);
