//! The JSON API under `/api/v1`: the same engine as the pages. Errors are `{"error": …}` with
//! the status that says what happened; internal causes are logged, never returned.

mod attempts;

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::AppState;
use crate::engine::EngineError;

pub(crate) fn router() -> Router<AppState> {
    Router::new().nest("/api/v1", attempts::router())
}

/// An API error: a status and a message safe to show.
#[derive(Debug)]
pub struct ApiError(pub StatusCode, pub String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::NotFound => {
                ApiError(StatusCode::NOT_FOUND, "no such attempt or item".into())
            }
            EngineError::Invalid(m) => ApiError(StatusCode::UNPROCESSABLE_ENTITY, m),
            EngineError::Closed(m) => ApiError(StatusCode::CONFLICT, m),
            EngineError::Store(cause) => {
                tracing::error!(%cause, "store failure");
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not complete the request".into(),
                )
            }
            EngineError::Corrupt(cause) => {
                tracing::error!(%cause, "corrupt attempt data");
                ApiError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not complete the request".into(),
                )
            }
        }
    }
}
