//! The bank in the store: exams and question revisions synced from the content, and the
//! filtered listing of the question browser. What both backends need besides the SQL:
//! revision hashes, search text and the listing's query text.

use std::collections::BTreeMap;

use async_trait::async_trait;
use getmycert_core::{Exam, ItemStatus, Question, QuestionId, QuestionType};
use sha2::{Digest, Sha256};

use crate::{StoreError, SyncReport};

/// Exams and questions.
#[async_trait]
pub trait QuestionStore {
    /// Makes the exam rows match the catalog in one transaction: new exams inserted, changed
    /// ones updated (new content hash), missing ones marked out of catalog. Idempotent.
    async fn sync_exams(&self, exams: &[Exam]) -> Result<SyncReport, StoreError>;

    /// Every exam row, in code order.
    async fn exams(&self) -> Result<Vec<StoredExam>, StoreError>;

    /// Makes the question rows match the bank in one transaction: new items inserted; a
    /// changed item gets a new revision (earlier revisions are kept); a status change is
    /// applied; items missing from the bank are retired, never deleted. Idempotent.
    async fn sync_questions(&self, questions: &[Question]) -> Result<SyncReport, StoreError>;

    /// Live items per exam code.
    async fn live_counts(&self) -> Result<BTreeMap<String, u64>, StoreError>;

    /// One page of the items that pass `filter`, in id order, with the total.
    async fn list_questions(&self, filter: &QuestionFilter) -> Result<QuestionPage, StoreError>;

    /// The current revision of one item (any status).
    async fn question(&self, id: &QuestionId) -> Result<StoredQuestion, StoreError>;

    /// One revision of an item, as it was when answered.
    async fn question_revision(&self, id: &QuestionId, hash: &str) -> Result<Question, StoreError>;
}

/// An exam row as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredExam {
    pub code: String,
    pub name: String,
    pub state: String,
    pub content_hash: String,
    pub in_catalog: bool,
}

/// The exam's canonical JSON and its SHA-256.
pub(crate) fn exam_revision(exam: &Exam) -> Result<(String, String), serde_json::Error> {
    let json = serde_json::to_string(exam)?;
    let hash = hex::encode(Sha256::digest(json.as_bytes()));
    Ok((json, hash))
}

/// A filter over the bank as the question browser asks it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub exam: Option<String>,
    pub domain: Option<u8>,
    pub task: Option<u8>,
    pub tag: Option<String>,
    pub kind: Option<QuestionType>,
    /// Words that must all appear in the scenario, stems or options.
    pub text: Option<String>,
    /// Statuses to include; empty means live and pilot.
    pub statuses: Vec<ItemStatus>,
    pub limit: u32,
    pub offset: u32,
}

/// An item as stored: its current revision and that revision's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuestion {
    pub question: Question,
    pub hash: String,
}

/// One page of a filtered listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionPage {
    pub total: u64,
    pub items: Vec<StoredQuestion>,
}

/// The revision hash: SHA-256 of the item's JSON without its status, so promoting a pilot to
/// live is not a new revision but any change of wording, key or mapping is.
pub fn revision(question: &Question) -> Result<(String, String), serde_json::Error> {
    let mut content = question.clone();
    content.status = ItemStatus::Draft;
    let hash = hex::encode(Sha256::digest(serde_json::to_string(&content)?.as_bytes()));
    Ok((serde_json::to_string(question)?, hash))
}

pub(crate) fn tags_column(question: &Question) -> String {
    format!("|{}|", question.tags.join("|"))
}

pub(crate) fn search_text(question: &Question) -> String {
    let mut text = question.scenario.clone().unwrap_or_default();
    for part in &question.parts {
        text.push('\n');
        text.push_str(&part.stem);
        for option in &part.options {
            text.push('\n');
            text.push_str(&option.text);
        }
        for prompt in &part.prompts {
            text.push('\n');
            text.push_str(&prompt.text);
        }
    }
    text.to_lowercase()
}

/// A bound parameter of a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Param {
    Text(String),
    Int(i32),
}

/// The FROM/WHERE part of a filtered listing and its parameters.
pub(crate) fn listing(filter: &QuestionFilter) -> (String, Vec<Param>) {
    let mut params = Vec::new();
    let next = |p: Param, params: &mut Vec<Param>| {
        params.push(p);
        format!("${}", params.len())
    };
    let mut sql = String::from(
        " FROM questions q JOIN question_revisions r ON r.question_id = q.id AND r.hash = q.current_hash",
    );
    if let Some(exam) = &filter.exam {
        sql += &format!(
            " JOIN question_exams e ON e.question_id = q.id AND e.exam_code = {}",
            next(Param::Text(exam.clone()), &mut params)
        );
        if let Some(domain) = filter.domain {
            sql += &format!(
                " AND e.domain = {}",
                next(Param::Int(domain.into()), &mut params)
            );
        }
        if let Some(task) = filter.task {
            sql += &format!(
                " AND e.task = {}",
                next(Param::Int(task.into()), &mut params)
            );
        }
    }
    let statuses = if filter.statuses.is_empty() {
        vec![ItemStatus::Live, ItemStatus::Pilot]
    } else {
        filter.statuses.clone()
    };
    let listed: Vec<String> = statuses
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    sql += &format!(" WHERE q.status IN ({})", listed.join(", "));
    if let Some(tag) = &filter.tag {
        sql += &format!(
            " AND q.tags LIKE {}",
            next(
                Param::Text(format!("%|{}|%", escape_like(tag))),
                &mut params
            )
        );
    }
    if let Some(kind) = &filter.kind {
        sql += &format!(
            " AND q.kind = {}",
            next(Param::Text(kind.as_str().to_owned()), &mut params)
        );
    }
    if let Some(text) = &filter.text {
        for word in text.to_lowercase().split_whitespace().take(8) {
            sql += &format!(
                " AND q.search_text LIKE {} ESCAPE '\\'",
                next(Param::Text(format!("%{}%", escape_like(word))), &mut params)
            );
        }
    }
    (sql, params)
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A row of `r.body, q.current_hash, q.status` as a stored question; the row's status wins
/// over the one saved in the revision (it changes without a new revision).
pub(crate) fn from_row(
    (body, hash, status): (String, String, String),
) -> Result<StoredQuestion, serde_json::Error> {
    let mut question: Question = serde_json::from_str(&body)?;
    if let Some(status) = ItemStatus::parse(&status) {
        question.status = status;
    }
    Ok(StoredQuestion { question, hash })
}
