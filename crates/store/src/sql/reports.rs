//! The SQL of [`ReportStore`].

use async_trait::async_trait;
use getmycert_core::ReportStatus;
use time::OffsetDateTime;

use super::This;
use crate::{ReportRow, ReportStore, StoreError};

const REPORT_COLUMNS: &str =
    "id, question_id, revision, reporter, body, created_at, status, resolution, resolved_at";

#[async_trait]
impl ReportStore for This {
    async fn create_report(&self, r: &ReportRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO reports (id, question_id, revision, reporter, body, created_at, status, resolution)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&r.id)
        .bind(&r.question_id)
        .bind(&r.revision)
        .bind(&r.reporter)
        .bind(&r.body)
        .bind(r.created_at)
        .bind(r.status.as_str())
        .bind(&r.resolution)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn reports_with_status(
        &self,
        status: ReportStatus,
    ) -> Result<Vec<ReportRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE status = $1 ORDER BY created_at, id"
        ))
        .bind(status.as_str())
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn reports_by(&self, reporter: &str) -> Result<Vec<ReportRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REPORT_COLUMNS} FROM reports WHERE reporter = $1
             ORDER BY created_at DESC, id"
        ))
        .bind(reporter)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn resolve_report(
        &self,
        id: &str,
        status: ReportStatus,
        note: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE reports SET status = $2, resolution = $3, resolved_at = $4
             WHERE id = $1 AND status = 'open'",
        )
        .bind(id)
        .bind(status.as_str())
        .bind(note)
        .bind(at)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() > 0)
    }
}
