//! After a sitting: the report (score, domain verdicts, every item reviewed with its key and
//! rationales) and the history of an identity's sittings.

use time::OffsetDateTime;

use getmycert_core::scoring::Response;
use getmycert_core::{FormItem, Mode, PartKind};

use super::{Report, ReviewedItem, ReviewedOption, ReviewedPrompt, StoredResult};
use crate::cache::Revision;
use crate::{Engine, EngineError};

/// Where a sitting in the history stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryState {
    /// Answers are still taken.
    InProgress,
    /// Submitted, with the estimated scaled score.
    Submitted { scaled_score: u32 },
    /// The deadline passed before a submit; the report submits what was saved.
    TimeUp,
}

/// One sitting in an identity's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub id: String,
    pub exam: String,
    pub mode: Mode,
    pub started_at: OffsetDateTime,
    pub state: HistoryState,
}

impl Engine {
    /// The report of a submitted attempt. An attempt whose deadline passed ends at its
    /// deadline with what was saved, as the real exam does: its report is the same before and
    /// after [`Engine::finalize_expired`] stores it, and reading it writes nothing.
    pub async fn report(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Report, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        let ended = match (row.submitted_at, row.deadline) {
            (Some(at), _) => at,
            (None, Some(deadline)) if now >= deadline => deadline,
            (None, _) => {
                return Err(EngineError::Conflict(
                    "the report is ready once the attempt is submitted".into(),
                ));
            }
        };
        let saved = self.store().responses(id).await?;
        Ok(self.score(&row, &items, &saved, ended).await?.0)
    }

    /// Submits, at their deadline and with what was saved, every attempt whose time is up and
    /// that nobody submitted (the server runs this every minute); returns how many.
    pub async fn finalize_expired(&self, now: OffsetDateTime) -> Result<usize, EngineError> {
        let mut submitted = 0;
        for row in self.store().open_timed_attempts().await? {
            if row.deadline > now {
                continue;
            }
            match self.submit(&row.owner, &row.id, row.deadline).await {
                Ok(_) => submitted += 1,
                // Submitted meanwhile by its candidate.
                Err(EngineError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(submitted)
    }

    /// `owner`'s sittings, newest first.
    pub async fn history(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<HistoryEntry>, EngineError> {
        let mut entries = Vec::new();
        for row in self.store().attempts_of(owner).await? {
            let state = match (&row.result, row.deadline) {
                (Some(result), _) => HistoryState::Submitted {
                    scaled_score: serde_json::from_str::<StoredResult>(result)?
                        .summary
                        .scaled_score,
                },
                (None, Some(deadline)) if now >= deadline => HistoryState::TimeUp,
                (None, _) => HistoryState::InProgress,
            };
            entries.push(HistoryEntry {
                id: row.id,
                exam: row.exam_code,
                mode: row.mode,
                started_at: row.started_at,
                state,
            });
        }
        Ok(entries)
    }
}

/// Item `n` reviewed: options in display order with their rationales, the key in display
/// ids, the candidate's response and whether it earned the credit.
pub(crate) fn review(
    n: usize,
    item: &FormItem,
    revision: &Revision,
    response: Option<Response>,
    correct: bool,
    flagged: bool,
) -> ReviewedItem {
    let part = &revision.question.parts[item.part];
    let texts = revision.texts();
    let part_texts = &texts.parts[item.part];
    let options: Vec<ReviewedOption> = item
        .order
        .iter()
        .zip(item.display_ids())
        .filter_map(|(original, display)| {
            let o = part.options.get(*original)?;
            let (text, rationale) = part_texts.options.get(*original)?;
            Some(ReviewedOption {
                id: display.to_string(),
                text: text.clone(),
                rationale: rationale.clone(),
                correct: o.correct,
                position: (part.kind == PartKind::Ordering).then_some(*original + 1),
            })
        })
        .collect();
    ReviewedItem {
        n,
        id: revision.id.to_string(),
        revision: item.hash.clone(),
        kind: part.kind,
        domain: item.domain,
        task: format!("{}.{}", item.domain, item.task),
        scored: item.scored,
        stem: part_texts.stem.clone(),
        scenario: texts.scenario.clone(),
        options,
        prompts: (part.kind == PartKind::Matching).then(|| {
            part.prompts
                .iter()
                .zip(&part_texts.prompts)
                .map(|(p, text)| ReviewedPrompt {
                    id: p.id.to_string(),
                    text: text.clone(),
                    answer: item.to_display(p.answer).to_string(),
                })
                .collect()
        }),
        response,
        key: item.key(part),
        correct,
        flagged,
        explanation: part_texts.explanation.clone(),
        references: texts.references.clone(),
    }
}
