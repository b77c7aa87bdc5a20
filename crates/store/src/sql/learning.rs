//! The SQL of [`LearningStore`]: cards, the review log and learner settings. Card and review
//! times are unix seconds in their columns (see the crate docs).

use async_trait::async_trait;

use super::This;
use crate::{CardReview, CardRow, LearningStore, StoreError, moment, named, unix};

/// A card row as its columns hold it.
#[derive(sqlx::FromRow)]
struct CardRecord {
    owner: String,
    question_id: String,
    stability: f64,
    difficulty: f64,
    due_at: i64,
    last_review_at: i64,
    reps: i32,
    lapses: i32,
}

impl TryFrom<CardRecord> for CardRow {
    type Error = StoreError;

    fn try_from(r: CardRecord) -> Result<Self, StoreError> {
        Ok(CardRow {
            owner: r.owner,
            question_id: r.question_id,
            stability: r.stability,
            difficulty: r.difficulty,
            due_at: moment(r.due_at)?,
            last_review_at: moment(r.last_review_at)?,
            reps: r.reps,
            lapses: r.lapses,
        })
    }
}

/// A review-log row as its columns hold it.
#[derive(sqlx::FromRow)]
struct ReviewRecord {
    attempt_id: String,
    n: i32,
    owner: String,
    question_id: String,
    grade: String,
    reviewed_at: i64,
    elapsed_days: i32,
}

impl TryFrom<ReviewRecord> for CardReview {
    type Error = StoreError;

    fn try_from(r: ReviewRecord) -> Result<Self, StoreError> {
        Ok(CardReview {
            attempt_id: r.attempt_id,
            n: r.n,
            owner: r.owner,
            question_id: r.question_id,
            grade: named(&r.grade)?,
            reviewed_at: moment(r.reviewed_at)?,
            elapsed_days: r.elapsed_days,
        })
    }
}

const CARD_COLUMNS: &str =
    "owner, question_id, stability, difficulty, due_at, last_review_at, reps, lapses";

/// Rows per statement when writing reviews and cards in bulk (8 parameters a row stays well
/// below both backends' limits on bound parameters).
const BULK_ROWS: usize = 500;

/// Logs graded answers and writes the cards' new states inside `tx`, skipping attempt items
/// already graded; returns how many were new. A few statements however many reviews: the log
/// rows in bulk (returning which were new), then the new cards' states in bulk.
pub(super) async fn write_reviews(
    tx: &mut sqlx::Transaction<'_, super::Db>,
    reviews: &[(CardReview, CardRow)],
) -> Result<usize, StoreError> {
    let mut logged = std::collections::HashSet::new();
    for chunk in reviews.chunks(BULK_ROWS) {
        let mut insert = sqlx::QueryBuilder::<super::Db>::new(
            "INSERT INTO card_reviews (attempt_id, n, owner, question_id, grade, reviewed_at, elapsed_days) ",
        );
        insert.push_values(chunk, |mut row, (r, _)| {
            row.push_bind(r.attempt_id.clone())
                .push_bind(r.n)
                .push_bind(r.owner.clone())
                .push_bind(r.question_id.clone())
                .push_bind(r.grade.as_str())
                .push_bind(unix(r.reviewed_at))
                .push_bind(r.elapsed_days);
        });
        insert.push(" ON CONFLICT (attempt_id, n) DO NOTHING RETURNING attempt_id, n");
        logged.extend(
            insert
                .build_query_as::<(String, i32)>()
                .fetch_all(&mut **tx)
                .await?,
        );
    }
    // Each newly logged item once, and each card once with its last state (one statement
    // may not update a row twice).
    let mut cards = std::collections::HashMap::new();
    let mut written = 0;
    for (r, c) in reviews {
        if logged.remove(&(r.attempt_id.clone(), r.n)) {
            written += 1;
            cards.insert((c.owner.as_str(), c.question_id.as_str()), c);
        }
    }
    let cards: Vec<&CardRow> = cards.into_values().collect();
    for chunk in cards.chunks(BULK_ROWS) {
        let mut upsert =
            sqlx::QueryBuilder::<super::Db>::new(format!("INSERT INTO cards ({CARD_COLUMNS}) "));
        upsert.push_values(chunk, |mut row, c| {
            row.push_bind(c.owner.clone())
                .push_bind(c.question_id.clone())
                .push_bind(c.stability)
                .push_bind(c.difficulty)
                .push_bind(unix(c.due_at))
                .push_bind(unix(c.last_review_at))
                .push_bind(c.reps)
                .push_bind(c.lapses);
        });
        upsert.push(
            " ON CONFLICT (owner, question_id) DO UPDATE SET stability = excluded.stability,
               difficulty = excluded.difficulty, due_at = excluded.due_at,
               last_review_at = excluded.last_review_at, reps = excluded.reps,
               lapses = excluded.lapses",
        );
        upsert.build().execute(&mut **tx).await?;
    }
    Ok(written)
}

