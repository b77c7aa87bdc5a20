//! `/api/v1/review`: the caller's spaced-repetition queue per exam and the desired-retention
//! setting. A review set is started like any attempt, with `mode: "review"`.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ErrorBody, body};
use crate::AppState;
use crate::engine::DueCount;
use crate::identity::Identity;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(queue, settings))
}

/// The review queue of every exam and the retention it is scheduled for.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReviewQueue {
    /// Per exam, in catalog order.
    pub exams: Vec<DueCount>,
    /// Cards due now over all exams (an item mapped to two exams counts once per exam).
    pub due: usize,
    /// The probability of recall reviews are scheduled for (0.70–0.99).
    pub desired_retention: f64,
}

/// The settings a learner may change.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewSettings {
    /// 0.70–0.99.
    pub desired_retention: f64,
}

async fn read(state: &AppState, owner: &str) -> Result<ReviewQueue, ApiError> {
    let engine = state.engine();
    let exams = engine.due(owner, OffsetDateTime::now_utc()).await?;
    Ok(ReviewQueue {
        due: exams.iter().map(|e| e.due).sum(),
        desired_retention: engine.retention(owner).await?,
        exams,
    })
}

/// The caller's review queue.
#[utoipa::path(get, path = "/review", tag = "review", responses((status = 200, body = ReviewQueue)))]
async fn queue(
    State(state): State<AppState>,
    Identity(owner): Identity,
) -> Result<Json<ReviewQueue>, ApiError> {
    Ok(Json(read(&state, &owner).await?))
}

/// Sets the desired retention; answers with the queue.
#[utoipa::path(put, path = "/review", tag = "review", request_body = ReviewSettings,
    responses((status = 200, body = ReviewQueue), (status = 422, description = "Retention outside 0.70–0.99 or a malformed body", body = ErrorBody)))]
async fn settings(
    State(state): State<AppState>,
    Identity(owner): Identity,
    payload: Result<Json<ReviewSettings>, JsonRejection>,
) -> Result<Json<ReviewQueue>, ApiError> {
    let settings = body(payload)?;
    state
        .engine()
        .set_retention(&owner, settings.desired_retention)
        .await?;
    Ok(Json(read(&state, &owner).await?))
}
