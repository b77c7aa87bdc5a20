//! `/api/v1/auth/*` and `/api/v1/me`: sign up, sign in, sign out, who am I.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use getmycert_store::{StoreError, UserRow};

use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::auth::backend::normalize_email;
use crate::auth::{AuthSession, Credentials, User, password};
use crate::identity::Guest;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
}

/// Email and password.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    pub email: String,
    pub password: String,
}

/// The signed-in account.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: String,
    pub email: String,
    pub role: String,
}

impl From<&User> for Me {
    fn from(u: &User) -> Self {
        Self {
            id: u.id.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
        }
    }
}

fn internal(cause: impl std::fmt::Display) -> ApiError {
    tracing::error!(%cause, "auth failure");
    ApiError(
        StatusCode::INTERNAL_SERVER_ERROR,
        "the server could not complete the request".into(),
    )
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

/// Moves the browser's guest history to the account that just signed in or up.
async fn adopt(state: &AppState, guest: &Guest, user: &User) {
    match state.store.adopt_guest(&guest.0, &user.id).await {
        Ok(moved) if moved > 0 => tracing::info!(moved, "guest history adopted"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "could not adopt the guest history"),
    }
}

/// Creates an account and signs it in; the browser's guest history moves to it.
#[utoipa::path(post, path = "/auth/register", tag = "accounts", request_body = SignUp,
    responses((status = 201, body = Me), (status = 409, description = "Email already registered", body = ErrorBody),
              (status = 422, description = "Bad email or weak password", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(form) =
        payload.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let email = normalize_email(&form.email);
    if let Some(problem) = email_problem(&email) {
        return Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, problem.into()));
    }
    if let Some(problem) = password::weakness(&form.password, &email) {
        return Err(ApiError(StatusCode::UNPROCESSABLE_ENTITY, problem));
    }
    let secret = form.password;
    let hash = tokio::task::spawn_blocking(move || password::hash(&secret))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    let row = UserRow {
        id: format!("u-{}", uuid::Uuid::new_v4().simple()),
        email,
        password_hash: hash,
        display_name: String::new(),
        role: "learner".into(),
        created_at: OffsetDateTime::now_utc(),
    };
    match state.store.create_user(&row).await {
        Ok(()) => {}
        Err(StoreError::Conflict) => {
            return Err(ApiError(
                StatusCode::CONFLICT,
                "an account with this email exists; sign in instead".into(),
            ));
        }
        Err(e) => return Err(internal(e)),
    }
    let user = User::from(row);
    session.login(&user).await.map_err(internal)?;
    adopt(&state, &guest, &user).await;
    Ok((StatusCode::CREATED, Json(Me::from(&user))).into_response())
}

/// Signs in; the session id is rotated and the browser's guest history moves to the account.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = SignUp,
    responses((status = 200, body = Me), (status = 401, description = "Wrong email or password", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(form) =
        payload.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))?;
    let user = session
        .authenticate(Credentials {
            email: form.email,
            password: form.password,
        })
        .await
        .map_err(internal)?
        .ok_or_else(|| ApiError(StatusCode::UNAUTHORIZED, "wrong email or password".into()))?;
    session.login(&user).await.map_err(internal)?;
    adopt(&state, &guest, &user).await;
    Ok(Json(Me::from(&user)).into_response())
}

/// Signs out.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", responses((status = 204, description = "Signed out")))]
async fn logout(mut session: AuthSession) -> Result<StatusCode, ApiError> {
    session.logout().await.map_err(internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn me(session: AuthSession) -> Result<Json<Me>, ApiError> {
    session
        .user
        .as_ref()
        .map(|u| Json(Me::from(u)))
        .ok_or_else(|| ApiError(StatusCode::UNAUTHORIZED, "not signed in".into()))
}
