//! The question browser for study: a filtered, paged listing of live and pilot items, and
//! single items to answer with immediate feedback (nothing is stored).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use getmycert_core::{Exam, ExamCode, ItemStatus, Question, QuestionId, QuestionType};
use getmycert_store::{QuestionFilter, StoredQuestion};

use crate::{Engine, EngineError};

/// Items per listing page.
pub const PAGE_SIZE: u32 = 25;

/// The browser's filter as typed in the query string (every field optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct BrowseQuery {
    pub exam: String,
    /// A domain (`3`) or a task statement (`3.2`) of the chosen exam.
    pub task: String,
    pub tag: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Words that must all appear.
    pub q: String,
    pub page: String,
}

/// One page of the listing, or the filter's mistakes by field.
#[derive(Debug, Clone)]
pub struct Browse {
    /// The chosen exam, if the filter names one that exists.
    pub exam: Option<ExamCode>,
    /// The filter as understood.
    pub filter: QuestionFilter,
    /// Field → what is wrong with it; when not empty, nothing was listed.
    pub errors: BTreeMap<&'static str, String>,
    pub total: u64,
    pub items: Vec<StoredQuestion>,
    pub page: u32,
    pub pages: u32,
    /// Every tag in the bank, sorted.
    pub tags: BTreeSet<String>,
}

impl Engine {
    /// Lists the items that pass `query`; a filter that names no exam, task, tag or type the
    /// bank has comes back with a message at that field.
    pub async fn browse(&self, query: &BrowseQuery) -> Result<Browse, EngineError> {
        let content = self.content();
        let mut errors = BTreeMap::new();
        let mut filter = QuestionFilter {
            limit: PAGE_SIZE,
            ..Default::default()
        };
        let exam = match query.exam.trim() {
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
        match (exam, query.task.trim()) {
            (_, "") => {}
            (Some(exam), raw) => match domain_or_task(exam, raw) {
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
            },
            (None, _) if !errors.contains_key("exam") => {
                errors.insert("task", "Choose an exam to filter by domain or task.".into());
            }
            (None, _) => {}
        }
        let tags = getmycert_content::items::check::all_tags(&content.questions);
        match query.tag.trim() {
            "" => {}
            tag if tags.contains(tag) => filter.tag = Some(tag.to_owned()),
            tag => {
                errors.insert("tag", format!("No question has the tag `{tag}`."));
            }
        }
        match query.kind.trim() {
            "" => {}
            kind => match QuestionType::ALL.iter().find(|k| k.as_str() == kind) {
                Some(k) => filter.kind = Some(*k),
                None => {
                    errors.insert("type", format!("`{kind}` is not a question type."));
                }
            },
        }
        let words = query.q.trim();
        if words.chars().count() > 200 {
            errors.insert("q", "Search for at most 200 characters.".into());
        } else if !words.is_empty() {
            filter.text = Some(words.to_owned());
        }
        let page = match query.page.trim() {
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
            let found = self.store().list_questions(&filter).await?;
            (found.total, found.items)
        } else {
            (0, Vec::new())
        };
        Ok(Browse {
            exam: exam.map(|e| e.code.clone()),
            pages: total.div_ceil(u64::from(PAGE_SIZE)) as u32,
            filter,
            errors,
            total,
            items,
            page,
            tags,
        })
    }

    /// An item to study: live or pilot; anything else is not found.
    pub async fn study_item(&self, raw: &str) -> Result<Question, EngineError> {
        let id = QuestionId::parse(raw).map_err(|_| EngineError::NotFound)?;
        let stored = self.store().question(&id).await?;
        match stored.question.status {
            ItemStatus::Live | ItemStatus::Pilot => Ok(stored.question),
            _ => Err(EngineError::NotFound),
        }
    }
}

/// `3` (a domain) or `3.2` (a task) if `exam` has it.
fn domain_or_task(exam: &Exam, raw: &str) -> Option<(u8, Option<u8>)> {
    let (d, t) = match raw.split_once('.') {
        Some((d, t)) => (d.parse::<u8>().ok()?, Some(t.parse::<u8>().ok()?)),
        None => (raw.parse::<u8>().ok()?, None),
    };
    exam.domains
        .iter()
        .any(|dom| dom.number == d && t.is_none_or(|t| t >= 1 && usize::from(t) <= dom.tasks.len()))
        .then_some((d, t))
}
