//! The runner: one item at a time (`/attempts/{id}/items/{n}`), the answer form that saves,
//! flags and moves on (and outside simulations reveals feedback), the review screen before
//! submit, and submit.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use getmycert_core::PartKind;
use getmycert_core::scoring::Response as Answer;
use getmycert_engine::attempts::sitting::{OpenItem, Runner};
use getmycert_engine::{AttemptView, EngineError};

use super::{FeedbackView, clock, item_number};
use crate::form::{self, Fields};
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

/// An option as the runner shows it.
struct OptionView {
    id: String,
    html: String,
    checked: bool,
    position: usize,
}

struct PromptView {
    id: String,
    html: String,
    chosen: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "runner.html")]
struct RunnerPage {
    nav: Nav,
    attempt: AttemptView,
    mode: &'static str,
    /// Outside simulations: the form offers "Check answer".
    gives_feedback: bool,
    n: usize,
    kind: &'static str,
    scenario_html: String,
    stem_html: String,
    select: usize,
    select_phrase: String,
    options: Vec<OptionView>,
    prompts: Vec<PromptView>,
    positions: Vec<usize>,
    flagged: bool,
    time_left: String,
    seconds_left: i64,
    error: String,
    /// Without JavaScript: a saved multiple-response answer with the wrong number of options.
    notice: String,
    feedback: Option<FeedbackView>,
}

impl RunnerPage {
    fn of(open: OpenItem, error: String) -> Self {
        let OpenItem {
            attempt,
            item,
            feedback,
        } = open;
        let selected: Vec<char> = match &item.response {
            Some(Answer::Selected { selected }) => selected.clone(),
            _ => Vec::new(),
        };
        let order: Vec<char> = match &item.response {
            Some(Answer::Order { order }) => order.clone(),
            _ => Vec::new(),
        };
        let matches: BTreeMap<u8, char> = match &item.response {
            Some(Answer::Matches { matches }) => matches.clone(),
            _ => BTreeMap::new(),
        };
        let seconds_left = attempt.seconds_left.unwrap_or(-1);
        let select = item.select.unwrap_or(1);
        let notice = match item.kind {
            PartKind::Multiple if !selected.is_empty() && selected.len() != select => format!(
                "You selected {} option(s); the question asks for {select}.",
                selected.len()
            ),
            _ => String::new(),
        };
        RunnerPage {
            notice,
            nav: Nav::at("/practice"),
            mode: attempt.mode.as_str(),
            gives_feedback: attempt.mode.gives_feedback(),
            n: item.n,
            kind: item.kind.as_str(),
            scenario_html: item
                .scenario
                .as_ref()
                .map(|s| s.html().to_owned())
                .unwrap_or_default(),
            stem_html: item.stem.html().to_owned(),
            select,
            select_phrase: item
                .select
                .map(getmycert_core::question::select_phrase)
                .unwrap_or_default(),
            positions: (1..=item.options.len()).collect(),
            options: item
                .options
                .iter()
                .map(|o| {
                    let c = o.id.chars().next().unwrap_or('?');
                    OptionView {
                        id: o.id.clone(),
                        html: o.text.html().to_owned(),
                        checked: selected.contains(&c),
                        position: order.iter().position(|x| *x == c).map_or(0, |p| p + 1),
                    }
                })
                .collect(),
            prompts: item
                .prompts
                .iter()
                .flatten()
                .map(|p| PromptView {
                    id: p.id.clone(),
                    html: p.text.html().to_owned(),
                    chosen: p
                        .id
                        .parse::<u8>()
                        .ok()
                        .and_then(|id| matches.get(&id))
                        .map(char::to_string)
                        .unwrap_or_default(),
                })
                .collect(),
            flagged: item.flagged,
            time_left: if seconds_left >= 0 {
                clock(seconds_left)
            } else {
                String::new()
            },
            seconds_left,
            error,
            feedback: feedback.as_ref().map(FeedbackView::of),
            attempt,
        }
    }
}

fn to_report(id: &str) -> Response {
    Redirect::to(&format!("/attempts/{id}/report")).into_response()
}

pub(super) async fn show(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let n = item_number(&n)?;
    match state
        .engine
        .runner(&owner, &id, n, OffsetDateTime::now_utc())
        .await?
    {
        Runner::Closed => Ok(to_report(&id)),
        Runner::Open(open) => Ok(RunnerPage::of(*open, String::new()).into_response()),
    }
}

/// Saves the answer and the flag, then moves as `go` says: `next` (the default), `prev`,
/// `review`, or `stay`/`check` (this item again, with its feedback outside simulations).
pub(super) async fn answer(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
    fields: Fields,
) -> Result<Response, WebError> {
    let n = item_number(&n)?;
    let now = OffsetDateTime::now_utc();
    let flagged = fields.has("flag_present").then(|| fields.has("flagged"));
    let saved = match form::answer(&fields, "", form::letter_step) {
        Ok(answer) => {
            state
                .engine
                .answer(&owner, &id, n, answer, flagged, now)
                .await
        }
        Err(message) => Err(EngineError::invalid(message)),
    };
    let attempt = match saved {
        Ok(attempt) => attempt,
        Err(EngineError::Conflict(_)) => return Ok(to_report(&id)),
        Err(EngineError::Invalid { message, .. }) => {
            return match state.engine.runner(&owner, &id, n, now).await? {
                Runner::Closed => Ok(to_report(&id)),
                Runner::Open(open) => Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    RunnerPage::of(*open, message),
                )
                    .into_response()),
            };
        }
        Err(other) => return Err(other.into()),
    };
    let target = match fields.get("go").unwrap_or("next") {
        "prev" => format!("/attempts/{id}/items/{}", n.saturating_sub(1).max(1)),
        "review" => format!("/attempts/{id}/review"),
        "stay" | "check" => format!("/attempts/{id}/items/{n}"),
        _ if n >= attempt.total => format!("/attempts/{id}/review"),
        _ => format!("/attempts/{id}/items/{}", n + 1),
    };
    Ok(Redirect::to(&target).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "review.html")]
struct ReviewPage {
    nav: Nav,
    attempt: AttemptView,
    unanswered: Vec<usize>,
    time_left: String,
}

pub(super) async fn review(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let attempt = state
        .engine
        .view(&owner, &id, OffsetDateTime::now_utc())
        .await?;
    if attempt.closed() {
        return Ok(to_report(&id));
    }
    Ok(ReviewPage {
        nav: Nav::at("/practice"),
        unanswered: attempt
            .items
            .iter()
            .filter(|i| !i.answered)
            .map(|i| i.n)
            .collect(),
        time_left: attempt.seconds_left.map(clock).unwrap_or_default(),
        attempt,
    }
    .into_response())
}

pub(super) async fn submit(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    match state
        .engine
        .submit(&owner, &id, OffsetDateTime::now_utc())
        .await
    {
        Ok(_) | Err(EngineError::Conflict(_)) => Ok(to_report(&id)),
        Err(e) => Err(e.into()),
    }
}
