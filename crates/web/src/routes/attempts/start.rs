//! `/practice`: the start forms (simulation, practice set, drill, missed questions) and the
//! history; `POST /practice/start`; `/attempts/{id}` resumes where the candidate left off.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::OffsetDateTime;

use getmycert_core::Mode;
use getmycert_engine::attempts::report::{HistoryEntry, HistoryState};
use getmycert_engine::{EngineError, StartRequest};

use crate::form::Fields;
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

/// An exam the start page offers.
struct ExamChoice {
    code: String,
    label: String,
    items: u64,
    selected: bool,
}

struct DomainChoice {
    number: u8,
    name: String,
    checked: bool,
    /// (label such as "3.2", statement, checked)
    tasks: Vec<(String, String, bool)>,
}

struct HistoryRow {
    exam: String,
    mode: &'static str,
    started: String,
    state: String,
    href: String,
}

impl HistoryRow {
    fn of(entry: HistoryEntry) -> Self {
        let (state, href) = match entry.state {
            HistoryState::InProgress => ("In progress".into(), format!("/attempts/{}", entry.id)),
            HistoryState::Submitted { scaled_score } => (
                format!("Submitted · estimated {scaled_score}"),
                format!("/attempts/{}/report", entry.id),
            ),
            HistoryState::TimeUp => ("Time up".into(), format!("/attempts/{}/report", entry.id)),
        };
        Self {
            exam: entry.exam,
            mode: entry.mode.label(),
            started: entry.started_at.date().to_string(),
            state,
            href,
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "practice.html")]
pub(super) struct StartPage {
    nav: Nav,
    exams: Vec<ExamChoice>,
    exam: String,
    exam_name: String,
    minutes: String,
    questions: u32,
    domains: Vec<DomainChoice>,
    count: String,
    timed: bool,
    error: String,
    history: Vec<HistoryRow>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct StartQuery {
    exam: String,
}

/// The start page for `exam` (the first exam with questions when none is chosen), with the
/// form as `fields` filled it and `error` above it.
async fn render(
    state: &AppState,
    owner: &str,
    exam: &str,
    error: String,
    fields: &Fields,
) -> Result<StartPage, WebError> {
    let engine = &state.engine;
    let counts = engine.live_counts().await?;
    let history = engine.history(owner, OffsetDateTime::now_utc()).await?;
    let today = OffsetDateTime::now_utc().date();
    let content = state.content();
    let exams: Vec<ExamChoice> = content
        .exams
        .iter()
        .filter(|e| counts.get(e.code.as_str()).copied().unwrap_or(0) > 0)
        .map(|e| ExamChoice {
            code: e.code.to_string(),
            label: if e.bookable_on(today) {
                format!("{} — {}", e.code, e.short_name)
            } else {
                format!(
                    "{} — {} (retired; its questions still train the skills)",
                    e.code, e.short_name
                )
            },
            items: counts.get(e.code.as_str()).copied().unwrap_or(0),
            selected: e.code.as_str().eq_ignore_ascii_case(exam),
        })
        .collect();
    let chosen = exams
        .iter()
        .find(|c| c.selected)
        .or(exams.first())
        .and_then(|c| content.exams.iter().find(|e| e.code.as_str() == c.code));
    let checked = fields.all("domain");
    let checked_tasks = fields.all("task");
    Ok(StartPage {
        nav: Nav::at("/practice"),
        exam: chosen.map(|e| e.code.to_string()).unwrap_or_default(),
        exam_name: chosen.map(|e| e.name.clone()).unwrap_or_default(),
        minutes: chosen
            .map(|e| e.minutes.describe("minutes"))
            .unwrap_or_default(),
        questions: chosen.map_or(0, |e| e.questions.total()),
        domains: chosen
            .map(|e| {
                e.domains
                    .iter()
                    .map(|d| DomainChoice {
                        number: d.number,
                        name: d.name.clone(),
                        checked: checked.contains(&d.number.to_string().as_str()),
                        tasks: d
                            .numbered_tasks()
                            .map(|(label, text)| {
                                let on = checked_tasks.contains(&label.as_str());
                                (label, text.to_owned(), on)
                            })
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        exams,
        count: fields.get("count").unwrap_or("20").to_owned(),
        timed: fields.has("timed"),
        error,
        history: history.into_iter().map(HistoryRow::of).collect(),
    })
}

pub(super) async fn page(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(q): Query<StartQuery>,
) -> Result<StartPage, WebError> {
    render(&state, &owner, &q.exam, String::new(), &Fields::default()).await
}

/// The start form as a request, or what is wrong with it.
fn request(fields: &Fields) -> Result<StartRequest, String> {
    let mode: Mode = fields
        .text("mode")
        .parse()
        .map_err(|e| format!("Kind of sitting: {e}."))?;
    let mut request = StartRequest::new(fields.text("exam"), mode);
    request.domains = fields
        .all("domain")
        .into_iter()
        .map(|v| {
            v.parse()
                .map_err(|_| format!("`{v}` is not a domain number"))
        })
        .collect::<Result<_, _>>()?;
    request.tasks = fields.all("task").into_iter().map(str::to_owned).collect();
    request.count = match fields.text("count").trim() {
        "" => None,
        raw => Some(raw.parse::<usize>().map_err(|_| {
            format!("Number of questions: `{raw}` is not a number; enter 5 to 100.")
        })?),
    };
    request.timed = Some(fields.has("timed"));
    request.accommodation = fields.has("accommodation");
    Ok(request)
}

pub(super) async fn start(
    State(state): State<AppState>,
    Identity(owner): Identity,
    fields: Fields,
) -> Result<Response, WebError> {
    let started = match request(&fields) {
        Ok(request) => {
            state
                .engine
                .start(&owner, &request, OffsetDateTime::now_utc())
                .await
        }
        Err(message) => Err(EngineError::invalid(message)),
    };
    let error = match started {
        Ok(view) => {
            return Ok(Redirect::to(&format!("/attempts/{}/items/1", view.id)).into_response());
        }
        Err(EngineError::Invalid { message, .. }) => message,
        Err(other) => return Err(other.into()),
    };
    let page = render(&state, &owner, fields.text("exam"), error, &fields).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Where a returning candidate belongs: the report once submitted, else the first unanswered
/// item.
pub(super) async fn resume(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    let view = state
        .engine
        .view(&owner, &id, OffsetDateTime::now_utc())
        .await?;
    Ok(match view.closed() {
        true => Redirect::to(&format!("/attempts/{id}/report")),
        false => Redirect::to(&format!("/attempts/{id}/items/{}", view.first_unanswered())),
    })
}
