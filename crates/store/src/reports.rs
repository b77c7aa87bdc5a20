//! Learners' reports on questions and the authors' answers to them.

use async_trait::async_trait;
use getmycert_core::ReportStatus;
use time::OffsetDateTime;

use crate::StoreError;

/// Question reports.
#[async_trait]
pub trait ReportStore {
    /// Stores a question report.
    async fn create_report(&self, report: &ReportRow) -> Result<(), StoreError>;

    /// Reports with this status, oldest first.
    async fn reports_with_status(&self, status: ReportStatus)
    -> Result<Vec<ReportRow>, StoreError>;

    /// A reporter's reports, newest first.
    async fn reports_by(&self, reporter: &str) -> Result<Vec<ReportRow>, StoreError>;

    /// Closes an open report; `Ok(false)` when it is not open.
    async fn resolve_report(
        &self,
        id: &str,
        status: ReportStatus,
        note: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError>;
}

/// A question report as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: String,
    pub question_id: String,
    pub revision: String,
    pub reporter: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    #[sqlx(try_from = "String")]
    pub status: ReportStatus,
    pub resolution: String,
    pub resolved_at: Option<OffsetDateTime>,
}
