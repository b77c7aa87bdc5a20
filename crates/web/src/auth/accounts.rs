//! What pages and the API do with accounts, in one place: sign up, sign in, change password,
//! export, delete. Each failure says what the person can do about it.

use time::OffsetDateTime;

use getmycert_store::{StoreError, UserRow};

use super::backend::normalize_email;
use super::{AuthSession, Credentials, User, password};
use crate::AppState;
use crate::identity::Guest;

/// Why an account operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// A field is wrong: (field, message).
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("an account with this email exists; sign in instead")]
    Taken,
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("internal: {0}")]
    Internal(String),
}

fn internal(e: impl std::fmt::Display) -> AccountError {
    AccountError::Internal(e.to_string())
}

/// Checks an email address well enough to catch typing mistakes.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let at = email.find('@');
    match at {
        _ if email.is_empty() => Some("Enter your email address."),
        _ if email.len() > 254 => Some("That email address is too long."),
        Some(i)
            if i > 0 && email[i + 1..].contains('.') && !email.contains(char::is_whitespace) =>
        {
            None
        }
        _ => Some("Enter an email address such as name@example.com."),
    }
}

async fn hash(secret: String) -> Result<String, AccountError> {
    tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(internal)?
        .map_err(internal)
}

/// Moves the browser's guest history to the account that just signed in or up.
async fn adopt(state: &AppState, guest: &Guest, user: &User) {
    match state.store.adopt_guest(&guest.0, &user.id).await {
        Ok(moved) if moved > 0 => tracing::info!(moved, "guest history adopted"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "could not adopt the guest history"),
    }
}

/// Creates an account, signs it in (new session id) and adopts the guest's history.
pub async fn sign_up(
    state: &AppState,
    session: &mut AuthSession,
    guest: &Guest,
    email: &str,
    secret: &str,
) -> Result<User, AccountError> {
    let email = normalize_email(email);
    if let Some(problem) = email_problem(&email) {
        return Err(AccountError::Invalid("email", problem.into()));
    }
    if let Some(problem) = password::weakness(secret, &email) {
        return Err(AccountError::Invalid("password", problem));
    }
    let row = UserRow {
        id: format!("u-{}", uuid::Uuid::new_v4().simple()),
        email,
        password_hash: hash(secret.to_owned()).await?,
        display_name: String::new(),
        role: "learner".into(),
        created_at: OffsetDateTime::now_utc(),
    };
    match state.store.create_user(&row).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => return Err(AccountError::Taken),
        Err(e) => return Err(internal(e)),
    }
    let user = User::from(row);
    session.login(&user).await.map_err(internal)?;
    adopt(state, guest, &user).await;
    Ok(user)
}

/// Signs in (new session id) and adopts the guest's history.
pub async fn sign_in(
    state: &AppState,
    session: &mut AuthSession,
    guest: &Guest,
    email: &str,
    secret: &str,
) -> Result<User, AccountError> {
    let user = session
        .authenticate(Credentials {
            email: email.to_owned(),
            password: secret.to_owned(),
        })
        .await
        .map_err(internal)?
        .ok_or(AccountError::WrongCredentials)?;
    session.login(&user).await.map_err(internal)?;
    adopt(state, guest, &user).await;
    Ok(user)
}
