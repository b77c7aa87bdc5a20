//! Storage behind one trait: a SQLite implementation (the embedded default) and a PostgreSQL
//! one (several app instances, one database), each with its own migrations, both passing the
//! same test suite.
#![forbid(unsafe_code)]

mod accounts;
mod attempts;
mod common;
mod learning;
pub mod postgres;
mod questions;
pub mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use std::collections::BTreeMap;

use getmycert_core::{Exam, Question, QuestionId};

pub use accounts::{ReportRow, UserRow};
pub use attempts::{AttemptRow, NewAttempt, ResponseRow};
pub use learning::{CardReview, CardRow, ItemStatRow, SubmittedResponse};
pub use postgres::PgStore;
pub use questions::{QuestionFilter, QuestionPage, StoredQuestion};
pub use sqlite::SqliteStore;

/// Which database backs the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        })
    }
}

/// What went wrong in the store. Causes are for logs, never for pages.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique value (an email address) is already taken.
    #[error("already exists")]
    Conflict,
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot prepare the database location: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot encode a row: {0}")]
    Encode(#[from] serde_json::Error),
}

/// What one catalog sync changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows whose exam or item left the content (kept, marked out of catalog or retired).
    pub removed: usize,
}

impl SyncReport {
    /// Whether the sync wrote anything.
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.removed > 0
    }
}

/// An exam row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredExam {
    pub code: String,
    pub name: String,
    pub state: String,
    pub content_hash: String,
    pub in_catalog: bool,
}

