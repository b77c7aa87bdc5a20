//! Attempts: a sitting's life from start to report. [`start`] draws the form and writes one
//! row; [`sitting`] serves items without keys, saves answers as they are given and reveals
//! practice feedback; [`submit`] scores once; [`report`] reviews every item and lists the
//! history. The values here are what pages and the API show.

pub mod report;
pub mod sitting;
pub mod start;
pub mod submit;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use std::sync::Arc;

use getmycert_core::scoring::Response;
use getmycert_core::scoring::scaled::Summary;
use getmycert_core::{FormItem, Mode, PartKind, QuestionId};
use getmycert_store::AttemptRow;

use crate::cache::{CachedItem, Form};
use crate::drill::DrillState;
use crate::text::Text;
use crate::{Engine, EngineError, form};

/// A request to start an attempt, as the API and the start form send it.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub exam: String,
    pub mode: Mode,
    /// Replays the same form.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Practice and drills: domains to draw from (all when empty; a drill's weakest two).
    #[serde(default)]
    pub domains: Vec<u8>,
    /// Practice: task statements such as "3.2" (all when empty).
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Practice: number of questions, 5–100; a drill's cap.
    #[serde(default)]
    pub count: Option<usize>,
    /// Practice: whether a timer runs.
    #[serde(default)]
    pub timed: Option<bool>,
    /// Exam: +30 minutes, as AWS grants candidates taking the exam in a second language.
    #[serde(default)]
    pub accommodation: bool,
}

impl StartRequest {
    /// A request for `exam` in `mode` with every option at its default.
    pub fn new(exam: impl Into<String>, mode: Mode) -> Self {
        Self {
            exam: exam.into(),
            mode,
            seed: None,
            domains: Vec::new(),
            tasks: Vec::new(),
            count: None,
            timed: None,
            accommodation: false,
        }
    }
}

/// An option or prompt as served: display id and Markdown text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServedOption {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub text: Text,
}

/// An item as served before submit: no key, rationale or correctness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServedItem {
    pub n: usize,
    #[serde(rename = "type")]
    pub kind: PartKind,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stem: Text,
    pub options: Vec<ServedOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Vec<ServedOption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub scenario: Option<Text>,
    pub flagged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
}

/// What a save answers: the item's state after it, and the time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Saved {
    pub n: usize,
    /// The item has an answer saved.
    pub answered: bool,
    pub flagged: bool,
    /// Seconds left before the deadline, computed on the server.
    pub seconds_left: Option<i64>,
}

/// The state of one item in an attempt summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemState {
    pub n: usize,
    pub answered: bool,
    pub flagged: bool,
}

/// An attempt as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttemptView {
    pub id: String,
    pub exam: String,
    pub mode: Mode,
    pub total: usize,
    pub answered: usize,
    pub flagged: usize,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub deadline: Option<OffsetDateTime>,
    /// Seconds left before the deadline, computed on the server.
    pub seconds_left: Option<i64>,
    pub submitted: bool,
    pub items: Vec<ItemState>,
    /// An adaptive drill's ability estimate and whether it is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<DrillState>,
}

impl AttemptView {
    /// Whether the attempt takes no more answers: submitted, or its time is up.
    pub fn closed(&self) -> bool {
        self.submitted || self.seconds_left == Some(0)
    }

    /// The first item not yet answered (1 when every item is).
    pub fn first_unanswered(&self) -> usize {
        self.items.iter().find(|i| !i.answered).map_or(1, |i| i.n)
    }
}

/// One option in the review after submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedOption {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub text: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub rationale: Text,
    /// A key (single/multiple).
    pub correct: bool,
    /// Ordering: the step's correct position (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// A matching prompt in the review, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedPrompt {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub text: Text,
    pub answer: String,
}

/// One item in the review after submit (or practice feedback).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewedItem {
    pub n: usize,
    pub id: String,
    /// The revision answered (for reporting a problem with exactly what was seen).
    pub revision: String,
    #[serde(rename = "type")]
    pub kind: PartKind,
    pub domain: u8,
    pub task: String,
    pub scored: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub stem: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub scenario: Option<Text>,
    pub options: Vec<ReviewedOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Vec<ReviewedPrompt>>,
    pub response: Option<Response>,
    /// The key in display ids, in the response's own shape.
    pub key: Response,
    pub correct: bool,
    pub flagged: bool,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub explanation: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub references: Vec<Text>,
}

