//! tower-sessions records kept through the engine in the store, so sessions survive restarts
//! and are shared by every instance on one database.

use async_trait::async_trait;
use getmycert_engine::Engine;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

/// The session store over the engine.
#[derive(Debug, Clone)]
pub struct StoreSessions(pub Engine);

fn backend(e: getmycert_engine::EngineError) -> Error {
    Error::Backend(e.to_string())
}

fn encode(record: &Record) -> Result<String> {
    serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for StoreSessions {
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = encode(record)?;
        // A fresh id on the (astronomically unlikely) collision.
        while !self
            .0
            .session_create(&record.id.to_string(), &data, record.expiry_date)
            .await
            .map_err(backend)?
        {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.0
            .session_save(&record.id.to_string(), &encode(record)?, record.expiry_date)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc();
        let Some((data, expiry_date)) = self
            .0
            .session_load(&id.to_string(), now)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.0
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}
