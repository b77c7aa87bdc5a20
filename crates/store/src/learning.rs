//! Learning in the store: spaced-repetition cards, the review log and learner settings.

use async_trait::async_trait;
use getmycert_core::review::Grade;
use time::OffsetDateTime;

use crate::StoreError;

/// Cards, graded answers and each learner's scheduling settings.
#[async_trait]
pub trait LearningStore {
    /// One identity's card for one item, if it has one.
    async fn card(&self, owner: &str, question_id: &str) -> Result<Option<CardRow>, StoreError>;

    /// Every card of an identity, soonest due first.
    async fn cards_of(&self, owner: &str) -> Result<Vec<CardRow>, StoreError>;

    /// Logs graded answers and writes the cards' new states in one transaction, once per
    /// attempt item: an item already graded is skipped. Returns how many were new (and
    /// written).
    async fn record_reviews(&self, reviews: &[(CardReview, CardRow)]) -> Result<usize, StoreError>;

    /// An identity's graded answers, oldest first (for fitting its own FSRS parameters).
    async fn reviews_of(&self, owner: &str) -> Result<Vec<CardReview>, StoreError>;

    /// Identities with at least `min` graded answers in the review log.
    async fn owners_with_reviews(&self, min: i64) -> Result<Vec<String>, StoreError>;

    /// An identity's desired retention, if it set one.
    async fn desired_retention(&self, owner: &str) -> Result<Option<f64>, StoreError>;

    /// Sets an identity's desired retention.
    async fn set_desired_retention(&self, owner: &str, retention: f64) -> Result<(), StoreError>;

    /// An identity's own FSRS parameters (JSON), once fitted.
    async fn fsrs_parameters(&self, owner: &str) -> Result<Option<String>, StoreError>;

    /// Stores an identity's fitted FSRS parameters (JSON).
    async fn set_fsrs_parameters(&self, owner: &str, parameters: &str) -> Result<(), StoreError>;
}

/// One card: an identity's memory of one item, as FSRS keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub owner: String,
    pub question_id: String,
    pub stability: f64,
    pub difficulty: f64,
    pub due_at: OffsetDateTime,
    pub last_review_at: OffsetDateTime,
    pub reps: i32,
    pub lapses: i32,
}

/// One graded answer: at most one per attempt item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardReview {
    pub attempt_id: String,
    pub n: i32,
    pub owner: String,
    pub question_id: String,
    pub grade: Grade,
    pub reviewed_at: OffsetDateTime,
    pub elapsed_days: i32,
}
