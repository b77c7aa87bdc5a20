//! `/api/v1/certifications`: the certifications a signed-in account holds, each with its
//! expiry, the exams that renew it and the day its renewal reminder is due.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use time::OffsetDateTime;
use time::macros::format_description;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use getmycert_engine::accounts::Account;
use getmycert_engine::certifications::HeldCertification;

use super::{ApiError, ErrorBody, body};
use crate::AppState;
use crate::auth::AuthSession;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, record))
        .routes(routes!(forget))
}

/// A certification to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewCertification {
    /// Exam code, e.g. AIF-C01.
    pub exam: String,
    /// The day it was earned, YYYY-MM-DD (not in the future).
    pub earned: String,
}

fn account(session: &AuthSession) -> Result<Account, ApiError> {
    session
        .user
        .as_ref()
        .map(|u| u.0.clone())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "not signed in"))
}

/// The signed-in account's certifications, in catalog order.
#[utoipa::path(get, path = "/api/v1/certifications", tag = "accounts",
    responses((status = 200, body = [HeldCertification]), (status = 401, description = "Not signed in", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    session: AuthSession,
) -> Result<Json<Vec<HeldCertification>>, ApiError> {
    let account = account(&session)?;
    Ok(Json(state.engine.certifications(&account.id).await?))
}

/// Records a certification the account earned (again: a renewal replaces the day).
#[utoipa::path(post, path = "/api/v1/certifications", tag = "accounts", request_body = NewCertification,
    responses((status = 201, body = HeldCertification),
              (status = 401, description = "Not signed in", body = ErrorBody),
              (status = 422, description = "An exam the catalog lacks, a day that is not a date or in the future; nothing stored", body = ErrorBody)))]
async fn record(
    State(state): State<AppState>,
    session: AuthSession,
    payload: Result<Json<NewCertification>, JsonRejection>,
) -> Result<(StatusCode, Json<HeldCertification>), ApiError> {
    let account = account(&session)?;
    let new = body(payload)?;
    let earned = time::Date::parse(
        new.earned.trim(),
        format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "`earned` must be a date like 2025-01-15, not `{}`",
                new.earned
            ),
        )
    })?;
    let today = OffsetDateTime::now_utc().date();
    let held = state
        .engine
        .record_certification(&account.id, &new.exam, earned, today)
        .await?;
    Ok((StatusCode::CREATED, Json(held)))
}

/// Forgets the account's certification in one exam.
#[utoipa::path(delete, path = "/api/v1/certifications/{exam}", tag = "accounts", params(("exam" = String, Path, description = "Exam code")),
    responses((status = 204, description = "Forgotten"), (status = 401, description = "Not signed in", body = ErrorBody), (status = 404, description = "Not held", body = ErrorBody)))]
async fn forget(
    State(state): State<AppState>,
    session: AuthSession,
    Path(exam): Path<String>,
) -> Result<StatusCode, ApiError> {
    let account = account(&session)?;
    state
        .engine
        .delete_certification(&account.id, &exam)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
