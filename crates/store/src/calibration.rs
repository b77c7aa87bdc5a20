//! What calibration reads and writes: every submitted answer, and the item statistics it
//! leaves for draws, readiness and authors.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::{AttemptRow, StoreError};

/// Submitted answers in bulk, and item statistics.
#[async_trait]
pub trait CalibrationStore {
    /// Every submitted attempt of every identity, oldest first.
    async fn submitted_attempts(&self) -> Result<Vec<AttemptRow>, StoreError>;

    /// Every saved response of the submitted attempts.
    async fn submitted_responses(&self) -> Result<Vec<SubmittedResponse>, StoreError>;

    /// Replaces every item statistic with `rows`, in one transaction.
    async fn replace_item_stats(&self, rows: &[ItemStatRow]) -> Result<(), StoreError>;

    /// Every item statistic, by exam, item and part.
    async fn item_stats(&self) -> Result<Vec<ItemStatRow>, StoreError>;

    /// Pilot items of `exam` whose every part the last calibration found ready to go live.
    async fn promoted_items(&self, exam: &str) -> Result<Vec<String>, StoreError>;
}

/// One item part's statistics for one exam, as the last calibration left them.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemStatRow {
    pub exam_code: String,
    pub question_id: String,
    pub part: i32,
    pub responses: i32,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// `core::analysis::ItemAnalysis` as JSON.
    pub analysis: String,
    pub computed_at: OffsetDateTime,
    /// A pilot part that has earned a live place.
    pub ready_for_live: bool,
}

/// A saved response of a submitted attempt (what calibration reads).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubmittedResponse {
    pub attempt_id: String,
    pub n: i32,
    pub response: Option<String>,
}
