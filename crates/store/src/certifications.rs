//! The certifications an account holds.

use async_trait::async_trait;
use time::Date;

use crate::StoreError;

/// Held certifications.
#[async_trait]
pub trait CertificationStore {
    /// `owner`'s certifications, by exam code.
    async fn certifications_of(&self, owner: &str) -> Result<Vec<CertificationRow>, StoreError>;

    /// Records that `owner` earned `exam` on `earned`, replacing an earlier day (a renewal).
    async fn record_certification(
        &self,
        owner: &str,
        exam: &str,
        earned: Date,
    ) -> Result<(), StoreError>;

    /// Forgets `owner`'s certification in `exam`; `Ok(false)` when there was none.
    async fn delete_certification(&self, owner: &str, exam: &str) -> Result<bool, StoreError>;
}

/// A held certification as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CertificationRow {
    pub exam_code: String,
    pub earned: Date,
}
