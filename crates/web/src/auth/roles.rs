//! Authorization in one place: extractors that admit only authors or administrators. A page
//! handler that takes `Author` or `Admin` cannot run for anyone else (403; 401 when signed out).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{AuthSession, User};
use crate::WebError;

/// The signed-in account, if it may author (authors and administrators).
#[derive(Debug, Clone)]
pub struct Author(pub User);

/// The signed-in account, if it administers.
#[derive(Debug, Clone)]
pub struct Admin(pub User);

fn signed_in(parts: &Parts) -> Result<User, WebError> {
    parts
        .extensions
        .get::<AuthSession>()
        .and_then(|s| s.user.clone())
        .ok_or(WebError::SignInRequired)
}

impl<S: Send + Sync> FromRequestParts<S> for Author {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = signed_in(parts)?;
        match user.role.as_str() {
            "author" | "admin" => Ok(Author(user)),
            _ => Err(WebError::Forbidden),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let user = signed_in(parts)?;
        if user.role == "admin" {
            Ok(Admin(user))
        } else {
            Err(WebError::Forbidden)
        }
    }
}
