//! Authorization in one place: extractors that admit only authors or administrators. A page
//! handler that takes `Author` or `Admin` cannot run for anyone else (403; 401 when signed out).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use getmycert_engine::Account;

use super::AuthSession;
use crate::WebError;

/// The signed-in account, if it may author (authors and administrators).
#[derive(Debug, Clone)]
pub struct Author(pub Account);

/// The signed-in account, if it administers.
#[derive(Debug, Clone)]
pub struct Admin(pub Account);

fn signed_in(parts: &Parts) -> Result<Account, WebError> {
    parts
        .extensions
        .get::<AuthSession>()
        .and_then(|s| s.user.clone())
        .map(|u| u.0)
        .ok_or(WebError::SignInRequired)
}

impl<S: Send + Sync> FromRequestParts<S> for Author {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let account = signed_in(parts)?;
        match account.role.may_author() {
            true => Ok(Author(account)),
            false => Err(WebError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let account = signed_in(parts)?;
        match account.role.may_administer() {
            true => Ok(Admin(account)),
            false => Err(WebError::Forbidden),
        }
    }
}
