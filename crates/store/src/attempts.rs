//! Attempts in the store: one row per sitting with its form as JSON, one row per saved
//! response, and the exposure counts of adaptive drills. The engine gives them meaning.

use std::collections::HashMap;

use async_trait::async_trait;
use getmycert_core::Mode;
use time::OffsetDateTime;

use crate::{CardReview, CardRow, StoreError};

/// Sittings and their responses.
#[async_trait]
pub trait AttemptStore {
    /// Writes a new attempt (one row).
    async fn create_attempt(&self, attempt: &NewAttempt) -> Result<(), StoreError>;

    /// Replaces a growing attempt's form (an adaptive drill's next item) if it is still
    /// `before` and the attempt is not submitted; `Ok(false)` otherwise (nothing written).
    async fn extend_attempt(&self, id: &str, before: &str, after: &str)
    -> Result<bool, StoreError>;

    /// One attempt, whoever owns it (callers check ownership).
    async fn attempt(&self, id: &str) -> Result<AttemptRow, StoreError>;

    /// An owner's attempts, newest first.
    async fn attempts_of(&self, owner: &str) -> Result<Vec<AttemptRow>, StoreError>;

    /// Every attempt with a deadline that is not submitted, without its form (the engine
    /// submits those whose deadline has passed; on exam day there are thousands).
    async fn open_timed_attempts(&self) -> Result<Vec<OpenAttempt>, StoreError>;

    /// Saves the answer to item `n` in one statement, while the attempt is not submitted: a
    /// `response` replaces the saved one (a change to a different answer is counted), `None`
    /// keeps it; `flagged` sets the flag, `None` keeps it. Returns the item's state after the
    /// save, or `None` when the attempt is already submitted and nothing was written.
    async fn save_answer(
        &self,
        attempt_id: &str,
        n: i32,
        response: Option<&str>,
        flagged: Option<bool>,
        at: OffsetDateTime,
    ) -> Result<Option<SavedAnswer>, StoreError>;

    /// Saves several answers in one statement, each as [`AttemptStore::save_answer`] would:
    /// the writes name distinct (attempt, item) pairs and either all send a flag or none does
    /// (the caller splits them so). Returns each write's state, in order.
    async fn save_answers(
        &self,
        writes: &[AnswerWrite],
    ) -> Result<Vec<Option<SavedAnswer>>, StoreError>;

    /// Saves answers as [`AttemptStore::save_answers`] does, without reading their state
    /// back: returns how many were written (a write to a submitted attempt is not). For a
    /// caller that already knows each item's state before the save, as the sole writer of an
    /// embedded database does. Writing the same answer again changes nothing, so after a
    /// count short of the writes the caller may send them to `save_answers` to learn which.
    async fn write_answers(&self, writes: &[AnswerWrite]) -> Result<u64, StoreError>;

    /// Every saved response of an attempt, by item number.
    async fn responses(&self, attempt_id: &str) -> Result<Vec<ResponseRow>, StoreError>;

    /// The saved response to item `n`, if any.
    async fn response(&self, attempt_id: &str, n: i32) -> Result<Option<ResponseRow>, StoreError>;

    /// The saved responses to several (attempt, item) pairs in one query, in the order asked.
    async fn responses_at(
        &self,
        keys: &[(&str, i32)],
    ) -> Result<Vec<Option<ResponseRow>>, StoreError>;

    /// Marks the attempt submitted with its result and records the graded answers, in one
    /// transaction, once: `Ok(false)` (nothing written) if it already was submitted.
    async fn submit_attempt(
        &self,
        attempt_id: &str,
        result: &str,
        at: OffsetDateTime,
        reviews: &[(CardReview, CardRow)],
    ) -> Result<bool, StoreError>;

    /// How many adaptive drills of `exam` served each item; key `""` counts the drills.
    async fn drill_exposure(&self, exam: &str) -> Result<HashMap<String, i64>, StoreError>;

    /// Counts one drill serving `question_id` (`""`: one drill started).
    async fn count_drill_exposure(&self, exam: &str, question_id: &str) -> Result<(), StoreError>;
}

/// An attempt to create: one row, the form fixed as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    pub id: String,
    pub owner: String,
    pub exam_code: String,
    pub mode: Mode,
    pub seed: i64,
    pub items: String,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    /// The sitting's own settings (JSON), if its mode has any.
    pub settings: Option<String>,
}

/// An open timed attempt: who owns it and when its time is up.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenAttempt {
    pub id: String,
    pub owner: String,
    pub deadline: OffsetDateTime,
}

/// An attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: String,
    pub owner: String,
    pub exam_code: String,
    #[sqlx(try_from = "String")]
    pub mode: Mode,
    pub seed: i64,
    pub items: String,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    pub submitted_at: Option<OffsetDateTime>,
    pub result: Option<String>,
    pub settings: Option<String>,
}

/// One answer to save (see [`AttemptStore::save_answer`] for what each field does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerWrite {
    pub attempt_id: String,
    pub n: i32,
    pub response: Option<String>,
    pub flagged: Option<bool>,
    pub at: OffsetDateTime,
}

/// An item's state right after a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct SavedAnswer {
    pub answered: bool,
    pub flagged: bool,
}

/// A saved response.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResponseRow {
    pub n: i32,
    pub response: Option<String>,
    pub flagged: bool,
    /// When the current answer was saved.
    pub answered_at: OffsetDateTime,
    /// How many times the answer was changed to a different one.
    pub changes: i32,
}
