//! `/attempts/{id}/report`: the estimated scaled score, pass or fail, the domain verdicts and
//! every item reviewed (all, the wrong ones, or the flagged ones).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use getmycert_core::Mode;
use getmycert_engine::{EngineError, Report, ReviewedItem};

use super::{FeedbackView, answer_text, clock};
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ReportQuery {
    show: String,
}

struct ReviewedView {
    item: ReviewedItem,
    stem_html: String,
    scenario_html: String,
    your_answer: String,
    feedback: FeedbackView,
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
struct ReportPage {
    nav: Nav,
    report: Report,
    exam_name: String,
    time_used: String,
    show: String,
    items: Vec<ReviewedView>,
}

pub(super) async fn show(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let report = match state
        .engine
        .report(&owner, &id, OffsetDateTime::now_utc())
        .await
    {
        Ok(report) => report,
        Err(EngineError::Conflict(_)) => {
            return Ok(Redirect::to(&format!("/attempts/{id}/review")).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let show = match q.show.as_str() {
        "wrong" | "flagged" => q.show.clone(),
        _ => "all".to_owned(),
    };
    let items = report
        .items
        .iter()
        .filter(|i| match show.as_str() {
            "wrong" => !i.correct,
            "flagged" => i.flagged,
            _ => true,
        })
        .map(|i| ReviewedView {
            stem_html: i.stem.html().to_owned(),
            scenario_html: i
                .scenario
                .as_ref()
                .map(|s| s.html().to_owned())
                .unwrap_or_default(),
            your_answer: i
                .response
                .as_ref()
                .map_or_else(|| "Not answered".into(), answer_text),
            feedback: FeedbackView::of(i),
            item: i.clone(),
        })
        .collect();
    let exam_name = state
        .content()
        .exams
        .iter()
        .find(|e| e.code.as_str() == report.exam)
        .map(|e| e.name.clone())
        .unwrap_or_default();
    Ok(ReportPage {
        nav: Nav::at("/practice"),
        exam_name,
        time_used: clock(report.seconds_used),
        show,
        items,
        report,
    }
    .into_response())
}
