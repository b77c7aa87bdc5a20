//! The stylesheet, compiled into the binary.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

const STYLE: &str = include_str!("../../static/style.css");
const RUNNER: &str = include_str!("../../static/runner.js");

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/static/style.css", get(style))
        .route("/static/runner.js", get(runner))
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
}

async fn runner() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        RUNNER,
    )
}
