//! `/api/v1/readiness/{exam}`: the caller's estimated score with its 80% interval, the
//! probability of a pass and mastery per domain — or how many more answers that needs; and
//! `/api/v1/progress/{exam}`: the same over time, as the progress page charts it.

use axum::Json;
use axum::extract::{Path, State};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ErrorBody};
use crate::AppState;
use crate::identity::Identity;
use getmycert_engine::progress::ProgressReport;
use getmycert_engine::readiness::ReadinessView;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(readiness))
        .routes(routes!(progress))
}

/// The caller's readiness for one exam (`status` is `estimate` or `not-enough-data`).
#[utoipa::path(get, path = "/api/v1/readiness/{exam}", tag = "review", params(("exam" = String, Path, description = "Exam code, e.g. MLS-C01")),
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

/// The caller's progress in one exam: simulation scores with their 80% intervals, readiness
/// after each day of study, answers and study time per week, domain results week by week,
/// reviews due in the next 14 days and the questions missed most.
#[utoipa::path(get, path = "/api/v1/progress/{exam}", tag = "review", params(("exam" = String, Path, description = "Exam code, e.g. AIF-C01")),
    responses((status = 200, body = ProgressReport), (status = 422, description = "No such exam", body = ErrorBody)))]
async fn progress(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(exam): Path<String>,
) -> Result<Json<ProgressReport>, ApiError> {
    Ok(Json(
        state
            .engine
            .progress_report(
                &owner,
                &exam.to_ascii_uppercase(),
                time::OffsetDateTime::now_utc(),
            )
            .await?,
    ))
}
