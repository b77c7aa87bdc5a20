//! The SQL of [`CertificationStore`].

use async_trait::async_trait;
use time::Date;

use super::This;
use crate::{CertificationRow, CertificationStore, StoreError};

#[async_trait]
impl CertificationStore for This {
    async fn certifications_of(&self, owner: &str) -> Result<Vec<CertificationRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT exam_code, earned FROM certifications WHERE owner = $1 ORDER BY exam_code",
        )
        .bind(owner)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn record_certification(
        &self,
        owner: &str,
        exam: &str,
        earned: Date,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO certifications (owner, exam_code, earned) VALUES ($1, $2, $3)
             ON CONFLICT (owner, exam_code) DO UPDATE SET earned = excluded.earned",
        )
        .bind(owner)
        .bind(exam)
        .bind(earned)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn delete_certification(&self, owner: &str, exam: &str) -> Result<bool, StoreError> {
        let deleted = sqlx::query("DELETE FROM certifications WHERE owner = $1 AND exam_code = $2")
            .bind(owner)
            .bind(exam)
            .execute(&mut *self.conn().await?)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }
}
