//! `/api/v1/review`: the caller's spaced-repetition queue per exam and the desired-retention
//! setting. A review set is started like any attempt, with `mode: "review"`.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use getmycert_engine::review::ReviewQueue;

use super::{ApiError, ErrorBody, body};
use crate::AppState;
use crate::identity::Identity;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue, settings))
}

/// The settings a learner may change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    /// 0.70–0.99.
    pub desired_retention: f64,
}

/// The caller's review queue.
#[utoipa::path(get, path = "/api/v1/review", tag = "review", responses((status = 200, body = ReviewQueue)))]
async fn queue(
    State(state): State<AppState>,
    Identity(owner): Identity,
) -> Result<Json<ReviewQueue>, ApiError> {
    Ok(Json(
        state
            .engine
            .review_overview(&owner, OffsetDateTime::now_utc())
            .await?,
    ))
}

/// Sets the desired retention; answers with the queue.
#[utoipa::path(put, path = "/api/v1/review", tag = "review", request_body = ReviewSettings,
    responses((status = 200, body = ReviewQueue), (status = 422, description = "Retention outside 0.70–0.99 or a malformed body", body = ErrorBody)))]
async fn settings(
    State(state): State<AppState>,
    Identity(owner): Identity,
    payload: Result<Json<ReviewSettings>, JsonRejection>,
) -> Result<Json<ReviewQueue>, ApiError> {
    let settings = body(payload)?;
    state
        .engine
        .set_retention(&owner, settings.desired_retention)
        .await?;
    Ok(Json(
        state
            .engine
            .review_overview(&owner, OffsetDateTime::now_utc())
            .await?,
    ))
}
