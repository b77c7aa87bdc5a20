//! `/api/v1/auth/*` and `/api/v1/me`: sign up, sign in, sign out, who am I.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::auth::accounts::{self, AccountError};
use crate::auth::{AuthSession, User};
use crate::identity::{ClientIp, Guest};

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

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> Self {
        match e {
            AccountError::Invalid(_, message) => {
                ApiError(StatusCode::UNPROCESSABLE_ENTITY, message)
            }
            AccountError::Taken => ApiError(StatusCode::CONFLICT, e.to_string()),
            AccountError::WrongCredentials => ApiError(StatusCode::UNAUTHORIZED, e.to_string()),
            AccountError::Throttled(_) => ApiError(StatusCode::TOO_MANY_REQUESTS, e.to_string()),
            AccountError::Internal(cause) => internal(cause),
        }
    }
}

/// 429 with `Retry-After`.
fn too_many(wait: i64) -> Response {
    let message = AccountError::Throttled(wait).to_string();
    let mut response = ApiError(StatusCode::TOO_MANY_REQUESTS, message).into_response();
    if let Ok(value) = axum::http::HeaderValue::from_str(&wait.max(1).to_string()) {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, value);
    }
    response
}

fn form(payload: Result<Json<SignUp>, JsonRejection>) -> Result<SignUp, ApiError> {
    payload
        .map(|Json(f)| f)
        .map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, e.body_text()))
}

/// Creates an account and signs it in; the browser's guest history moves to it.
#[utoipa::path(post, path = "/auth/register", tag = "accounts", request_body = SignUp,
    responses((status = 201, body = Me), (status = 409, description = "Email already registered", body = ErrorBody),
              (status = 422, description = "Bad email or weak password", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let f = form(payload)?;
    let user =
        match accounts::sign_up(&state, &mut session, &guest, &ip, &f.email, &f.password).await {
            Ok(user) => user,
            Err(AccountError::Throttled(wait)) => return Ok(too_many(wait)),
            Err(e) => return Err(e.into()),
        };
    Ok((StatusCode::CREATED, Json(Me::from(&user))).into_response())
}

/// Signs in; the session id is rotated and the browser's guest history moves to the account.
#[utoipa::path(post, path = "/auth/login", tag = "accounts", request_body = SignUp,
    responses((status = 200, body = Me), (status = 401, description = "Wrong email or password", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let f = form(payload)?;
    let user =
        match accounts::sign_in(&state, &mut session, &guest, &ip, &f.email, &f.password).await {
            Ok(user) => user,
            Err(AccountError::Throttled(wait)) => return Ok(too_many(wait)),
            Err(e) => return Err(e.into()),
        };
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
