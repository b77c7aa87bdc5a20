//! `/api/v1/readiness/{exam}`: the caller's estimated score with its 80% interval, the
//! probability of a pass and mastery per domain — or how many more answers that needs.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::identity::Identity;
use getmycert_engine::readiness::ReadinessView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(readiness))
}

/// The caller's readiness for one exam (`status` is `estimate` or `not-enough-data`).
#[utoipa::path(get, path = "/readiness/{exam}", tag = "review", params(("exam" = String, Path, description = "Exam code, e.g. MLS-C01")),
    responses((status = 200, body = ReadinessView), (status = 422, description = "No such exam", body = ErrorBody)))]
async fn readiness(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(exam): Path<String>,
) -> Result<Json<ReadinessView>, ApiError> {
    Ok(Json(
        state
            .engine
            .readiness(&owner, &exam.to_ascii_uppercase())
            .await?,
    ))
}
