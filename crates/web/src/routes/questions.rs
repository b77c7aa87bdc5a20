//! The question browser for study: `/questions` lists live and pilot items with filters;
//! `/questions/{id}` shows one item, and posting an answer reveals whether it was right, the
//! rationale of every option, the explanation and the references. Works without JavaScript.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use getmycert_content::markdown::to_html;
use getmycert_core::scoring::{Response as Answer, is_correct};
use getmycert_core::{ItemStatus, Part, PartKind, Question, QuestionId, QuestionType};
use getmycert_engine::questions::browse::BrowseQuery;

use crate::form::{self, Fields};
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(list))
        .route("/questions/{id}", get(show).post(answer))
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct ListItem {
    id: String,
    lead: String,
    kind: &'static str,
    difficulty: &'static str,
    tasks: Vec<String>,
    pilot: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "questions.html")]
struct ListPage {
    nav: Nav,
    form_q: String,
    exams: Vec<Choice>,
    tasks: Vec<Choice>,
    tags: Vec<Choice>,
    kinds: Vec<Choice>,
    errors: BTreeMap<&'static str, String>,
    total: u64,
    items: Vec<ListItem>,
    page: u32,
    pages: u32,
    prev_href: String,
    next_href: String,
}

impl ListPage {
    fn error(&self, field: &str) -> &str {
        self.errors.get(field).map_or("", String::as_str)
    }
}

/// Plain text for a listing: Markdown marks dropped, cut at about `max` characters.
fn excerpt(markdown: &str, max: usize) -> String {
    let plain: String = markdown
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#'))
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if plain.chars().count() <= max {
        return plain;
    }
    let cut: String = plain.chars().take(max).collect();
    format!(
        "{}…",
        cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head)
    )
}

/// The listing's link to `page` with the same filter.
fn page_link(query: &BrowseQuery, page: u32) -> String {
    let mut link = form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("exam", &query.exam),
        ("task", &query.task),
        ("tag", &query.tag),
        ("type", &query.kind),
        ("q", &query.q),
    ] {
        if !value.trim().is_empty() {
            link.append_pair(key, value.trim());
        }
    }
    link.append_pair("page", &page.to_string());
    format!("/questions?{}", link.finish())
}

