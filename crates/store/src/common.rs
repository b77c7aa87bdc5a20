//! Queries whose SQL is the same on both backends, written once and expanded for each pool
//! type (sqlx's executors are typed per database).

use getmycert_core::Exam;
use sha2::{Digest, Sha256};

/// The exam's canonical JSON and its SHA-256.
pub(crate) fn exam_revision(exam: &Exam) -> Result<(String, String), serde_json::Error> {
    let json = serde_json::to_string(exam)?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// Implements `Store` for a store type with a `pool` field; the SQL is the same on both
/// backends.
macro_rules! impl_store {
    ($store:ty, $backend:expr) => {
    #[async_trait::async_trait]
    impl crate::Store for $store {
        fn backend(&self) -> crate::Backend {
            $backend
        }

        async fn health(&self) -> Result<(), crate::StoreError> {
            sqlx::query("SELECT 1").execute(&self.pool).await?;
            Ok(())
        }

        #[tracing::instrument(skip_all, fields(backend = %self.backend(), exams = exams.len()))]
        async fn sync_exams(
            &self,
            exams: &[getmycert_core::Exam],
        ) -> Result<crate::SyncReport, crate::StoreError> {
            let mut report = crate::SyncReport::default();
            let now = time::OffsetDateTime::now_utc();
            let mut tx = self.pool.begin().await?;
            let stored: Vec<(String, String, bool)> =
                sqlx::query_as("SELECT code, content_hash, in_catalog FROM exams")
                    .fetch_all(&mut *tx)
                    .await?;
            for exam in exams {
                let (json, hash) = crate::common::exam_revision(exam)?;
                let code = exam.code.as_str();
                match stored.iter().find(|(c, _, _)| c == code) {
                    Some((_, h, true)) if *h == hash => {
                        report.unchanged += 1;
                        continue;
                    }
                    Some(_) => report.updated += 1,
                    None => report.inserted += 1,
                }
                sqlx::query(
                    "INSERT INTO exams (code, name, level, state, content_hash, data, in_catalog, synced_at)
                     VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7)
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level,
                       state = excluded.state, content_hash = excluded.content_hash,
                       data = excluded.data, in_catalog = TRUE, synced_at = excluded.synced_at",
                )
                .bind(code)
                .bind(&exam.name)
                .bind(exam.level.label())
                .bind(format!("{:?}", exam.status.state).to_lowercase())
                .bind(&hash)
                .bind(&json)
                .bind(crate::common::timestamp(now))
                .execute(&mut *tx)
                .await?;
            }
            for (code, _, in_catalog) in &stored {
                if *in_catalog && !exams.iter().any(|e| e.code.as_str() == code) {
                    sqlx::query("UPDATE exams SET in_catalog = FALSE, synced_at = $2 WHERE code = $1")
                        .bind(code)
                        .bind(crate::common::timestamp(now))
                        .execute(&mut *tx)
                        .await?;
                    report.removed += 1;
                }
            }
            tx.commit().await?;
            tracing::info!(?report, "exam catalog synced");
            Ok(report)
        }

        async fn exams(&self) -> Result<Vec<crate::StoredExam>, crate::StoreError> {
            Ok(sqlx::query_as(
                "SELECT code, name, state, content_hash, in_catalog FROM exams ORDER BY code",
            )
            .fetch_all(&self.pool)
            .await?)
        }

        async fn close(&self) {
            self.pool.close().await;
        }
    }
    };
}

pub(crate) use impl_store;

/// Timestamps are bound as `OffsetDateTime` on both backends (TEXT in SQLite, TIMESTAMPTZ in
/// PostgreSQL).
pub(crate) fn timestamp(now: time::OffsetDateTime) -> time::OffsetDateTime {
    now
}
