//! Sign-in sessions, kept in the store so that they survive restarts and every instance on one
//! database shares them. The web layer's session middleware reads and writes through these.

use time::OffsetDateTime;

use getmycert_store::NewSession;

use crate::{Engine, EngineError};

impl Engine {
    /// Inserts a new session; `false` if the id is taken.
    pub async fn session_create(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
    ) -> Result<bool, EngineError> {
        let session = NewSession {
            id,
            data,
            expires_at,
        };
        Ok(self.store().session_create(&session).await?)
    }

    /// Inserts or replaces a session.
    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        expires_at: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let session = NewSession {
            id,
            data,
            expires_at,
        };
        Ok(self.store().session_save(&session).await?)
    }

    /// A session's data and expiry, if it exists and has not expired at `now`.
    pub async fn session_load(
        &self,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(String, OffsetDateTime)>, EngineError> {
        Ok(self.store().session_load(id, now).await?)
    }

    /// Ends a session.
    pub async fn session_delete(&self, id: &str) -> Result<(), EngineError> {
        Ok(self.store().session_delete(id).await?)
    }
}
