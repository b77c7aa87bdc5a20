//! The pages of a sitting, in the style of `controllers/<resource>/<action>.rs`: [`start`]
//! (`/practice`: start a simulation, a practice set, a drill or the missed questions, and the
//! history), [`runner`] (`/attempts/{id}/items/{n}`, the review screen and submit) and
//! [`report`]. Plain forms work without JavaScript; `runner.js` adds the live timer, autosave
//! and keyboard shortcuts.

mod report;
mod runner;
mod start;

use axum::Router;
use axum::routing::{get, post};

use getmycert_core::scoring::Response as Answer;
use getmycert_engine::ReviewedItem;

use crate::AppState;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/practice", get(start::page))
        .route("/practice/start", post(start::start))
        .route("/attempts/{id}", get(start::resume))
        .route(
            "/attempts/{id}/items/{n}",
            get(runner::show).post(runner::answer),
        )
        .route("/attempts/{id}/review", get(runner::review))
        .route("/attempts/{id}/submit", post(runner::submit))
        .route("/attempts/{id}/report", get(report::show))
}

/// `h:mm:ss`.
fn clock(seconds: i64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// An answer in words: `B, D`, `C → A → B` or `1 → C, 2 → A`.
fn answer_text(answer: &Answer) -> String {
    let letters =
        |v: &[char], sep: &str| v.iter().map(char::to_string).collect::<Vec<_>>().join(sep);
    match answer {
        Answer::Selected { selected } => letters(selected, ", "),
        Answer::Order { order } => letters(order, " → "),
        Answer::Matches { matches } => matches
            .iter()
            .map(|(p, o)| format!("{p} → {o}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Feedback on one item: the key, every option's rationale, the explanation.
struct FeedbackView {
    question_id: String,
    revision: String,
    correct: bool,
    /// (id, option HTML, rationale HTML, is a key)
    options: Vec<(String, String, String, bool)>,
    key: String,
    explanation_html: String,
    references: Vec<getmycert_engine::text::Text>,
}

impl FeedbackView {
    fn of(item: &ReviewedItem) -> Self {
        Self {
            question_id: item.id.clone(),
            revision: item.revision.clone(),
            correct: item.correct,
            options: item
                .options
                .iter()
                .map(|o| {
                    (
                        o.id.clone(),
                        o.text.html().to_owned(),
                        o.rationale.html().to_owned(),
                        o.correct,
                    )
                })
                .collect(),
            key: answer_text(&item.key),
            explanation_html: item.explanation.html().to_owned(),
            references: item.references.clone(),
        }
    }
}

/// An item number from the path: 1, 2, …; anything else names no item.
fn item_number(raw: &str) -> Result<usize, crate::WebError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(crate::WebError::not_found)
}
