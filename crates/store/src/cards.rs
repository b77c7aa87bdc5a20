//! Spaced-repetition rows: cards, the review log and learner settings.

/// One card: an identity's memory of one item, as FSRS keeps it. Times are unix seconds.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct CardRow {
    pub owner: String,
    pub question_id: String,
    pub stability: f64,
    pub difficulty: f64,
    pub due_at: i64,
    pub last_review_at: i64,
    pub reps: i32,
    pub lapses: i32,
}

/// One graded answer: at most one per attempt item.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CardReview {
    pub attempt_id: String,
    pub n: i32,
    pub owner: String,
    pub question_id: String,
    /// again | hard | good | easy
    pub grade: String,
    pub reviewed_at: i64,
    pub elapsed_days: i32,
}