#[async_trait]
impl LearningStore for This {
    async fn card(&self, owner: &str, question_id: &str) -> Result<Option<CardRow>, StoreError> {
        sqlx::query_as::<_, CardRecord>(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE owner = $1 AND question_id = $2"
        ))
        .bind(owner)
        .bind(question_id)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .map(CardRow::try_from)
        .transpose()
    }

    async fn cards_of(&self, owner: &str) -> Result<Vec<CardRow>, StoreError> {
        sqlx::query_as::<_, CardRecord>(&format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE owner = $1 ORDER BY due_at, question_id"
        ))
        .bind(owner)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .into_iter()
        .map(CardRow::try_from)
        .collect()
    }

    async fn record_reviews(&self, reviews: &[(CardReview, CardRow)]) -> Result<usize, StoreError> {
        let mut conn = self.conn().await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let written = write_reviews(&mut tx, reviews).await?;
        tx.commit().await?;
        Ok(written)
    }

    async fn reviews_of(&self, owner: &str) -> Result<Vec<CardReview>, StoreError> {
        sqlx::query_as::<_, ReviewRecord>(
            "SELECT attempt_id, n, owner, question_id, grade, reviewed_at, elapsed_days
             FROM card_reviews WHERE owner = $1 ORDER BY reviewed_at, attempt_id, n",
        )
        .bind(owner)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .into_iter()
        .map(CardReview::try_from)
        .collect()
    }

    async fn owners_with_reviews(&self, min: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT owner FROM card_reviews GROUP BY owner HAVING COUNT(*) >= $1 ORDER BY owner",
        )
        .bind(min)
        .fetch_all(&mut *self.conn().await?)
        .await?)
    }

    async fn desired_retention(&self, owner: &str) -> Result<Option<f64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT desired_retention FROM learner_settings WHERE owner = $1")
                .bind(owner)
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn set_desired_retention(&self, owner: &str, retention: f64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO learner_settings (owner, desired_retention) VALUES ($1, $2)
             ON CONFLICT (owner) DO UPDATE SET desired_retention = excluded.desired_retention",
        )
        .bind(owner)
        .bind(retention)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }

    async fn fsrs_parameters(&self, owner: &str) -> Result<Option<String>, StoreError> {
        let row: Option<Option<String>> =
            sqlx::query_scalar("SELECT fsrs_parameters FROM learner_settings WHERE owner = $1")
                .bind(owner)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        Ok(row.flatten())
    }

    async fn set_fsrs_parameters(&self, owner: &str, parameters: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO learner_settings (owner, desired_retention, fsrs_parameters)
             VALUES ($1, 0.9, $2)
             ON CONFLICT (owner) DO UPDATE SET fsrs_parameters = excluded.fsrs_parameters",
        )
        .bind(owner)
        .bind(parameters)
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(())
    }
}
