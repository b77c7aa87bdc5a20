//! Submitting: every item is scored once from the saved answers, the result is stored, and
//! every answered question grades its card.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::OffsetDateTime;

use getmycert_core::scoring::is_correct;
use getmycert_core::scoring::scaled::{Outcome, summarize};
use getmycert_core::{FormItem, Mode, Question, QuestionId};
use getmycert_store::{AttemptRow, ResponseRow};

use super::report::review;
use super::{Report, StoredResult};
use crate::{Engine, EngineError, form};

impl Engine {
    /// Submits: scores every scored item once, stores the result. Submitting twice is refused.
    pub async fn submit(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Report, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        if row.submitted_at.is_some() {
            return Err(EngineError::Conflict(
                "the attempt is already submitted".into(),
            ));
        }
        let saved = self.store().responses(id).await?;
        let (report, stored) = self.score(&row, &items, &saved, now).await?;
        let outcomes: BTreeMap<usize, bool> = stored
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, (_, correct))| (i + 1, *correct))
            .collect();
        let reviews = self.graded(&row, &items, &saved, &outcomes, now).await?;
        if !self
            .store()
            .submit_attempt(id, &serde_json::to_string(&stored)?, now, &reviews)
            .await?
        {
            return Err(EngineError::Conflict(
                "the attempt is already submitted".into(),
            ));
        }
        self.cache.forget_attempt(id);
        Ok(report)
    }

    /// The report of the saved answers as they stand at `ended`, and what submit stores.
    pub(super) async fn score(
        &self,
        row: &AttemptRow,
        items: &[FormItem],
        saved: &[ResponseRow],
        ended: OffsetDateTime,
    ) -> Result<(Report, StoredResult), EngineError> {
        let exam = self.exam(&row.exam_code)?;
        let mut reviewed = Vec::with_capacity(items.len());
        let mut outcomes = Vec::new();
        let mut per_item: Vec<(QuestionId, bool)> = Vec::with_capacity(items.len());
        let mut scored: Vec<(Arc<Question>, usize, u8, bool)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let (revision, p) = self.revision(item).await?;
            let question = &revision.question;
            let part = &question.parts[p];
            let (response, flagged) = form::saved_response(saved, n)?;
            let original = response.as_ref().map(|r| item.to_original(r));
            let correct = is_correct(part, original.as_ref());
            if item.scored {
                outcomes.push(Outcome {
                    domain: item.domain,
                    correct,
                });
                scored.push((question.clone(), item.part, item.domain, correct));
            }
            per_item.push((item.id.clone(), correct));
            reviewed.push(review(n, item, &revision, response, correct, flagged));
        }
        let summary = summarize(exam, &outcomes);
        let irt = match row.mode {
            Mode::Exam => {
                let refs: Vec<(&Question, usize, u8, bool)> = scored
                    .iter()
                    .map(|(q, p, d, c)| (q.as_ref(), *p, *d, *c))
                    .collect();
                self.calibrated_estimate(exam, &refs).await?
            }
            _ => None,
        };
        let report = Report {
            irt,
            id: row.id.clone(),
            exam: row.exam_code.clone(),
            mode: row.mode,
            summary: summary.clone(),
            seconds_used: (ended - row.started_at).whole_seconds().max(0),
            items: reviewed,
        };
        Ok((
            report,
            StoredResult {
                summary,
                outcomes: per_item,
            },
        ))
    }
}
