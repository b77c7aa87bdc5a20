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
use serde::Deserialize;

use getmycert_content::markdown::to_html;
use getmycert_core::scoring::{Response as Answer, is_correct};
use getmycert_core::{ExamCode, ItemStatus, Part, PartKind, Question, QuestionId, QuestionType};
use getmycert_store::{QuestionFilter, StoreError};

use crate::views::Nav;
use crate::{AppState, WebError};

/// Items per listing page.
const PAGE_SIZE: u32 = 25;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/questions", get(list))
        .route("/questions/{id}", get(show).post(answer))
}

/// The filter form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FilterForm {
    exam: String,
    task: String,
    tag: String,
    #[serde(rename = "type")]
    kind: String,
    q: String,
    page: String,
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

fn kind_label(kind: QuestionType) -> &'static str {
    kind.label()
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

async fn list(
    State(state): State<AppState>,
    Query(form): Query<FilterForm>,
) -> Result<Response, WebError> {
    let content = &state.content;
    let mut errors = BTreeMap::new();
    let mut filter = QuestionFilter {
        limit: PAGE_SIZE,
        ..Default::default()
    };
    let exam = match form.exam.trim() {
        "" => None,
        raw => match ExamCode::parse(raw).ok().and_then(|c| content.exam(&c)) {
            Some(exam) => Some(exam),
            None => {
                errors.insert(
                    "exam",
                    format!("There is no exam `{raw}`; choose one from the list."),
                );
                None
            }
        },
    };
    filter.exam = exam.map(|e| e.code.to_string());
    if let Some(exam) = exam {
        match form.task.trim() {
            "" => {}
            raw => {
                let parsed = match raw.split_once('.') {
                    Some((d, t)) => d.parse::<u8>().ok().zip(t.parse::<u8>().ok().map(Some)),
                    None => raw.parse::<u8>().ok().map(|d| (d, None)),
                };
                let valid = parsed.filter(|(d, t)| {
                    exam.domains.iter().any(|dom| {
                        dom.number == *d
                            && t.is_none_or(|t| t >= 1 && usize::from(t) <= dom.tasks.len())
                    })
                });
                match valid {
                    Some((d, t)) => {
                        filter.domain = Some(d);
                        filter.task = t;
                    }
                    None => {
                        errors.insert(
                            "task",
                            format!("{} has no domain or task `{raw}`.", exam.code),
                        );
                    }
                }
            }
        }
    } else if !form.task.trim().is_empty() && !errors.contains_key("exam") {
        errors.insert(
            "task",
            "Choose an exam to filter by domain or task.".to_string(),
        );
    }
    let tags = getmycert_content::items::check::all_tags(&content.questions);
    match form.tag.trim() {
        "" => {}
        tag if tags.contains(tag) => filter.tag = Some(tag.to_owned()),
        tag => {
            errors.insert("tag", format!("No question has the tag `{tag}`."));
        }
    }
    match form.kind.trim() {
        "" => {}
        kind if QuestionType::ALL.iter().any(|k| k.as_str() == kind) => {
            filter.kind = Some(kind.to_owned())
        }
        kind => {
            errors.insert("type", format!("`{kind}` is not a question type."));
        }
    }
    let q = form.q.trim();
    if q.chars().count() > 200 {
        errors.insert("q", "Search for at most 200 characters.".to_string());
    } else if !q.is_empty() {
        filter.text = Some(q.to_owned());
    }
    let page = match form.page.trim() {
        "" => 1,
        raw => match raw.parse::<u32>() {
            Ok(n) if n >= 1 => n,
            _ => {
                errors.insert("page", format!("`{raw}` is not a page number."));
                1
            }
        },
    };
    filter.offset = (page - 1).saturating_mul(PAGE_SIZE);

    let (total, items) = if errors.is_empty() {
        let found = state
            .store
            .list_questions(&filter)
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        (found.total, found.items)
    } else {
        (0, Vec::new())
    };
    let pages = ((total as f64) / f64::from(PAGE_SIZE)).ceil() as u32;
    let link = |page: u32| -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [
            ("exam", &form.exam),
            ("task", &form.task),
            ("tag", &form.tag),
            ("type", &form.kind),
            ("q", &form.q),
        ] {
            if !value.trim().is_empty() {
                query.append_pair(key, value.trim());
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/questions?{}", query.finish())
    };
    let page_view = ListPage {
        nav: Nav::at("/questions"),
        form_q: form.q.clone(),
        exams: content
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
                                selected: form.task.trim() == label,
                                label: format!("  {label} {text}"),
                                value: label,
                            }
                        }))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        tags: tags
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
                selected: filter.kind.as_deref() == Some(kind.as_str()),
            })
            .collect(),
        errors,
        total,
        items: items
            .into_iter()
            .map(|stored| {
                let q = stored.question;
                ListItem {
                    id: q.id.to_string(),
                    lead: excerpt(q.lead(), 220),
                    kind: kind_label(q.kind),
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
        page,
        pages,
        prev_href: if page > 1 {
            link(page - 1)
        } else {
            String::new()
        },
        next_href: if page < pages {
            link(page + 1)
        } else {
            String::new()
        },
    };
    let status = if page_view.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
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
        matches!(
            (kind, self.kind),
            ("single", PartKind::Single)
                | ("multiple", PartKind::Multiple)
                | ("ordering", PartKind::Ordering)
                | ("matching", PartKind::Matching)
        )
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
        kind: kind_label(question.kind),
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

/// The item if it may be studied: live or pilot.
async fn studyable(state: &AppState, raw: &str) -> Result<Question, WebError> {
    let id = QuestionId::parse(raw).map_err(|_| WebError::NotFound)?;
    match state.store.question(&id).await {
        Ok(stored) if matches!(stored.question.status, ItemStatus::Live | ItemStatus::Pilot) => {
            Ok(stored.question)
        }
        Ok(_) | Err(StoreError::NotFound) => Err(WebError::NotFound),
        Err(e) => Err(WebError::Internal(e.to_string())),
    }
}

async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<QuestionPage, WebError> {
    let question = studyable(&state, &raw).await?;
    let parts = question
        .parts
        .iter()
        .enumerate()
        .map(|(i, p)| part_view(&question.id, i + 1, p))
        .collect();
    Ok(page_for(&question, parts, false))
}

/// Reads the posted form into each part's answer; a malformed ordering is an error on that part.
async fn answer(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    body: String,
) -> Result<Response, WebError> {
    let question = studyable(&state, &raw).await?;
    let fields: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let values = |name: &str| -> Vec<&str> {
        fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let mut any_error = false;
    let mut parts = Vec::new();
    for (i, part) in question.parts.iter().enumerate() {
        let number = i + 1;
        let mut view = part_view(&question.id, number, part);
        let letter = |v: &str| {
            v.chars()
                .next()
                .filter(|c| v.len() == 1 && part.options.iter().any(|o| o.id == *c))
        };
        let response = match part.kind {
            PartKind::Single | PartKind::Multiple => {
                let selected: Vec<char> = values(&format!("p{number}"))
                    .into_iter()
                    .filter_map(letter)
                    .collect();
                for o in &mut view.options {
                    o.chosen = selected.contains(&o.id);
                }
                if part.kind == PartKind::Multiple
                    && !selected.is_empty()
                    && selected.len() != part.select()
                {
                    view.error = format!(
                        "You chose {} option(s); the question asks for {}.",
                        selected.len(),
                        part.select()
                    );
                }
                (!selected.is_empty()).then_some(Answer::Selected { selected })
            }
            PartKind::Ordering => {
                let mut placed: Vec<(usize, char)> = Vec::new();
                // Steps are named by their display index, so the page never spells out the key.
                for (index, o) in view.options.iter_mut().enumerate() {
                    let raw = values(&format!("p{number}-s{}", index + 1))
                        .first()
                        .copied()
                        .unwrap_or("");
                    if let Ok(position) = raw.parse::<usize>() {
                        o.position = position;
                        placed.push((position, o.id));
                    }
                }
                placed.sort_unstable();
                let distinct = placed.windows(2).all(|w| w[0].0 != w[1].0);
                if placed.is_empty() {
                    None
                } else if placed.len() != part.options.len() || !distinct {
                    view.error = "Give every step a different position.".into();
                    any_error = true;
                    None
                } else {
                    Some(Answer::Order {
                        order: placed.into_iter().map(|(_, id)| id).collect(),
                    })
                }
            }
            PartKind::Matching => {
                let mut matches = BTreeMap::new();
                for p in &mut view.prompts {
                    if let Some(c) = values(&format!("p{number}-{}", p.id))
                        .first()
                        .and_then(|v| letter(v))
                    {
                        p.chosen = c;
                        matches.insert(p.id, c);
                    }
                }
                (!matches.is_empty()).then_some(Answer::Matches { matches })
            }
        };
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
