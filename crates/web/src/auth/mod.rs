//! Sign-in sessions over the engine's accounts: sessions kept in the store (tower-sessions, so
//! every instance shares them), sign-in through axum-login (which rotates the session id at
//! sign-in), and the extractors that admit only authors or administrators. The rules of
//! accounts (passwords, throttling, roles) are the engine's; the rest of the app sees only
//! [`crate::identity::Identity`].

pub mod backend;
pub mod roles;
pub mod sessions;

use getmycert_engine::Account;

pub use backend::{Backend, User};

use crate::identity::Guest;
use crate::{AppState, WebError};

/// The session layer type the app uses.
pub type AuthSession = axum_login::AuthSession<Backend>;

/// Signs `account` in on this session (a new session id) and moves the browser's guest
/// history to it. A failed move is logged, not fatal: the account is signed in either way.
pub async fn start_session(
    state: &AppState,
    session: &mut AuthSession,
    guest: &Guest,
    account: Account,
) -> Result<User, WebError> {
    let user = renew_session(session, account).await?;
    match state.engine.adopt_guest(&guest.0, &user.0).await {
        Ok(moved) if moved > 0 => tracing::info!(moved, "guest history adopted"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "could not adopt the guest history"),
    }
    Ok(user)
}

/// Signs `account` in on this session under a new session id (after a password change, with
/// the account's new key).
pub async fn renew_session(session: &mut AuthSession, account: Account) -> Result<User, WebError> {
    let user = User(account);
    session
        .login(&user)
        .await
        .map_err(|e| getmycert_engine::EngineError::Internal(format!("session: {e}")))?;
    Ok(user)
}

/// Ends the session.
pub async fn end_session(session: &mut AuthSession) -> Result<(), WebError> {
    session
        .logout()
        .await
        .map_err(|e| getmycert_engine::EngineError::Internal(format!("session: {e}")))?;
    Ok(())
}
