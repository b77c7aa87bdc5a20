//! The axum-login backend over the engine's accounts.

use axum_login::{AuthUser, AuthnBackend, UserId};

use getmycert_engine::{Account, Engine, EngineError};

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct User(pub Account);

impl AuthUser for User {
    type Id = String;

    fn id(&self) -> String {
        self.0.id.clone()
    }

    /// Changing the password changes this key and so ends every other session.
    fn session_auth_hash(&self) -> &[u8] {
        self.0.session_key()
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

/// Looks accounts up through the engine.
#[derive(Debug, Clone)]
pub struct Backend {
    pub engine: Engine,
}

impl AuthnBackend for Backend {
    type User = User;
    type Credentials = Credentials;
    type Error = EngineError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, EngineError> {
        Ok(self
            .engine
            .check_credentials(&creds.email, &creds.password)
            .await?
            .map(User))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<User>, EngineError> {
        Ok(self.engine.account(id).await?.map(User))
    }
}
