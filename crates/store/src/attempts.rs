//! Attempt rows as the store keeps them; the engine gives them meaning.

use time::OffsetDateTime;

/// An attempt to create: one row, the form fixed as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttempt {
    pub id: String,
    pub owner: String,
    pub exam_code: String,
    pub mode: String,
    pub seed: i64,
    pub items: String,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    /// The sitting's own settings (JSON), if its mode has any.
    pub settings: Option<String>,
}

/// An attempt as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttemptRow {
    pub id: String,
    pub owner: String,
    pub exam_code: String,
    pub mode: String,
    pub seed: i64,
    pub items: String,
    pub started_at: OffsetDateTime,
    pub deadline: Option<OffsetDateTime>,
    pub submitted_at: Option<OffsetDateTime>,
    pub result: Option<String>,
    pub settings: Option<String>,
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
