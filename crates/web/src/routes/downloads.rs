//! Files out: `/author/export` lets an author download an exam's live bank as GIFT, Moodle XML,
//! Aiken, a QTI 3.0 package or an Anki deck; `/review/missed.txt` gives a learner their missed
//! questions as an Anki deck. Exports are built off the async runtime (a bank is hundreds of
//! items rendered to HTML, and QTI is zipped).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use getmycert_engine::EngineError;
use getmycert_interop::{Export, Format, anki, exportable, is_exportable};

use crate::auth::roles::Author;
use crate::identity::Identity;
use crate::views::Nav;
use crate::{AppState, WebError};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/author/export", get(page))
        .route("/author/export/{exam}/{format}", get(download))
        .route("/review/missed.txt", get(missed_deck))
}

/// One exam's row: its live items and a link per format.
struct ExamRow {
    code: String,
    name: String,
    live: usize,
    lower: String,
}

struct FormatRow {
    name: &'static str,
    label: &'static str,
    keeps: &'static str,
}

#[derive(Template, WebTemplate)]
#[template(path = "author_export.html")]
struct Page {
    nav: Nav,
    exams: Vec<ExamRow>,
    formats: Vec<FormatRow>,
}

const FORMATS: [FormatRow; 5] = [
    FormatRow {
        name: "qti3",
        label: "QTI 3.0 package (.zip)",
        keeps: "every item type; case studies as one item with several interactions; rationales as feedback; one section per domain",
    },
    FormatRow {
        name: "moodle-xml",
        label: "Moodle XML (.xml)",
        keeps: "single, multiple, matching and ordering; case-study parts as separate questions; rationales as answer feedback",
    },
    FormatRow {
        name: "gift",
        label: "GIFT (.txt)",
        keeps: "single, multiple and matching; case-study parts as separate questions; leaves out ordering",
    },
    FormatRow {
        name: "aiken",
        label: "Aiken (.txt)",
        keeps: "single-answer questions only, one line each, without rationales",
    },
    FormatRow {
        name: "anki",
        label: "Anki deck (.txt)",
        keeps: "every item as a note: stem and options on the front; key, rationales, explanation and references on the back",
    },
];

async fn page(State(state): State<AppState>, _author: Author) -> Page {
    let content = state.content();
    let exams = content
        .exams
        .iter()
        .map(|exam| ExamRow {
            code: exam.code.to_string(),
            name: exam.short_name.clone(),
            live: content
                .questions
                .iter()
                .filter(|q| is_exportable(q, &exam.code))
                .count(),
            lower: exam.code.as_str().to_ascii_lowercase(),
        })
        .filter(|row| row.live > 0)
        .collect();
    Page {
        nav: Nav::at("/author/export"),
        exams,
        formats: FORMATS.into_iter().collect(),
    }
}

async fn download(
    State(state): State<AppState>,
    _author: Author,
    Path((code, format)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let format = Format::parse(&format).ok_or_else(|| EngineError::NotFound)?;
    let exam = state
        .content()
        .exams
        .iter()
        .find(|e| e.code.as_str().eq_ignore_ascii_case(&code))
        .cloned()
        .ok_or(EngineError::NotFound)?;
    let items = exportable(&state.content().questions, &exam.code);
    let export = tokio::task::spawn_blocking(move || format.export(&exam, &items))
        .await
        .map_err(|e| EngineError::Internal(format!("export stopped: {e}")))?;
    let file = format!(
        "getmycert-{}-{}.{}",
        code.to_ascii_lowercase(),
        format,
        format.extension()
    );
    Ok(attachment(format.media_type(), &file, export))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeckQuery {
    exam: String,
}

async fn missed_deck(
    State(state): State<AppState>,
    Identity(owner): Identity,
    Query(q): Query<DeckQuery>,
) -> Result<Response, WebError> {
    let (exam, questions) = state
        .engine
        .missed_questions(&owner, q.exam.trim())
        .await?
        .ok_or_else(|| EngineError::Invalid {
            field: Some("exam"),
            message: format!("`{}` is not an exam in the catalog", q.exam.trim()),
        })?;
    let exam = exam.clone();
    let name = format!("GetMyCert::{}::Missed", exam.code);
    let export = tokio::task::spawn_blocking(move || anki::deck(&exam, &questions, &name))
        .await
        .map_err(|e| EngineError::Internal(format!("export stopped: {e}")))?;
    let file = format!(
        "getmycert-{}-missed.txt",
        q.exam.trim().to_ascii_lowercase()
    );
    Ok(attachment(Format::Anki.media_type(), &file, export))
}

fn attachment(media_type: &str, file: &str, export: Export) -> Response {
    (
        [
            (CONTENT_TYPE, media_type.to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (
                axum::http::HeaderName::from_static("x-left-out"),
                export.left_out.len().to_string(),
            ),
        ],
        export.bytes,
    )
        .into_response()
}
