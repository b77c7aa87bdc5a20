//! Account and session rows.

use time::OffsetDateTime;

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: String,
    pub created_at: OffsetDateTime,
}

/// A question report as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub id: String,
    pub question_id: String,
    pub revision: String,
    pub reporter: String,
    pub body: String,
    pub created_at: OffsetDateTime,
    pub status: String,
    pub resolution: String,
    pub resolved_at: Option<OffsetDateTime>,
}
