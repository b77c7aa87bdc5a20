//! The SQL of [`AttemptStore`]: attempt rows, responses and drill exposure.

use std::collections::HashMap;

use async_trait::async_trait;
use time::OffsetDateTime;

use super::This;
use crate::{
    AnswerWrite, AttemptRow, AttemptStore, CardReview, CardRow, NewAttempt, OpenAttempt,
    ResponseRow, SavedAnswer, StoreError,
};

/// The columns of an [`AttemptRow`].
pub(crate) const ATTEMPT_COLUMNS: &str = "id, owner, exam_code, mode, seed, items, started_at, \
                                           deadline, submitted_at, result, settings";

/// One answer's upsert, guarded by the attempt being open: nothing is written to a submitted
/// attempt. What follows it (a `RETURNING` clause, or a second statement) depends on the
/// backend; see `RETURNING_IS_CHEAP`.
macro_rules! upsert_one {
    () => {
        "INSERT INTO responses (attempt_id, n, response, flagged, answered_at, changes)
         SELECT $1, $2, $3, $4, $6, 0
         WHERE EXISTS (SELECT 1 FROM attempts WHERE id = $1 AND submitted_at IS NULL)
         ON CONFLICT (attempt_id, n) DO UPDATE SET
           response = COALESCE(excluded.response, responses.response),
           flagged = CASE WHEN $5 THEN excluded.flagged ELSE responses.flagged END,
           answered_at = excluded.answered_at,
           changes = responses.changes + CASE
             WHEN excluded.response IS NOT NULL AND responses.response IS NOT NULL
               AND excluded.response <> responses.response THEN 1 ELSE 0 END"
    };
}