/// The report of a submitted attempt.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    pub id: String,
    pub exam: String,
    pub mode: Mode,
    #[serde(flatten)]
    pub summary: Summary,
    /// A simulation's IRT estimate (score, 80% interval, P(pass), per-domain mastery) once
    /// every scored item is calibrated; see docs/scoring.md.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub irt: Option<getmycert_core::readiness::Estimate>,
    pub seconds_used: i64,
    pub items: Vec<ReviewedItem>,
}

/// What is stored at submit: the summary and each item's outcome (for missed-question sets
/// and the history).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StoredResult {
    pub summary: Summary,
    pub outcomes: Vec<(QuestionId, bool)>,
}

impl Engine {
    /// The attempt if `owner` owns it; another identity's attempt is not found.
    pub(crate) async fn owned(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<(AttemptRow, Vec<FormItem>), EngineError> {
        let row = self.store().attempt(id).await?;
        if row.owner != owner {
            return Err(EngineError::NotFound);
        }
        let items = form::items(&row)?;
        Ok((row, items))
    }

    /// The immutable part of attempt `id` (owner, deadline, form) if `owner` owns it,
    /// from the cache, or from the store (a growing drill always from the store, and then with
    /// its row and form as read).
    pub(crate) async fn form(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<(Arc<Form>, Option<(AttemptRow, Vec<FormItem>)>), EngineError> {
        if let Some(form) = self.cache.form(id) {
            return match form.owner == owner {
                true => Ok((form, None)),
                false => Err(EngineError::NotFound),
            };
        }
        let (row, items) = self.owned(owner, id).await?;
        let form = Arc::new(self.cached_form(owner, row.deadline, &items).await?);
        if row.mode == Mode::Drill {
            return Ok((form, Some((row, items))));
        }
        self.cache.keep_form(id.to_owned(), form.clone());
        Ok((form, None))
    }

    /// A form to cache: each item pointing at its cached revision.
    pub(crate) async fn cached_form(
        &self,
        owner: &str,
        deadline: Option<OffsetDateTime>,
        items: &[FormItem],
    ) -> Result<Form, EngineError> {
        let mut cached = Vec::with_capacity(items.len());
        for item in items {
            let (_, part) = self.revision(item).await?;
            cached.push(CachedItem {
                revision: self.revision_of(&item.id, &item.hash).await?,
                part: u16::try_from(part).unwrap_or(u16::MAX),
                scored: item.scored,
                domain: item.domain,
                task: item.task,
                order: item
                    .order
                    .iter()
                    .map(|o| u8::try_from(*o).unwrap_or(u8::MAX))
                    .collect(),
            });
        }
        Ok(Form {
            owner: owner.to_owned(),
            deadline,
            items: cached,
        })
    }

    /// Every attempt of `owner`, newest first.
    pub async fn views(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<AttemptView>, EngineError> {
        let mut views = Vec::new();
        for row in self.store().attempts_of(owner).await? {
            views.push(self.view(owner, &row.id, now).await?);
        }
        Ok(views)
    }

    /// The attempt summary.
    pub async fn view(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<AttemptView, EngineError> {
        let row = self.store().attempt(id).await?;
        if row.owner != owner {
            return Err(EngineError::NotFound);
        }
        // A fixed form's length from the cached form when there is one: parsing the stored
        // form cost more than the rest of a runner page. A drill's state needs its items.
        let (total, drill_items) = match (row.mode, self.cache.form(id)) {
            (Mode::Drill, _) => {
                let items = form::items(&row)?;
                (items.len(), Some(items))
            }
            (_, Some(form)) => (form.items.len(), None),
            (_, None) => (form::items(&row)?.len(), None),
        };
        let saved = self.store().responses(id).await?;
        let states: Vec<ItemState> = (1..=total)
            .map(|n| {
                let r = saved.iter().find(|r| r.n as usize == n);
                ItemState {
                    n,
                    answered: r.is_some_and(|r| r.response.is_some()),
                    flagged: r.is_some_and(|r| r.flagged),
                }
            })
            .collect();
        let drill = match &drill_items {
            Some(items) => Some(self.drill_state(&row, items, &saved).await?),
            None => None,
        };
        Ok(AttemptView {
            id: row.id.clone(),
            exam: row.exam_code.clone(),
            mode: row.mode,
            total,
            answered: states.iter().filter(|s| s.answered).count(),
            flagged: states.iter().filter(|s| s.flagged).count(),
            started_at: row.started_at,
            deadline: row.deadline,
            seconds_left: row.deadline.map(|d| (d - now).whole_seconds().max(0)),
            submitted: row.submitted_at.is_some(),
            items: states,
            drill,
        })
    }
}
