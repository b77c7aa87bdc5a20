//! The pages of a sitting: `/practice` (start a simulation, a practice set or the missed
//! questions, and the history), the runner `/attempts/{id}/items/{n}`, the review screen, submit
//! and the report. Plain forms work without JavaScript; `runner.js` adds the live timer,
//! autosave and keyboard shortcuts.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use getmycert_content::markdown::to_html;
use getmycert_core::scoring::Response as Answer;
use getmycert_store::StoreError;

use crate::engine::attempts::{AttemptView, Engine, Report, ReviewedItem, ServedItem};
use crate::engine::{EngineError, Mode, StartRequest};
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/practice", get(start_page))
        .route("/practice/start", post(start))
        .route("/attempts/{id}", get(resume))
        .route("/attempts/{id}/items/{n}", get(runner).post(answer))
        .route("/attempts/{id}/review", get(review))
        .route("/attempts/{id}/submit", post(submit))
        .route("/attempts/{id}/report", get(report))
}

fn engine(state: &AppState) -> Engine<'_> {
    state.engine()
}

impl From<EngineError> for WebError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::NotFound => WebError::NotFound,
            other => WebError::Internal(other.to_string()),
        }
    }
}

fn form_fields(body: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn clock(seconds: i64) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

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

#[derive(Template, WebTemplate)]
#[template(path = "practice.html")]
struct StartPage {
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
struct StartQuery {
    exam: String,
}

async fn start_page_for(
    state: &AppState,
    owner: &str,
    exam: &str,
    error: String,
    fields: &[(String, String)],
) -> Result<StartPage, WebError> {
    let counts = state
        .store
        .live_counts()
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let today = OffsetDateTime::now_utc().date();
    let exams: Vec<ExamChoice> = state
        .content
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
    let chosen = exams.iter().find(|c| c.selected).or(exams.first());
    let exam = chosen.and_then(|c| {
        state
            .content
            .exams
            .iter()
            .find(|e| e.code.as_str() == c.code)
    });
    let checked: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "domain")
        .map(|(_, v)| v.as_str())
        .collect();
    let checked_tasks: Vec<&str> = fields
        .iter()
        .filter(|(k, _)| k == "task")
        .map(|(_, v)| v.as_str())
        .collect();
    let rows = state
        .store
        .attempts_of(owner)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let now = OffsetDateTime::now_utc();
    Ok(StartPage {
        nav: Nav::at("/practice"),
        exam: exam.map(|e| e.code.to_string()).unwrap_or_default(),
        exam_name: exam.map(|e| e.name.clone()).unwrap_or_default(),
        minutes: exam
            .map(|e| e.minutes.describe("minutes"))
            .unwrap_or_default(),
        questions: exam.map_or(0, |e| e.questions.total()),
        domains: exam
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
        count: field(fields, "count").unwrap_or("20").to_owned(),
        timed: field(fields, "timed").is_some(),
        error,
        history: rows
            .into_iter()
            .map(|r| {
                let submitted = r.submitted_at.is_some() || r.deadline.is_some_and(|d| now >= d);
                let (state, href) = if submitted {
                    let score = r
                        .result
                        .as_deref()
                        .and_then(|json| serde_json::from_str::<serde_json::Value>(json).ok())
                        .and_then(|v| v["summary"]["scaled_score"].as_u64())
                        .map(|s| format!("Submitted · estimated {s}"))
                        .unwrap_or_else(|| "Time up".into());
                    (score, format!("/attempts/{}/report", r.id))
                } else {
                    ("In progress".into(), format!("/attempts/{}", r.id))
                };
                HistoryRow {
                    exam: r.exam_code.clone(),
                    mode: match r.mode.as_str() {
                        "exam" => "Simulation",
                        "missed" => "Missed questions",
                        "review" => "Review",
                        "drill" => "Adaptive drill",
                        _ => "Practice",
                    },
                    started: r.started_at.date().to_string(),
                    state,
                    href,
                }
            })
            .collect(),
    })
}

async fn start_page(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(q): Query<StartQuery>,
) -> Result<StartPage, WebError> {
    start_page_for(&state, &owner, &q.exam, String::new(), &[]).await
}

async fn start(
    State(state): State<AppState>,
    Identity(owner): Identity,
    body: String,
) -> Result<Response, WebError> {
    let fields = form_fields(&body);
    let exam = field(&fields, "exam").unwrap_or("").to_owned();
    let mode = field(&fields, "mode").unwrap_or("").to_owned();
    let mut error = String::new();
    let domains: Vec<u8> = fields
        .iter()
        .filter(|(k, _)| k == "domain")
        .filter_map(|(_, v)| {
            v.parse()
                .map_err(|_| error = format!("`{v}` is not a domain number"))
                .ok()
        })
        .collect();
    let count = match field(&fields, "count") {
        None | Some("") => None,
        Some(raw) => match raw.trim().parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => {
                error = format!("Number of questions: `{raw}` is not a number; enter 5 to 100.");
                None
            }
        },
    };
    if error.is_empty() {
        let request = StartRequest {
            exam: exam.clone(),
            mode,
            domains,
            tasks: fields
                .iter()
                .filter(|(k, _)| k == "task")
                .map(|(_, v)| v.clone())
                .collect(),
            count,
            timed: Some(field(&fields, "timed").is_some()),
            accommodation: field(&fields, "accommodation").is_some(),
            ..Default::default()
        };
        match engine(&state)
            .start(&owner, &request, OffsetDateTime::now_utc())
            .await
        {
            Ok(view) => {
                return Ok(Redirect::to(&format!("/attempts/{}/items/1", view.id)).into_response());
            }
            Err(EngineError::Invalid(message)) => error = message,
            Err(other) => return Err(other.into()),
        }
    }
    let page = start_page_for(&state, &owner, &exam, error, &fields).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Where a returning candidate belongs: the report once submitted, else the first unanswered item.
async fn resume(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Redirect, WebError> {
    let view = engine(&state)
        .view(&owner, &id, OffsetDateTime::now_utc())
        .await?;
    if view.submitted || view.seconds_left == Some(0) {
        return Ok(Redirect::to(&format!("/attempts/{id}/report")));
    }
    let n = view.items.iter().find(|i| !i.answered).map_or(1, |i| i.n);
    Ok(Redirect::to(&format!("/attempts/{id}/items/{n}")))
}

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

/// Practice feedback for one item.
struct FeedbackView {
    question_id: String,
    revision: String,
    correct: bool,
    options: Vec<(String, String, String, bool)>,
    key: String,
    explanation_html: String,
    references: Vec<String>,
}

fn key_text(item: &ReviewedItem) -> String {
    match &item.key {
        Answer::Selected { selected } => selected
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Answer::Order { order } => order
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(" → "),
        Answer::Matches { matches } => matches
            .iter()
            .map(|(p, o)| format!("{p} → {o}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

fn feedback_view(item: &ReviewedItem) -> FeedbackView {
    FeedbackView {
        question_id: item.id.clone(),
        revision: item.revision.clone(),
        correct: item.correct,
        options: item
            .options
            .iter()
            .map(|o| {
                (
                    o.id.clone(),
                    to_html(&o.text),
                    to_html(&o.rationale),
                    o.correct,
                )
            })
            .collect(),
        key: key_text(item),
        explanation_html: to_html(&item.explanation),
        references: item.references.clone(),
    }
}

fn runner_page(
    attempt: AttemptView,
    item: ServedItem,
    error: String,
    feedback: Option<FeedbackView>,
) -> RunnerPage {
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
    let notice = if item.kind == "multiple" && !selected.is_empty() && selected.len() != select {
        format!(
            "You selected {} option(s); the question asks for {select}.",
            selected.len()
        )
    } else {
        String::new()
    };
    RunnerPage {
        notice,
        nav: Nav::at("/practice"),
        mode: attempt.mode.as_str(),
        n: item.n,
        kind: item.kind,
        scenario_html: item.scenario.as_deref().map(to_html).unwrap_or_default(),
        stem_html: to_html(&item.stem),
        select: item.select.unwrap_or(1),
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
                    html: to_html(&o.text),
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
                html: to_html(&p.text),
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
        feedback,
        attempt,
    }
}

fn item_number(raw: &str) -> Result<usize, WebError> {
    raw.parse::<usize>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or(WebError::NotFound)
}

async fn runner(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let n = item_number(&n)?;
    let now = OffsetDateTime::now_utc();
    let engine = engine(&state);
    let attempt = engine.view(&owner, &id, now).await?;
    if attempt.submitted || attempt.seconds_left == Some(0) {
        return Ok(Redirect::to(&format!("/attempts/{id}/report")).into_response());
    }
    let item = engine.item(&owner, &id, n).await?;
    let feedback = if attempt.mode != Mode::Exam && item.response.is_some() {
        engine
            .feedback(&owner, &id, n, now)
            .await
            .ok()
            .map(|f| feedback_view(&f))
    } else {
        None
    };
    Ok(runner_page(attempt, item, String::new(), feedback).into_response())
}

/// Reads the runner form into a response: `selected` (radio or checkboxes), `pos-X` (ordering),
/// `match-N` (matching). `Ok(None)` when nothing is answered.
fn parse_answer(item: &ServedItem, fields: &[(String, String)]) -> Result<Option<Answer>, String> {
    let letter = |v: &str| v.chars().next().filter(|_| v.len() == 1);
    match item.kind {
        "single" | "multiple" => {
            let selected: Vec<char> = fields
                .iter()
                .filter(|(k, _)| k == "selected")
                .filter_map(|(_, v)| letter(v))
                .collect();
            Ok((!selected.is_empty()).then_some(Answer::Selected { selected }))
        }
        "ordering" => {
            let mut placed = Vec::new();
            for o in &item.options {
                match field(fields, &format!("pos-{}", o.id)).unwrap_or("") {
                    "" => {}
                    raw => match raw.parse::<usize>() {
                        Ok(p) => placed.push((p, o.id.chars().next().unwrap_or('?'))),
                        Err(_) => return Err(format!("`{raw}` is not a position")),
                    },
                }
            }
            if placed.is_empty() {
                return Ok(None);
            }
            placed.sort_unstable();
            if placed.len() != item.options.len() || placed.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err("Give every step a different position.".into());
            }
            Ok(Some(Answer::Order {
                order: placed.into_iter().map(|(_, c)| c).collect(),
            }))
        }
        "matching" => {
            let mut matches = BTreeMap::new();
            for p in item.prompts.iter().flatten() {
                if let (Ok(id), Some(c)) = (
                    p.id.parse::<u8>(),
                    field(fields, &format!("match-{}", p.id)).and_then(letter),
                ) {
                    matches.insert(id, c);
                }
            }
            Ok((!matches.is_empty()).then_some(Answer::Matches { matches }))
        }
        _ => Ok(None),
    }
}

async fn answer(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path((id, n)): Path<(String, String)>,
    body: String,
) -> Result<Response, WebError> {
    let n = item_number(&n)?;
    let fields = form_fields(&body);
    let now = OffsetDateTime::now_utc();
    let engine = engine(&state);
    let item = engine.item(&owner, &id, n).await?;
    let flagged = field(&fields, "flag_present").map(|_| field(&fields, "flagged").is_some());
    let parsed = parse_answer(&item, &fields);
    let saved = match &parsed {
        Ok(answer) if answer.is_some() || flagged.is_some() => {
            engine
                .respond(&owner, &id, n, answer.clone(), flagged, now)
                .await
        }
        Ok(_) => Ok(()),
        Err(message) => Err(EngineError::Invalid(message.clone())),
    };
    match saved {
        Ok(()) => {}
        Err(EngineError::Closed(_)) => {
            return Ok(Redirect::to(&format!("/attempts/{id}/report")).into_response());
        }
        Err(EngineError::Invalid(message)) => {
            let attempt = engine.view(&owner, &id, now).await?;
            let page = runner_page(attempt, item, message, None);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
        Err(other) => return Err(other.into()),
    }
    let total = engine.view(&owner, &id, now).await?.total;
    let target = match field(&fields, "go").unwrap_or("next") {
        "prev" => format!("/attempts/{id}/items/{}", n.saturating_sub(1).max(1)),
        "review" => format!("/attempts/{id}/review"),
        "stay" | "check" => format!("/attempts/{id}/items/{n}"),
        _ if n >= total => format!("/attempts/{id}/review"),
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

async fn review(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let attempt = engine(&state)
        .view(&owner, &id, OffsetDateTime::now_utc())
        .await?;
    if attempt.submitted || attempt.seconds_left == Some(0) {
        return Ok(Redirect::to(&format!("/attempts/{id}/report")).into_response());
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

async fn submit(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    match engine(&state)
        .submit(&owner, &id, OffsetDateTime::now_utc())
        .await
    {
        Ok(_) | Err(EngineError::Closed(_)) => {
            Ok(Redirect::to(&format!("/attempts/{id}/report")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReportQuery {
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

fn answer_text(response: &Option<Answer>) -> String {
    match response {
        None => "Not answered".into(),
        Some(Answer::Selected { selected }) => selected
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Some(Answer::Order { order }) => order
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(" → "),
        Some(Answer::Matches { matches }) => matches
            .iter()
            .map(|(p, o)| format!("{p} → {o}"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

async fn report(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let report = match engine(&state)
        .report(&owner, &id, OffsetDateTime::now_utc())
        .await
    {
        Ok(report) => report,
        Err(EngineError::Closed(_)) => {
            return Ok(Redirect::to(&format!("/attempts/{id}/review")).into_response());
        }
        Err(EngineError::Store(StoreError::NotFound)) => return Err(WebError::NotFound),
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
            stem_html: to_html(&i.stem),
            scenario_html: i.scenario.as_deref().map(to_html).unwrap_or_default(),
            your_answer: answer_text(&i.response),
            feedback: feedback_view(i),
            item: i.clone(),
        })
        .collect();
    let exam_name = state
        .content
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
