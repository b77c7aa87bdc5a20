//! `/api/v1/auth/*` and `/api/v1/me`: sign up, sign in, sign out, who am I.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use getmycert_core::Role;

use super::{ApiError, ErrorBody, body};
use crate::AppState;
use crate::auth::{AuthSession, User, end_session, start_session};
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
    pub role: Role,
}

impl From<&User> for Me {
    fn from(u: &User) -> Self {
        Self {
            id: u.0.id.clone(),
            email: u.0.email.clone(),
            role: u.0.role,
        }
    }
}

/// Creates an account and signs it in; the browser's guest history moves to it.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts", request_body = SignUp,
    responses((status = 201, body = Me), (status = 409, description = "Email already registered", body = ErrorBody),
              (status = 422, description = "Bad email or weak password", body = ErrorBody)))]
async fn register(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let f = body(payload)?;
    let account = state.engine.register(&f.email, &f.password, &ip.0).await?;
    let user = start_session(&state, &mut session, &guest, account).await?;
    Ok((StatusCode::CREATED, Json(Me::from(&user))).into_response())
}

/// Signs in; the session id is rotated and the browser's guest history moves to the account.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", request_body = SignUp,
    responses((status = 200, body = Me), (status = 401, description = "Wrong email or password", body = ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    mut session: AuthSession,
    guest: Guest,
    ip: ClientIp,
    payload: Result<Json<SignUp>, JsonRejection>,
) -> Result<Response, ApiError> {
    let f = body(payload)?;
    let account = state.engine.sign_in(&f.email, &f.password, &ip.0).await?;
    let user = start_session(&state, &mut session, &guest, account).await?;
    Ok(Json(Me::from(&user)).into_response())
}

/// Signs out.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204, description = "Signed out")))]
async fn logout(mut session: AuthSession) -> Result<StatusCode, ApiError> {
    end_session(&mut session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = Me), (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn me(session: AuthSession) -> Result<Json<Me>, ApiError> {
    session
        .user
        .as_ref()
        .map(|u| Json(Me::from(u)))
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "not signed in"))
}
