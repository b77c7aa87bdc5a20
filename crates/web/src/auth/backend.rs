//! The axum-login backend over the store.

use std::sync::Arc;

use axum_login::{AuthUser, AuthnBackend, UserId};
use getmycert_store::{Store, StoreError};

use super::password;

/// A signed-in account.
#[derive(Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: String,
    password_hash: String,
}

impl std::fmt::Debug for User {
    // The hash never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

impl From<getmycert_store::UserRow> for User {
    fn from(row: getmycert_store::UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email,
            role: row.role,
            password_hash: row.password_hash,
        }
    }
}

impl AuthUser for User {
    type Id = String;

    fn id(&self) -> String {
        self.id.clone()
    }

    /// Changing the password changes the hash and so ends every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.password_hash.as_bytes()
    }
}

/// Email and password as typed.
#[derive(Clone, serde::Deserialize)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// Looks accounts up in the store.
#[derive(Debug, Clone)]
pub struct Backend {
    pub store: Arc<dyn Store>,
}

/// Authentication failures: only store trouble; a wrong password is `Ok(None)`.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("password check failed to run: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Normalises an email for lookups: trimmed and lower-cased.
pub fn normalize_email(raw: &str) -> String {
    raw.trim().to_lowercase()
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, AuthError> {
        let found = match self
            .store
            .user_by_email(&normalize_email(&creds.email))
            .await
        {
            Ok(row) => Some(row),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        let stored = found.as_ref().map_or_else(
            || password::decoy_hash().to_owned(),
            |u| u.password_hash.clone(),
        );
        let ok =
            tokio::task::spawn_blocking(move || password::verify(&creds.password, &stored)).await?;
        Ok(found.filter(|_| ok).map(User::from))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, AuthError> {
        match self.store.user(id).await {
            Ok(row) => Ok(Some(row.into())),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