/// The store in domain terms. Implementations are cheap to clone and share a pool.
#[async_trait]
pub trait Store: Send + Sync + fmt::Debug + 'static {
    /// The database behind the store.
    fn backend(&self) -> Backend;

    /// Checks that the database answers a query.
    async fn health(&self) -> Result<(), StoreError>;

    /// Makes the exam rows match the catalog in one transaction: new exams inserted, changed
    /// ones updated (new content hash), missing ones marked out of catalog. Idempotent.
    async fn sync_exams(&self, exams: &[Exam]) -> Result<SyncReport, StoreError>;

    /// Every exam row, in code order.
    async fn exams(&self) -> Result<Vec<StoredExam>, StoreError>;

    /// Makes the question rows match the bank in one transaction: new items inserted; a
    /// changed item gets a new revision (earlier revisions are kept); a status change is
    /// applied; items missing from the bank are retired, never deleted. Idempotent.
    async fn sync_questions(&self, questions: &[Question]) -> Result<SyncReport, StoreError>;

    /// Live items per exam code.
    async fn live_counts(&self) -> Result<BTreeMap<String, u64>, StoreError>;

    /// One page of the items that pass `filter`, in id order, with the total.
    async fn list_questions(&self, filter: &QuestionFilter) -> Result<QuestionPage, StoreError>;

    /// The current revision of one item (any status).
    async fn question(&self, id: &QuestionId) -> Result<StoredQuestion, StoreError>;

    /// One revision of an item, as it was when answered.
    async fn question_revision(&self, id: &QuestionId, hash: &str) -> Result<Question, StoreError>;

    /// Writes a new attempt (one row).
    async fn create_attempt(&self, attempt: &NewAttempt) -> Result<(), StoreError>;

    /// Replaces a growing attempt's form (an adaptive drill's next item) if it is still
    /// `before` and the attempt is not submitted; `Ok(false)` otherwise (nothing written).
    async fn extend_attempt(&self, id: &str, before: &str, after: &str)
    -> Result<bool, StoreError>;

    /// How many adaptive drills of `exam` served each item; key `""` counts the drills.
    async fn drill_exposure(
        &self,
        exam: &str,
    ) -> Result<std::collections::HashMap<String, i64>, StoreError>;

    /// Counts one drill serving `question_id` (`""`: one drill started).
    async fn count_drill_exposure(&self, exam: &str, question_id: &str) -> Result<(), StoreError>;

    /// One attempt, whoever owns it (callers check ownership).
    async fn attempt(&self, id: &str) -> Result<AttemptRow, StoreError>;

    /// An owner's attempts, newest first.
    async fn attempts_of(&self, owner: &str) -> Result<Vec<AttemptRow>, StoreError>;

    /// Saves (or replaces) the response to item `n` while the attempt is not submitted;
    /// `changed` counts a change to a different answer. `Ok(false)` when the attempt is
    /// already submitted, and nothing is written.
    async fn save_response(
        &self,
        attempt_id: &str,
        n: i32,
        response: Option<&str>,
        flagged: bool,
        changed: bool,
        at: time::OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Every saved response of an attempt, by item number.
    async fn responses(&self, attempt_id: &str) -> Result<Vec<ResponseRow>, StoreError>;

    /// Marks the attempt submitted with its result, once; `Ok(false)` if it already was.
    async fn submit_attempt(
        &self,
        attempt_id: &str,
        result: &str,
        at: time::OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// One identity's card for one item, if it has one.
    async fn card(&self, owner: &str, question_id: &str) -> Result<Option<CardRow>, StoreError>;

    /// Every card of an identity, soonest due first.
    async fn cards_of(&self, owner: &str) -> Result<Vec<CardRow>, StoreError>;

    /// Logs a graded answer and writes the card's new state, in one transaction, once per
    /// attempt item: `Ok(false)` (nothing written) when that item was already graded.
    async fn record_review(&self, review: &CardReview, card: &CardRow) -> Result<bool, StoreError>;

    /// [`Store::record_review`] for many answers in one transaction; returns how many were
    /// new (and written).
    async fn record_reviews(&self, reviews: &[(CardReview, CardRow)]) -> Result<usize, StoreError>;

    /// An identity's graded answers, oldest first (for fitting its own FSRS parameters).
    async fn reviews_of(&self, owner: &str) -> Result<Vec<CardReview>, StoreError>;

    /// An identity's desired retention, if it set one.
    async fn desired_retention(&self, owner: &str) -> Result<Option<f64>, StoreError>;

    /// Sets an identity's desired retention.
    async fn set_desired_retention(&self, owner: &str, retention: f64) -> Result<(), StoreError>;

    /// An identity's own FSRS parameters (JSON), once fitted.
    async fn fsrs_parameters(&self, owner: &str) -> Result<Option<String>, StoreError>;

    /// Stores an identity's fitted FSRS parameters (JSON).
    async fn set_fsrs_parameters(&self, owner: &str, parameters: &str) -> Result<(), StoreError>;

    /// Identities with at least `min` graded answers in the review log.
    async fn owners_with_reviews(&self, min: i64) -> Result<Vec<String>, StoreError>;

    /// Every submitted attempt of every identity, oldest first (for calibration).
    async fn submitted_attempts(&self) -> Result<Vec<AttemptRow>, StoreError>;

    /// Every saved response of the submitted attempts (for calibration).
    async fn submitted_responses(&self) -> Result<Vec<SubmittedResponse>, StoreError>;

    /// Replaces every item statistic with `rows`, in one transaction.
    async fn replace_item_stats(&self, rows: &[ItemStatRow]) -> Result<(), StoreError>;

    /// Every item statistic, by exam, item and part.
    async fn item_stats(&self) -> Result<Vec<ItemStatRow>, StoreError>;

    /// Pilot items of `exam` whose every part the last calibration found ready to go live.
    async fn promoted_items(&self, exam: &str) -> Result<Vec<String>, StoreError>;

    /// Creates an account; `Err(Conflict)` when the email is taken.
    async fn create_user(&self, user: &UserRow) -> Result<(), StoreError>;

    /// The account with this (lower-cased) email.
    async fn user_by_email(&self, email: &str) -> Result<UserRow, StoreError>;

    /// The account with this id.
    async fn user(&self, id: &str) -> Result<UserRow, StoreError>;

    /// Seconds until `key` is unblocked, if it is blocked at `now` (unix seconds).
    async fn throttle_blocked(&self, key: &str, now: i64) -> Result<Option<i64>, StoreError>;

    /// Counts one event for `key`; from the `threshold`-th event within `window` seconds the
    /// key is blocked for `base` seconds, doubling with each further event up to `max`.
    /// Returns the seconds the key is now blocked for (0 when not blocked).
    async fn throttle_hit(
        &self,
        key: &str,
        now: i64,
        threshold: i64,
        window: i64,
        base: i64,
        max: i64,
    ) -> Result<i64, StoreError>;

    /// Forgets `key` (a successful sign-in clears the account's failures).
    async fn throttle_reset(&self, key: &str) -> Result<(), StoreError>;

    /// Stores a question report.
    async fn create_report(&self, report: &ReportRow) -> Result<(), StoreError>;

    /// Reports with this status (`open`, `accepted`, `rejected`), oldest first.
    async fn reports_with_status(&self, status: &str) -> Result<Vec<ReportRow>, StoreError>;

    /// A reporter's reports, newest first.
    async fn reports_by(&self, reporter: &str) -> Result<Vec<ReportRow>, StoreError>;

    /// Closes an open report; `Ok(false)` when it is not open.
    async fn resolve_report(
        &self,
        id: &str,
        status: &str,
        note: &str,
        at: time::OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Sets an account's role.
    async fn set_role(&self, id: &str, role: &str) -> Result<(), StoreError>;

    /// Every account, by email (for administrators).
    async fn users(&self) -> Result<Vec<UserRow>, StoreError>;

    /// Replaces an account's password hash.
    async fn set_password_hash(&self, id: &str, hash: &str) -> Result<(), StoreError>;

    /// Deletes an account and everything of it (attempts, responses, cards, settings), in one
    /// transaction.
    async fn delete_user(&self, id: &str) -> Result<(), StoreError>;

    /// Moves everything a guest did (attempts, reports, cards the account lacks, review log) to
    /// an account; returns how many attempts moved.
    async fn adopt_guest(&self, guest: &str, user: &str) -> Result<u64, StoreError>;

    /// Inserts a new session; `Ok(false)` if the id is taken.
    async fn session_create(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
    ) -> Result<bool, StoreError>;

    /// Inserts or replaces a session.
    async fn session_save(&self, id: &str, data: &str, expires_at: i64) -> Result<(), StoreError>;

    /// A session's data if it exists and has not expired at `now` (unix seconds).
    async fn session_load(&self, id: &str, now: i64) -> Result<Option<(String, i64)>, StoreError>;

    /// Deletes a session.
    async fn session_delete(&self, id: &str) -> Result<(), StoreError>;

    /// Closes the pool, waiting for connections to be returned.
    async fn close(&self);
}

/// Connects to `url` (`sqlite://…` or `postgres://…`) and applies the migrations.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}
