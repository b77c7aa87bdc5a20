//! What question storage needs on both backends: revision hashes, search text and the SQL of
//! the filtered listing.

use getmycert_core::{ItemStatus, Question};
use sha2::{Digest, Sha256};

/// A filter over the bank as the question browser asks it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionFilter {
    pub exam: Option<String>,
    pub domain: Option<u8>,
    pub task: Option<u8>,
    pub tag: Option<String>,
    /// `single`, `multiple`, `ordering`, `matching` or `case-study`.
    pub kind: Option<String>,
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
pub(crate) fn revision(question: &Question) -> Result<(String, String), serde_json::Error> {
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
            next(Param::Text(kind.clone()), &mut params)
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
