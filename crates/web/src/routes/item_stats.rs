//! `/author/items`: item analysis for authors. Per exam and item part: responses, facility,
//! corrected point-biserial, every option's choice rate, the IRT a and b, and the flags that
//! point at a bad question, linked to the open reports on it. Flagged items come first.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use getmycert_core::ItemStatus;

use crate::auth::roles::Author;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/author/items", get(page))
        .route("/author/items/calibrate", post(recalibrate))
}

/// One item part as shown.
struct Row {
    exam: String,
    id: String,
    part: usize,
    status: String,
    responses: i32,
    facility: String,
    discrimination: String,
    a: String,
    b: String,
    /// "A 12% · B✓ 61% · …" (single and multiple only).
    choices: String,
    flags: Vec<String>,
    reports: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "author_items.html")]
struct Page {
    nav: Nav,
    rows: Vec<Row>,
    exams: Vec<String>,
    exam: String,
    flagged_only: bool,
    computed: String,
    flagged: usize,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Filter {
    exam: String,
    flagged: Option<String>,
}

fn figure(value: Option<f64>, digits: usize) -> String {
    value.map_or_else(|| "—".into(), |v| format!("{v:.digits$}"))
}

async fn page(
    State(state): State<AppState>,
    _author: Author,
    Query(filter): Query<Filter>,
) -> Result<Page, WebError> {
    let exam = Some(filter.exam.as_str()).filter(|e| !e.is_empty());
    let flagged_only = filter.flagged.is_some();
    let stats = state.engine.item_stats(exam, flagged_only).await?;
    let rows = stats
        .rows
        .into_iter()
        .map(|s| Row {
            flags: s.flags(),
            choices: s
                .analysis
                .iter()
                .flat_map(|a| a.options.iter())
                .map(|o| {
                    format!(
                        "{}{} {:.0}%",
                        o.option,
                        if o.key { "✓" } else { "" },
                        o.rate * 100.0
                    )
                })
                .collect::<Vec<_>>()
                .join(" · "),
            status: match (s.status, s.ready_for_live) {
                (ItemStatus::Pilot, true) => "pilot → live (set status: live in its file)".into(),
                (other, _) => other.to_string(),
            },
            reports: s.open_reports,
            exam: s.exam,
            id: s.id,
            part: s.part,
            responses: s.responses,
            facility: figure(s.facility.map(|f| f * 100.0), 0),
            discrimination: figure(s.discrimination, 2),
            a: figure(s.a, 2),
            b: figure(s.b, 2),
        })
        .collect();
    Ok(Page {
        nav: Nav::none(),
        rows,
        exams: stats.exams,
        exam: filter.exam,
        flagged_only,
        computed: stats
            .computed_at
            .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
            .unwrap_or_default(),
        flagged: stats.flagged,
    })
}

/// Runs a calibration now (it also runs periodically) and shows the result.
async fn recalibrate(State(state): State<AppState>, _author: Author) -> Result<Response, WebError> {
    let summary = state.engine.calibrate(OffsetDateTime::now_utc()).await?;
    let per_exam: BTreeMap<String, usize> = summary
        .exams
        .iter()
        .map(|e| (e.exam.clone(), e.items))
        .collect();
    tracing::info!(
        ?per_exam,
        seconds = summary.seconds,
        "calibrated on request"
    );
    Ok(Redirect::to("/author/items").into_response())
}
