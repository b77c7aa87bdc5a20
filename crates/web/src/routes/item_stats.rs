//! `/author/items`: item analysis for authors. Per exam and item part: responses, facility,
//! corrected point-biserial, every option's choice rate, the IRT a and b, and the flags that
//! point at a bad question, linked to the open reports on it. Flagged items come first.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use getmycert_core::analysis::ItemAnalysis;

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
    let internal = |e: getmycert_store::StoreError| WebError::Internal(e.to_string());
    let stats = state.store.item_stats().await.map_err(internal)?;
    let mut reports: HashMap<String, usize> = HashMap::new();
    for r in state
        .store
        .reports_with_status("open")
        .await
        .map_err(internal)?
    {
        *reports.entry(r.question_id).or_default() += 1;
    }
    let statuses: HashMap<&str, &'static str> = state
        .content
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q.status.as_str()))
        .collect();
    let exams: Vec<String> = stats
        .iter()
        .map(|s| s.exam_code.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let flagged_only = filter.flagged.is_some();
    let computed = stats
        .iter()
        .map(|s| s.computed_at)
        .max()
        .and_then(|t| OffsetDateTime::from_unix_timestamp(t).ok())
        .map(|t| format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()))
        .unwrap_or_default();
    let mut rows: Vec<Row> = Vec::new();
    for s in stats {
        if !filter.exam.is_empty() && !s.exam_code.eq_ignore_ascii_case(&filter.exam) {
            continue;
        }
        let analysis: Option<ItemAnalysis> = serde_json::from_str(&s.analysis).ok();
        let flags: Vec<String> = analysis
            .iter()
            .flat_map(|a| a.flags.iter().map(|f| f.label()))
            .collect();
        if flagged_only && flags.is_empty() {
            continue;
        }
        let choices = analysis
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
            .join(" · ");
        rows.push(Row {
            status: match statuses
                .get(s.question_id.as_str())
                .copied()
                .unwrap_or("retired")
            {
                "pilot" if s.ready_for_live => "pilot → live (set status: live in its file)".into(),
                other => other.to_owned(),
            },
            reports: reports.get(&s.question_id).copied().unwrap_or(0),
            exam: s.exam_code,
            id: s.question_id,
            part: s.part as usize + 1,
            responses: s.responses,
            facility: figure(s.facility.map(|f| f * 100.0), 0),
            discrimination: figure(s.discrimination, 2),
            a: figure(s.a, 2),
            b: figure(s.b, 2),
            choices,
            flags,
        });
    }
    rows.sort_by_key(|r| (r.flags.is_empty(), r.exam.clone(), r.id.clone(), r.part));
    let flagged = rows.iter().filter(|r| !r.flags.is_empty()).count();
    Ok(Page {
        nav: Nav::none(),
        rows,
        exams,
        exam: filter.exam,
        flagged_only,
        computed,
        flagged,
    })
}

/// Runs a calibration now (it also runs periodically) and shows the result.
async fn recalibrate(State(state): State<AppState>, _author: Author) -> Result<Response, WebError> {
    let summary = state.engine().calibrate(OffsetDateTime::now_utc()).await?;
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
