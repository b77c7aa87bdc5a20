//! Routes grouped per area; each module has its own `router()`.

mod account;
mod assets;
mod attempts;
mod certifications;
mod downloads;
mod exams;
mod guides;
mod health;
mod home;
mod item_stats;
mod plan;
mod progress;
mod questions;
mod readiness;
mod review;
mod staff;

use axum::Router;

use crate::AppState;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(exams::router())
        .merge(guides::router())
        .merge(plan::router())
        .merge(questions::router())
        .merge(attempts::router())
        .merge(review::router())
        .merge(progress::router())
        .merge(account::router())
        .merge(certifications::router())
        .merge(staff::router())
        .merge(item_stats::router())
        .merge(downloads::router())
        .merge(health::router())
        .merge(assets::router())
        .fallback(crate::error::not_found)
}