#[async_trait]
impl AttemptStore for This {
    async fn create_attempt(&self, a: &NewAttempt) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO attempts (id, owner, exam_code, mode, seed, items, started_at, deadline, settings)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&a.id)
        .bind(&a.owner)
        .bind(&a.exam_code)
        .bind(a.mode.as_str())
        .bind(a.seed)
        .bind(&a.items)
        .bind(a.started_at)
        .bind(a.deadline)
        .bind(&a.settings)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn extend_attempt(
        &self,
        id: &str,
        before: &str,
        after: &str,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE attempts SET items = $3 WHERE id = $1 AND items = $2 AND submitted_at IS NULL",
        )
        .bind(id)
        .bind(before)
        .bind(after)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn attempt(&self, id: &str) -> Result<AttemptRow, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *self.conn().await?)
        .await?)
    }

    async fn attempts_of(&self, owner: &str) -> Result<Vec<AttemptRow>, StoreError> {
        Ok(sqlx::query_as(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM attempts WHERE owner = $1 ORDER BY started_at DESC"
        ))
        .bind(owner)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn open_timed_attempts(&self) -> Result<Vec<OpenAttempt>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT id, owner, deadline FROM attempts
             WHERE submitted_at IS NULL AND deadline IS NOT NULL ORDER BY started_at, id",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn save_answer(
        &self,
        attempt_id: &str,
        n: i32,
        response: Option<&str>,
        flagged: Option<bool>,
        at: OffsetDateTime,
    ) -> Result<Option<SavedAnswer>, StoreError> {
        // $5 tells whether a flag was sent; a response of NULL keeps the saved one.
        let sql = if super::RETURNING_IS_CHEAP {
            concat!(
                upsert_one!(),
                " RETURNING response IS NOT NULL AS answered, flagged"
            )
        } else {
            concat!(
                upsert_one!(),
                "; SELECT response IS NOT NULL AS answered, flagged FROM responses
                 WHERE attempt_id = $1 AND n = $2 AND changes() > 0"
            )
        };
        Ok(sqlx::query_as(sql)
            .bind(attempt_id)
            .bind(n)
            .bind(response)
            .bind(flagged.unwrap_or(false))
            .bind(flagged.is_some())
            .bind(at)
            .fetch_optional(&mut *self.conn().await?)
            .await?)
    }

    async fn save_answers(
        &self,
        writes: &[AnswerWrite],
    ) -> Result<Vec<Option<SavedAnswer>>, StoreError> {
        let Some(first) = writes.first() else {
            return Ok(Vec::new());
        };
        let mut q = upsert_many(writes, first.flagged.is_some());
        if super::RETURNING_IS_CHEAP {
            q.push(" RETURNING attempt_id, n, response IS NOT NULL AS answered, flagged");
        } else {
            // The rows just written: the keys of this group whose attempt is still open (the
            // others were refused by the guard above; the connection runs nothing between).
            q.push("; WITH k (attempt_id, n) AS (");
            q.push_values(writes, |mut row, w| {
                row.push_bind(w.attempt_id.clone()).push_bind(w.n);
            });
            q.push(
                ") SELECT r.attempt_id, r.n, r.response IS NOT NULL AS answered, r.flagged
                 FROM k JOIN responses r ON r.attempt_id = k.attempt_id AND r.n = k.n
                 JOIN attempts a ON a.id = r.attempt_id AND a.submitted_at IS NULL",
            );
        }
        let rows: Vec<(String, i32, bool, bool)> = q
            .build_query_as()
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let saved: HashMap<(&str, i32), SavedAnswer> = rows
            .iter()
            .map(|(a, n, answered, flagged)| {
                let state = SavedAnswer {
                    answered: *answered,
                    flagged: *flagged,
                };
                ((a.as_str(), *n), state)
            })
            .collect();
        Ok(writes
            .iter()
            .map(|w| saved.get(&(w.attempt_id.as_str(), w.n)).copied())
            .collect())
    }

    async fn write_answers(&self, writes: &[AnswerWrite]) -> Result<u64, StoreError> {
        let done = match writes {
            [] => return Ok(0),
            [w] => {
                sqlx::query(upsert_one!())
                    .bind(&w.attempt_id)
                    .bind(w.n)
                    .bind(w.response.as_deref())
                    .bind(w.flagged.unwrap_or(false))
                    .bind(w.flagged.is_some())
                    .bind(w.at)
                    .execute(&mut *self.conn().await?)
                    .await?
            }
            [first, ..] => {
                upsert_many(writes, first.flagged.is_some())
                    .build()
                    .execute(&mut *self.conn().await?)
                    .await?
            }
        };
        Ok(done.rows_affected())
    }

    async fn responses(&self, attempt_id: &str) -> Result<Vec<ResponseRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT n, response, flagged, answered_at, changes FROM responses
             WHERE attempt_id = $1 ORDER BY n",
        )
        .bind(attempt_id)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn response(&self, attempt_id: &str, n: i32) -> Result<Option<ResponseRow>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT n, response, flagged, answered_at, changes FROM responses
             WHERE attempt_id = $1 AND n = $2",
        )
        .bind(attempt_id)
        .bind(n)
        .fetch_optional(&mut *self.conn().await?)
        .await?)
    }

    async fn responses_at(
        &self,
        keys: &[(&str, i32)],
    ) -> Result<Vec<Option<ResponseRow>>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = sqlx::QueryBuilder::<super::Db>::new("WITH k (attempt_id, n) AS (");
        q.push_values(keys, |mut row, (attempt, n)| {
            row.push("CAST(")
                .push_bind_unseparated(*attempt)
                .push_unseparated(" AS TEXT)")
                .push("CAST(")
                .push_bind_unseparated(*n)
                .push_unseparated(" AS INTEGER)");
        });
        q.push(
            ") SELECT r.attempt_id, r.n, r.response, r.flagged, r.answered_at, r.changes
             FROM k JOIN responses r ON r.attempt_id = k.attempt_id AND r.n = k.n",
        );
        let rows: Vec<(String, ResponseRow)> = q
            .build()
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(|row| {
                use sqlx::{FromRow, Row};
                Ok((row.try_get("attempt_id")?, ResponseRow::from_row(row)?))
            })
            .collect::<Result<_, sqlx::Error>>()?;
        // A pair may be asked twice in one group (two tabs on the same item): each gets it.
        let found: HashMap<(&str, i32), &ResponseRow> = rows
            .iter()
            .map(|(attempt, row)| ((attempt.as_str(), row.n), row))
            .collect();
        Ok(keys
            .iter()
            .map(|k| found.get(k).map(|row| (*row).clone()))
            .collect())
    }

    async fn submit_attempt(
        &self,
        attempt_id: &str,
        result: &str,
        at: OffsetDateTime,
        reviews: &[(CardReview, CardRow)],
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let done = sqlx::query(
            "UPDATE attempts SET submitted_at = $2, result = $3
             WHERE id = $1 AND submitted_at IS NULL",
        )
        .bind(attempt_id)
        .bind(at)
        .bind(result)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        super::learning::write_reviews(&mut tx, reviews).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn drill_exposure(&self, exam: &str) -> Result<HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT question_id, served FROM drill_exposure WHERE exam_code = $1")
                .bind(exam)
                .fetch_all(&mut *self.conn().await?)
                .await?;
        Ok(rows.into_iter().collect())
    }

    async fn count_drill_exposure(&self, exam: &str, question_id: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO drill_exposure (exam_code, question_id, served) VALUES ($1, $2, 1)
             ON CONFLICT (exam_code, question_id) DO UPDATE SET served = drill_exposure.served + 1",
        )
        .bind(exam)
        .bind(question_id)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }
}

/// The guarded upsert of several answers (see `upsert_one!`), one row per write; the flag is
/// set by every write (`flags_sent`) or kept by every one.
fn upsert_many(writes: &[AnswerWrite], flags_sent: bool) -> sqlx::QueryBuilder<'_, super::Db> {
    let mut q = sqlx::QueryBuilder::<super::Db>::new(
        "WITH v (attempt_id, n, response, flagged, answered_at) AS (",
    );
    q.push_values(writes, |mut row, w| {
        row.push_bind(w.attempt_id.as_str())
            .push_bind(w.n)
            .push_bind(w.response.as_deref())
            .push_bind(w.flagged.unwrap_or(false))
            .push_bind(w.at);
    });
    q.push(
        ") INSERT INTO responses (attempt_id, n, response, flagged, answered_at, changes)
         SELECT v.attempt_id, v.n, v.response, v.flagged, v.answered_at, 0 FROM v
         WHERE EXISTS (SELECT 1 FROM attempts a
                       WHERE a.id = v.attempt_id AND a.submitted_at IS NULL)
         ON CONFLICT (attempt_id, n) DO UPDATE SET
           response = COALESCE(excluded.response, responses.response),
           answered_at = excluded.answered_at,
           changes = responses.changes + CASE
             WHEN excluded.response IS NOT NULL AND responses.response IS NOT NULL
               AND excluded.response <> responses.response THEN 1 ELSE 0 END, ",
    );
    q.push(if flags_sent {
        "flagged = excluded.flagged"
    } else {
        "flagged = responses.flagged"
    });
    q
}
