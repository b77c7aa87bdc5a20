//! Accounts: passwords (argon2id, checked off the async runtime), sessions kept in the store
//! (tower-sessions, so every instance shares them), sign-in through axum-login (which rotates
//! the session id at sign-in). The rest of the app sees only [`crate::identity::Identity`].

pub mod accounts;
pub mod backend;
pub mod password;
pub mod roles;
pub mod sessions;

pub use backend::{Backend, Credentials, User};

/// The session layer type the app uses.
pub type AuthSession = axum_login::AuthSession<Backend>;
