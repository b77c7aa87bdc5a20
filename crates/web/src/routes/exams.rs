//! `/exams` (the catalog) and `/exams/{code}` (every fact of one exam).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

use getmycert_core::ExamCode;

use crate::identity::Identity;
use crate::views::{ExamView, Nav};

use super::readiness::{ReadinessShown, shown};
use super::review::QueueRow;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/exams", get(list))
        .route("/exams/{code}", get(show))
}

/// Exams of one level.
struct LevelGroup {
    level: &'static str,
    exams: Vec<ExamView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "exams.html")]
struct ExamsPage {
    nav: Nav,
    groups: Vec<LevelGroup>,
}

async fn list(State(state): State<AppState>) -> Result<ExamsPage, WebError> {
    let counts = state.engine.live_counts().await?;
    let mut groups: Vec<LevelGroup> = Vec::new();
    for exam in &state.content().exams {
        let view = ExamView::of(exam).with_practice(&counts);
        match groups.last_mut() {
            Some(group) if group.level == view.level => group.exams.push(view),
            _ => groups.push(LevelGroup {
                level: view.level,
                exams: vec![view],
            }),
        }
    }
    Ok(ExamsPage {
        nav: Nav::at("/exams"),
        groups,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "exam.html")]
struct ExamPage {
    nav: Nav,
    exam: ExamView,
    /// The visitor's review queue for this exam, when it has cards.
    queue: Option<QueueRow>,
    /// The visitor's readiness (shown where the bank has questions).
    readiness: Option<ReadinessShown>,
}

async fn show(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let code = ExamCode::parse(&raw).map_err(|_| WebError::not_found())?;
    let exam = state
        .content()
        .exam(&code)
        .ok_or_else(WebError::not_found)?;
    if raw != code.slug() {
        return Ok(Redirect::permanent(&format!("/exams/{}", code.slug())).into_response());
    }
    let now = time::OffsetDateTime::now_utc();
    let progress = state
        .engine
        .exam_progress(&owner, code.as_str(), now)
        .await?;
    Ok(ExamPage {
        nav: Nav::at("/exams"),
        exam: ExamView {
            practice_questions: progress.live,
            ..ExamView::of(exam)
        },
        queue: progress.queue.map(|q| QueueRow::of(&state, q, now)),
        readiness: progress.readiness.map(|r| shown(&state, r)),
    }
    .into_response())
}
