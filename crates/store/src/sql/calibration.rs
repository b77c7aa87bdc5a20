//! The SQL of [`CalibrationStore`]: submitted answers in bulk and item statistics.

use async_trait::async_trait;

use super::This;
use super::attempts::ATTEMPT_COLUMNS;
use crate::{
    AttemptRow, CalibrationStore, ItemStatRow, StoreError, SubmittedResponse, moment, unix,
};

/// An item-statistics row as its columns hold it (the computation time in unix seconds).
#[derive(sqlx::FromRow)]
struct StatRecord {
    exam_code: String,
    question_id: String,
    part: i32,
    responses: i32,
    facility: Option<f64>,
    discrimination: Option<f64>,
    a: Option<f64>,
    b: Option<f64>,
    analysis: String,
    computed_at: i64,
    ready_for_live: bool,
}

impl TryFrom<StatRecord> for ItemStatRow {
    type Error = StoreError;

    fn try_from(r: StatRecord) -> Result<Self, StoreError> {
        Ok(ItemStatRow {
            exam_code: r.exam_code,
            question_id: r.question_id,
            part: r.part,
            responses: r.responses,
            facility: r.facility,
            discrimination: r.discrimination,
            a: r.a,
            b: r.b,
            analysis: r.analysis,
            computed_at: moment(r.computed_at)?,
            ready_for_live: r.ready_for_live,
        })
    }
}

#[async_trait]
impl CalibrationStore for This {
    async fn submitted_attempts(&self) -> Result<Vec<AttemptRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE submitted_at IS NOT NULL
             ORDER BY started_at, id"
        ))
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn submitted_responses(&self) -> Result<Vec<SubmittedResponse>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT r.attempt_id, r.n, r.response FROM responses r
             JOIN attempts a ON a.id = r.attempt_id WHERE a.submitted_at IS NOT NULL",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn replace_item_stats(&self, rows: &[ItemStatRow]) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::query("DELETE FROM item_stats")
            .execute(&mut *tx)
            .await?;
        for r in rows {
            sqlx::query(
                "INSERT INTO item_stats (exam_code, question_id, part, responses, facility,
                   discrimination, a, b, analysis, computed_at, ready_for_live)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&r.exam_code)
            .bind(&r.question_id)
            .bind(r.part)
            .bind(r.responses)
            .bind(r.facility)
            .bind(r.discrimination)
            .bind(r.a)
            .bind(r.b)
            .bind(&r.analysis)
            .bind(unix(r.computed_at))
            .bind(r.ready_for_live)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn item_stats(&self) -> Result<Vec<ItemStatRow>, StoreError> {
        sqlx::query_as::<_, StatRecord>(
            "SELECT exam_code, question_id, part, responses, facility, discrimination, a, b,
               analysis, computed_at, ready_for_live
             FROM item_stats ORDER BY exam_code, question_id, part",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?
        .into_iter()
        .map(ItemStatRow::try_from)
        .collect()
    }

    async fn promoted_items(&self, exam: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT question_id FROM item_stats WHERE exam_code = $1 GROUP BY question_id
             HAVING MIN(CASE WHEN ready_for_live THEN 1 ELSE 0 END) = 1 ORDER BY question_id",
        )
        .bind(exam)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }
}
