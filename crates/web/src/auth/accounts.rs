//! What pages and the API do with accounts, in one place: sign up, sign in, change password,
//! export, delete. Each failure says what the person can do about it.

use time::OffsetDateTime;

use getmycert_store::{StoreError, UserRow};

use super::backend::normalize_email;
use super::{AuthSession, Credentials, User, password};
use crate::AppState;
use crate::identity::{ClientIp, Guest};

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
    /// Too many attempts: try again after this many seconds.
    #[error("too many attempts; try again in {} minute(s)", (.0 + 59) / 60)]
    Throttled(i64),
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

/// Sign-in failures per account before a block: 5 within an hour, then 30 s doubling to 1 h.
const ACCOUNT_LIMIT: (i64, i64, i64, i64) = (5, 3600, 30, 3600);
/// Sign-in failures per address: 20 within an hour, then 60 s doubling to 1 h.
const IP_LIMIT: (i64, i64, i64, i64) = (20, 3600, 60, 3600);
/// Sign-ups per address: 10 within an hour, then 10 min doubling to 1 h.
const SIGNUP_LIMIT: (i64, i64, i64, i64) = (10, 3600, 600, 3600);

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Refuses when any of `keys` is blocked, naming the longest wait.
async fn check_blocked(state: &AppState, keys: &[String]) -> Result<(), AccountError> {
    let mut wait = 0;
    for key in keys {
        if let Some(s) = state
            .store
            .throttle_blocked(key, now())
            .await
            .map_err(internal)?
        {
            wait = wait.max(s);
        }
    }
    if wait > 0 {
        Err(AccountError::Throttled(wait))
    } else {
        Ok(())
    }
}

async fn hit(
    state: &AppState,
    key: &str,
    (threshold, window, base, max): (i64, i64, i64, i64),
) -> Result<(), AccountError> {
    state
        .store
        .throttle_hit(key, now(), threshold, window, base, max)
        .await
        .map_err(internal)?;
    Ok(())
}

/// Creates an account, signs it in (new session id) and adopts the guest's history.
pub async fn sign_up(
    state: &AppState,
    session: &mut AuthSession,
    guest: &Guest,
    ip: &ClientIp,
    email: &str,
    secret: &str,
) -> Result<User, AccountError> {
    let signup_key = format!("signup-ip:{}", ip.0);
    check_blocked(state, std::slice::from_ref(&signup_key)).await?;
    hit(state, &signup_key, SIGNUP_LIMIT).await?;
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
    ip: &ClientIp,
    email: &str,
    secret: &str,
) -> Result<User, AccountError> {
    let account_key = format!("signin-account:{}", normalize_email(email));
    let ip_key = format!("signin-ip:{}", ip.0);
    check_blocked(state, &[account_key.clone(), ip_key.clone()]).await?;
    let found = session
        .authenticate(Credentials {
            email: email.to_owned(),
            password: secret.to_owned(),
        })
        .await
        .map_err(internal)?;
    let Some(user) = found else {
        hit(state, &account_key, ACCOUNT_LIMIT).await?;
        hit(state, &ip_key, IP_LIMIT).await?;
        return Err(AccountError::WrongCredentials);
    };
    state
        .store
        .throttle_reset(&account_key)
        .await
        .map_err(internal)?;
    session.login(&user).await.map_err(internal)?;
    adopt(state, guest, &user).await;
    Ok(user)
}

/// Whether `secret` is the signed-in account's password (same cost as a sign-in).
async fn password_matches(
    session: &AuthSession,
    user: &User,
    secret: &str,
) -> Result<bool, AccountError> {
    Ok(session
        .authenticate(Credentials {
            email: user.email.clone(),
            password: secret.to_owned(),
        })
        .await
        .map_err(internal)?
        .is_some())
}

/// Changes the password after checking the current one; other sessions end (their stored
/// password hash no longer matches) and this one continues under a new id.
pub async fn change_password(
    state: &AppState,
    session: &mut AuthSession,
    user: &User,
    current: &str,
    new: &str,
) -> Result<(), AccountError> {
    if !password_matches(session, user, current).await? {
        return Err(AccountError::Invalid(
            "current",
            "The current password is not right.".into(),
        ));
    }
    if let Some(problem) = password::weakness(new, &user.email) {
        return Err(AccountError::Invalid("password", problem));
    }
    let hash = hash(new.to_owned()).await?;
    state
        .store
        .set_password_hash(&user.id, &hash)
        .await
        .map_err(internal)?;
    let row = state.store.user(&user.id).await.map_err(internal)?;
    session.login(&User::from(row)).await.map_err(internal)?;
    Ok(())
}

/// Everything stored about the account, as JSON: the account, its attempts with their forms
/// and results, and every response.
pub async fn export(state: &AppState, user: &User) -> Result<serde_json::Value, AccountError> {
    let mut attempts = Vec::new();
    for row in state.store.attempts_of(&user.id).await.map_err(internal)? {
        let responses: Vec<serde_json::Value> = state
            .store
            .responses(&row.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|r| {
                serde_json::json!({
                    "n": r.n,
                    "response": r.response.as_deref().and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()),
                    "flagged": r.flagged,
                })
            })
            .collect();
        attempts.push(serde_json::json!({
            "id": row.id,
            "exam": row.exam_code,
            "mode": row.mode,
            "started_at": row.started_at.unix_timestamp(),
            "deadline": row.deadline.map(|d| d.unix_timestamp()),
            "submitted_at": row.submitted_at.map(|d| d.unix_timestamp()),
            "items": serde_json::from_str::<serde_json::Value>(&row.items).unwrap_or_default(),
            "result": row.result.as_deref().and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok()),
            "responses": responses,
        }));
    }
    let cards: Vec<serde_json::Value> = state
        .store
        .cards_of(&user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| {
            serde_json::json!({
                "question": c.question_id, "stability": c.stability, "difficulty": c.difficulty,
                "due_at": c.due_at, "last_review_at": c.last_review_at, "reps": c.reps,
                "lapses": c.lapses,
            })
        })
        .collect();
    let reviews: Vec<serde_json::Value> = state
        .store
        .reviews_of(&user.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "attempt": r.attempt_id, "n": r.n, "question": r.question_id,
                "grade": r.grade, "reviewed_at": r.reviewed_at, "elapsed_days": r.elapsed_days,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "account": {"id": user.id, "email": user.email, "role": user.role},
        "attempts": attempts,
        "cards": cards,
        "reviews": reviews,
        "desired_retention": state.store.desired_retention(&user.id).await.map_err(internal)?,
    }))
}

/// Deletes the account and everything of it after checking the password, then signs out.
pub async fn delete(
    state: &AppState,
    session: &mut AuthSession,
    user: &User,
    secret: &str,
) -> Result<(), AccountError> {
    if !password_matches(session, user, secret).await? {
        return Err(AccountError::Invalid(
            "confirm_password",
            "The password is not right; nothing was deleted.".into(),
        ));
    }
    state.store.delete_user(&user.id).await.map_err(internal)?;
    session.logout().await.map_err(internal)?;
    Ok(())
}
