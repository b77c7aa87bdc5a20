//! Learning rows: spaced-repetition cards, the review log, learner settings and item
//! statistics.

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

/// One item part's statistics for one exam, as the last calibration left them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
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
    /// Unix seconds.
    pub computed_at: i64,
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
