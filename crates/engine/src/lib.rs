//! The application rules over a store: attempts (start, sitting, submit, report), adaptive
//! drills, spaced-repetition review, readiness, calibration, accounts and question reports.
//! It knows neither HTTP nor SQL: the web layer translates requests into these calls, the store
//! keeps the rows, and the rules themselves (draws, scoring, scheduling, ability estimates)
//! live in `core` as plain functions.
//!
//! Modules depend one way: `questions` (the bank as draws and sittings read it) underlies
//! `readiness`, which `drill` uses; `review` grades answers into cards; `attempts` builds on
//! all of them, and `progress` sums up `review` and `readiness` for pages; `calibration`,
//! `accounts` and `reports` stand alone.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod attempts;
mod cache;
pub mod calibration;
pub mod certifications;
pub mod drill;
mod form;
mod lane;
pub mod progress;
pub mod questions;
pub mod readiness;
mod reads;
pub mod reports;
pub mod review;
mod saves;
pub mod text;

use std::sync::Arc;

use getmycert_content::Content;
use getmycert_store::{Backend, Store, StoreError, SyncReport};

pub use accounts::Account;
pub use attempts::{AttemptView, Report, ReviewedItem, ServedItem, StartRequest};
pub use review::DueCount;

/// The engine over one store and the loaded content, with its in-memory cache of immutable
/// content (see `cache.rs`); cheap to clone (five `Arc`s).
#[derive(Debug, Clone)]
pub struct Engine {
    store: Arc<dyn Store>,
    content: Arc<Content>,
    cache: Arc<cache::Cache>,
    /// The writer that groups concurrent saves into one statement.
    saves: Arc<saves::Saves>,
    /// The reader that groups concurrent reads of saved answers into one query.
    reads: Arc<reads::Reads>,
    /// Whether this engine is its database's only writer (embedded SQLite), so that saved
    /// answers can be served from memory.
    sole_writer: bool,
}

impl Engine {
    /// The engine over a connected store and validated content. The content's own revisions
    /// go into the cache at once (they are what this instance syncs and draws).
    pub fn new(store: Arc<dyn Store>, content: Arc<Content>) -> Self {
        let cache = cache::Cache::default();
        for question in &content.questions {
            if let Ok((_, hash)) = getmycert_store::revision(question) {
                cache.keep_revision(hash, Arc::new(question.clone()));
            }
        }
        Self {
            sole_writer: store.backend() == Backend::Sqlite,
            store,
            content,
            cache: Arc::new(cache),
            saves: Arc::default(),
            reads: Arc::default(),
        }
    }

    /// The catalog, guides and bank this engine serves.
    pub fn content(&self) -> &Content {
        &self.content
    }

    /// A shared handle on the content, for values that outlive a borrow of the engine.
    pub fn shared_content(&self) -> Arc<Content> {
        self.content.clone()
    }

    /// Which database backs the engine.
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Whether the database answers.
    pub async fn health(&self) -> Result<(), EngineError> {
        Ok(self.store.health().await?)
    }

    /// Makes the stored catalog and bank match the content (idempotent; an edited item gets a
    /// new revision, a removed one is retired).
    pub async fn sync_content(&self) -> Result<(SyncReport, SyncReport), EngineError> {
        let exams = self.store.sync_exams(&self.content.exams).await?;
        let questions = self.store.sync_questions(&self.content.questions).await?;
        Ok((exams, questions))
    }

    /// Closes the database pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.store.close().await;
    }

    fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}

/// Why an engine operation failed. Each variant is one answer at the HTTP edge: the web layer
/// converts it in one place for pages and one for the API.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Unknown attempt, question, report or account, or another identity's attempt (404).
    #[error("not found")]
    NotFound,
    /// The request is well-formed but cannot be met; `field` names the form field at fault
    /// when there is one (422).
    #[error("{message}")]
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    /// The request conflicts with the state: an attempt already submitted or past its
    /// deadline, an email already registered (409).
    #[error("{0}")]
    Conflict(String),
    /// Wrong email or password (401).
    #[error("wrong email or password")]
    WrongCredentials,
    /// Too many attempts; retry after this many seconds (429).
    #[error("too many attempts; try again in {} minute(s)", (.0 + 59) / 60)]
    Throttled(i64),
    /// The store failed (500; the cause is logged, never shown).
    #[error("store: {0}")]
    Store(StoreError),
    /// Stored data that does not parse, or a background task that stopped (500).
    #[error("internal: {0}")]
    Internal(String),
}

impl EngineError {
    /// Whether the database is out of reach for now (see [`StoreError::is_unavailable`]): the
    /// edge answers 503 with a retry delay.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, EngineError::Store(e) if e.is_unavailable())
    }

    /// A 422 with a message and no field.
    pub fn invalid(message: impl Into<String>) -> Self {
        EngineError::Invalid {
            field: None,
            message: message.into(),
        }
    }

    /// A 422 whose message belongs to one form field.
    pub fn invalid_field(field: &'static str, message: impl Into<String>) -> Self {
        EngineError::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    /// Whether this is a server-side failure (logged, and shown only as a generic message).
    pub fn is_internal(&self) -> bool {
        matches!(self, EngineError::Store(_) | EngineError::Internal(_))
    }
}

impl From<StoreError> for EngineError {
    /// A missing row is a 404 and a taken unique value a 409; everything else is internal.
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => EngineError::NotFound,
            StoreError::Conflict => EngineError::Conflict("it already exists".into()),
            StoreError::Unstorable => EngineError::invalid(StoreError::Unstorable.to_string()),
            other => EngineError::Store(other),
        }
    }
}

impl From<serde_json::Error> for EngineError {
    fn from(e: serde_json::Error) -> Self {
        EngineError::Internal(format!("stored JSON: {e}"))
    }
}

impl From<tokio::task::JoinError> for EngineError {
    fn from(e: tokio::task::JoinError) -> Self {
        EngineError::Internal(format!("a background task stopped: {e}"))
    }
}