async fn list(
    State(state): State<AppState>,
    Query(query): Query<BrowseQuery>,
) -> Result<Response, WebError> {
    let found = state.engine.browse(&query).await?;
    let exam = found.exam.as_ref().and_then(|c| state.content().exam(c));
    let filter = &found.filter;
    let page_view = ListPage {
        nav: Nav::at("/questions"),
        form_q: query.q.clone(),
        exams: state
            .content()
            .exams
            .iter()
            .map(|e| Choice {
                value: e.code.to_string(),
                label: format!("{} — {}", e.code, e.short_name),
                selected: filter.exam.as_deref() == Some(e.code.as_str()),
            })
            .collect(),
        tasks: exam
            .map(|e| {
                e.domains
                    .iter()
                    .flat_map(|d| {
                        let domain = Choice {
                            value: d.number.to_string(),
                            label: format!("Domain {}: {}", d.number, d.name),
                            selected: filter.domain == Some(d.number) && filter.task.is_none(),
                        };
                        std::iter::once(domain).chain(d.numbered_tasks().map(|(label, text)| {
                            Choice {
                                selected: query.task.trim() == label,
                                label: format!("  {label} {text}"),
                                value: label,
                            }
                        }))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        tags: found
            .tags
            .iter()
            .map(|t| Choice {
                value: t.clone(),
                label: t.clone(),
                selected: filter.tag.as_deref() == Some(t.as_str()),
            })
            .collect(),
        kinds: QuestionType::ALL
            .iter()
            .map(|kind| Choice {
                value: kind.as_str().to_owned(),
                label: kind.label().to_owned(),
                selected: filter.kind == Some(*kind),
            })
            .collect(),
        total: found.total,
        items: found
            .items
            .iter()
            .map(|stored| {
                let q = &stored.question;
                ListItem {
                    id: q.id.to_string(),
                    lead: excerpt(q.lead(), 220),
                    kind: q.kind.label(),
                    difficulty: q.difficulty.as_str(),
                    tasks: q
                        .mappings
                        .iter()
                        .map(|m| format!("{} {}", m.exam, m.task_label()))
                        .collect(),
                    pilot: q.status == ItemStatus::Pilot,
                }
            })
            .collect(),
        page: found.page,
        pages: found.pages,
        prev_href: match found.page {
            1 => String::new(),
            p => page_link(&query, p - 1),
        },
        next_href: match found.page < found.pages {
            true => page_link(&query, found.page + 1),
            false => String::new(),
        },
        errors: found.errors,
    };
    let status = match page_view.errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, page_view).into_response())
}

/// An option as shown, with what the reader chose and, after answering, what was right.
struct OptionView {
    id: char,
    html: String,
    rationale_html: String,
    correct: bool,
    chosen: bool,
    /// Ordering: the position the reader gave (1-based), 0 when none.
    position: usize,
    /// Ordering: where the step belongs (1-based).
    correct_position: usize,
}

struct PromptView {
    id: u8,
    html: String,
    chosen: char,
    answer: char,
}

struct PartView {
    /// 1-based.
    number: usize,
    kind: PartKind,
    stem_html: String,
    select_phrase: String,
    options: Vec<OptionView>,
    prompts: Vec<PromptView>,
    explanation_html: String,
    /// After answering: whether the answer earns the credit.
    correct: bool,
    answered: bool,
    error: String,
}

impl PartView {
    fn is(&self, kind: &str) -> bool {
        self.kind.as_str() == kind
    }

    fn positions(&self) -> Vec<usize> {
        (1..=self.options.len()).collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "question.html")]
struct QuestionPage {
    nav: Nav,
    id: String,
    kind: &'static str,
    difficulty: &'static str,
    tasks: Vec<(String, String)>,
    tags: Vec<String>,
    references: Vec<String>,
    verified: String,
    scenario_html: String,
    parts: Vec<PartView>,
    revealed: bool,
    score: usize,
}

/// A stable display order for ordering steps, so the page never shows them in the key's order
/// and a reload shows the same order.
fn display_order(id: &QuestionId, part: usize, steps: &mut [OptionView]) {
    let key = |letter: char| -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in id.as_str().bytes().chain([part as u8, letter as u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    };
    steps.sort_by_key(|s| key(s.id));
    if steps.windows(2).all(|w| w[0].id < w[1].id) && steps.len() > 1 {
        steps.rotate_left(1);
    }
}

fn part_view(id: &QuestionId, number: usize, part: &Part) -> PartView {
    let mut options: Vec<OptionView> = part
        .options
        .iter()
        .map(|o| OptionView {
            id: o.id,
            html: to_html(&o.text),
            rationale_html: to_html(&o.rationale),
            correct: o.correct,
            chosen: false,
            position: 0,
            correct_position: usize::from(o.id as u8 - b'A') + 1,
        })
        .collect();
    if part.kind == PartKind::Ordering {
        display_order(id, number, &mut options);
    }
    PartView {
        number,
        kind: part.kind,
        stem_html: to_html(&part.stem),
        select_phrase: if part.kind == PartKind::Multiple {
            getmycert_core::question::select_phrase(part.select())
        } else {
            String::new()
        },
        options,
        prompts: part
            .prompts
            .iter()
            .map(|p| PromptView {
                id: p.id,
                html: to_html(&p.text),
                chosen: ' ',
                answer: p.answer,
            })
            .collect(),
        explanation_html: to_html(&part.explanation),
        correct: false,
        answered: false,
        error: String::new(),
    }
}

fn page_for(question: &Question, parts: Vec<PartView>, revealed: bool) -> QuestionPage {
    let score = parts.iter().filter(|p| p.correct).count();
    QuestionPage {
        nav: Nav::at("/questions"),
        id: question.id.to_string(),
        kind: question.kind.label(),
        difficulty: question.difficulty.as_str(),
        tasks: question
            .mappings
            .iter()
            .map(|m| {
                (
                    format!("{} {}", m.exam, m.task_label()),
                    format!("/questions?exam={}&task={}", m.exam, m.task_label()),
                )
            })
            .collect(),
        tags: question.tags.clone(),
        references: question.references.clone(),
        verified: question.verified.map(|d| d.to_string()).unwrap_or_default(),
        scenario_html: question
            .scenario
            .as_deref()
            .map(to_html)
            .unwrap_or_default(),
        parts,
        revealed,
        score,
    }
}

async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<QuestionPage, WebError> {
    let question = state.engine.study_item(&raw).await?;
    let parts = question
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| part_view(&question.id, i + 1, p))
        .collect();
    Ok(page_for(&question, parts, false))
}

/// Reads each part's answer from the form (fields `p{n}-…`, as the runner's with a prefix)
/// and reveals what was right; a malformed answer is an error on its part, and nothing is
/// stored either way.
async fn answer(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    fields: Fields,
) -> Result<Response, WebError> {
    let question = state.engine.study_item(&raw).await?;
    let mut any_error = false;
    let mut parts = Vec::new();
    for (i, part) in question.parts.iter().enumerate() {
        let number = i + 1;
        let mut view = part_view(&question.id, number, part);
        // Steps are named by their display index (`s1`, `s2`, …), so the page never spells
        // out the key.
        let step_ids: Vec<char> = view.options.iter().map(|o| o.id).collect();
        let step = |token: &str| {
            let index: usize = token.strip_prefix('s')?.parse().ok()?;
            step_ids.get(index.checked_sub(1)?).copied()
        };
        let response = match form::answer(&fields, &format!("p{number}-"), step) {
            Ok(response) => response,
            Err(message) => {
                view.error = message;
                any_error = true;
                None
            }
        };
        match &response {
            Some(Answer::Selected { selected }) => {
                for o in &mut view.options {
                    o.chosen = selected.contains(&o.id);
                }
                if part.kind == PartKind::Multiple && selected.len() != part.select() {
                    view.error = format!(
                        "You chose {} option(s); the question asks for {}.",
                        selected.len(),
                        part.select()
                    );
                }
            }
            Some(Answer::Order { order }) => {
                for o in &mut view.options {
                    o.position = order.iter().position(|id| *id == o.id).map_or(0, |p| p + 1);
                }
            }
            Some(Answer::Matches { matches }) => {
                for p in &mut view.prompts {
                    p.chosen = matches.get(&p.id).copied().unwrap_or(' ');
                }
            }
            None => {}
        }
        view.answered = response.is_some();
        view.correct = is_correct(part, response.as_ref());
        parts.push(view);
    }
    if any_error {
        let page = page_for(&question, parts, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    Ok(page_for(&question, parts, true).into_response())
}
