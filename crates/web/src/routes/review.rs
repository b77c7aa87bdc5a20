//! `/review`: the spaced-repetition queue of every exam (what is due, when the next card falls
//! due), a button to review what is due, and the desired-retention setting.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::OffsetDateTime;

use getmycert_engine::{DueCount, EngineError};

use crate::form::Fields;
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/review", get(page))
        .route("/review/retention", post(set_retention))
}

/// One exam's queue as shown.
pub(super) struct QueueRow {
    pub exam: String,
    pub name: String,
    pub due: usize,
    pub cards: usize,
    /// "in 3 days", "tomorrow", "" when nothing is scheduled.
    pub next: String,
}

/// How far away a due time is, in words.
fn until(now: OffsetDateTime, at: Option<OffsetDateTime>) -> String {
    let Some(at) = at else {
        return String::new();
    };
    match (at - now).whole_hours() {
        h if h < 24 => format!("in {} hour{}", h.max(1), if h > 1 { "s" } else { "" }),
        h if h < 48 => "tomorrow".into(),
        h => format!("in {} days", h / 24),
    }
}

impl QueueRow {
    /// One exam's queue as shown at `now`.
    pub(super) fn of(state: &AppState, d: DueCount, now: OffsetDateTime) -> Self {
        QueueRow {
            name: state
                .content()
                .exams
                .iter()
                .find(|e| e.code.as_str() == d.exam)
                .map(|e| e.short_name.clone())
                .unwrap_or_default(),
            next: until(now, d.next_due_at),
            exam: d.exam,
            due: d.due,
            cards: d.cards,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "review_queue.html")]
struct QueuePage {
    nav: Nav,
    queues: Vec<QueueRow>,
    retention: String,
    retention_error: String,
    notice: String,
}

async fn render(
    state: &AppState,
    owner: &str,
    retention: Option<String>,
    retention_error: String,
    notice: &str,
) -> Result<QueuePage, WebError> {
    let now = OffsetDateTime::now_utc();
    let overview = state.engine.review_overview(owner, now).await?;
    Ok(QueuePage {
        nav: Nav::at("/review"),
        queues: overview
            .queues
            .into_iter()
            .filter(|d| d.cards > 0)
            .map(|d| QueueRow::of(state, d, now))
            .collect(),
        retention: retention.unwrap_or_else(|| format!("{:.0}", overview.retention * 100.0)),
        retention_error,
        notice: notice.to_owned(),
    })
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PageQuery {
    saved: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(q): Query<PageQuery>,
) -> Result<QueuePage, WebError> {
    let notice = if q.saved.is_some() {
        "Desired retention saved: new reviews are scheduled with it."
    } else {
        ""
    };
    render(&state, &owner, None, String::new(), notice).await
}

async fn set_retention(
    State(state): State<AppState>,
    Identity(owner): Identity,
    fields: Fields,
) -> Result<Response, WebError> {
    let raw = fields
        .text("retention")
        .trim()
        .trim_end_matches('%')
        .trim()
        .to_owned();
    let error = match raw.parse::<f64>() {
        Ok(percent) => match state.engine.set_retention(&owner, percent / 100.0).await {
            Ok(()) => return Ok(Redirect::to("/review?saved=1").into_response()),
            Err(EngineError::Invalid { .. }) => {
                format!("Enter a whole percentage from 70 to 99, not {raw}.")
            }
            Err(other) => return Err(other.into()),
        },
        Err(_) => format!("Enter a whole percentage from 70 to 99; `{raw}` is not a number."),
    };
    let page = render(&state, &owner, Some(raw), error, "").await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
