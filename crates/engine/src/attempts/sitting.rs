//! During a sitting: items served without keys, answers saved as they are given (a reload or
//! a crash loses nothing), and, outside simulations, feedback on answered items.
//!
//! Revealing feedback grades the item's spaced-repetition card (once per attempt item; a case
//! study once all its parts are answered): the runner's answer form and the API's feedback
//! POST reveal; reading feedback again, or saving through the API, does not grade.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use getmycert_core::scoring::{Response, is_correct};
use getmycert_core::{FormItem, PartKind};
use getmycert_store::AnswerWrite;

use super::report::review;
use super::{AttemptView, ReviewedItem, Saved, ServedItem, ServedOption};
use crate::{Engine, EngineError, form};

/// What the runner page shows for item `n`.
#[derive(Debug, Clone)]
pub enum Runner {
    /// The attempt takes no more answers: the report is next.
    Closed,
    Open(Box<OpenItem>),
}

/// An item of an attempt that still takes answers.
#[derive(Debug, Clone)]
pub struct OpenItem {
    pub attempt: AttemptView,
    pub item: ServedItem,
    /// Feedback on the answered item, outside simulations.
    pub feedback: Option<ReviewedItem>,
}

fn item_at(items: &[FormItem], n: usize) -> Result<&FormItem, EngineError> {
    items.get(n.wrapping_sub(1)).ok_or(EngineError::NotFound)
}

impl Engine {
    /// The saved answer to item `n` of a form of `items` items: from memory when this engine
    /// is its database's only writer and the form is fixed (read once per attempt; a growing
    /// drill is not held), otherwise one query.
    async fn saved_answer(
        &self,
        id: &str,
        n: usize,
        items: Option<usize>,
    ) -> Result<(Option<Response>, bool), EngineError> {
        let Some(items) = items.filter(|_| self.sole_writer) else {
            let row = self
                .reads
                .response(&self.store, id, n as i32)
                .await
                .ok_or_else(|| EngineError::Internal("the answer reader stopped".into()))??;
            return form::parse_saved(row.as_ref());
        };
        let writes = match self.cache.answer(id, n) {
            Ok(answer) => return Ok(answer),
            Err(writes) => writes,
        };
        let saved = self.store().responses(id).await?;
        let all = (1..=items)
            .map(|i| form::saved_response(&saved, i))
            .collect::<Result<Vec<_>, _>>()?;
        let answer = all.get(n.wrapping_sub(1)).cloned().unwrap_or((None, false));
        self.cache.hold_answers(id, writes, all);
        Ok(answer)
    }

    /// Item `n` (1-based) as served: no key, rationale or correctness. The form and the
    /// revision come from the cache; the saved answer from memory or one query (see
    /// `cache.rs`).
    pub async fn item(&self, owner: &str, id: &str, n: usize) -> Result<ServedItem, EngineError> {
        let (form, drill) = self.form(owner, id).await?;
        let cached = form
            .items
            .get(n.wrapping_sub(1))
            .ok_or(EngineError::NotFound)?;
        let item = cached.form_item();
        let question = &cached.revision.question;
        let part = &question.parts[usize::from(cached.part)];
        let texts = cached.revision.texts();
        let part_texts = &texts.parts[usize::from(cached.part)];
        let (response, flagged) = self
            .saved_answer(id, n, drill.is_none().then_some(form.items.len()))
            .await?;
        Ok(ServedItem {
            n,
            kind: part.kind,
            stem: part_texts.stem.clone(),
            options: item
                .order
                .iter()
                .zip(item.display_ids())
                .filter_map(|(original, display)| {
                    Some(ServedOption {
                        id: display.to_string(),
                        text: part_texts.options.get(*original)?.0.clone(),
                    })
                })
                .collect(),
            prompts: (part.kind == PartKind::Matching).then(|| {
                part.prompts
                    .iter()
                    .zip(&part_texts.prompts)
                    .map(|(p, text)| ServedOption {
                        id: p.id.to_string(),
                        text: text.clone(),
                    })
                    .collect()
            }),
            select: (part.kind == PartKind::Multiple).then(|| part.select()),
            scenario: texts.scenario.clone(),
            flagged,
            response,
        })
    }

    /// What the runner shows for item `n`: the attempt, the item, and feedback on an answered
    /// item outside simulations. Reading it writes nothing.
    pub async fn runner(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        now: OffsetDateTime,
    ) -> Result<Runner, EngineError> {
        let attempt = self.view(owner, id, now).await?;
        if attempt.closed() {
            return Ok(Runner::Closed);
        }
        let item = self.item(owner, id, n).await?;
        let feedback = if attempt.mode.gives_feedback() && item.response.is_some() {
            Some(self.feedback(owner, id, n).await?)
        } else {
            None
        };
        Ok(Runner::Open(Box::new(OpenItem {
            attempt,
            item,
            feedback,
        })))
    }

    /// Saves a response (and/or the flag) to item `n`: a check against the cached item and
    /// one guarded upsert, grouped with the saves that arrive at the same time (`saves.rs`). Idempotent; refused once the attempt is submitted or past its
    /// deadline. A drill answered at its last item grows by one.
    pub async fn respond(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        response: Option<Response>,
        flagged: Option<bool>,
        now: OffsetDateTime,
    ) -> Result<Saved, EngineError> {
        let (form, drill) = self.form(owner, id).await?;
        let cached = form.items.get(n.wrapping_sub(1)).ok_or_else(|| {
            EngineError::invalid(format!(
                "item {n} is out of range: this attempt has items 1 to {}",
                form.items.len()
            ))
        })?;
        if form.deadline.is_some_and(|d| now >= d) {
            return Err(EngineError::Conflict(
                "the time is up: the attempt takes no more answers".into(),
            ));
        }
        if let Some(r) = &response {
            let part = &cached.revision.question.parts[usize::from(cached.part)];
            cached
                .form_item()
                .validate(part, r)
                .map_err(|e| EngineError::invalid(e.to_string()))?;
        }
        let json = response.as_ref().map(serde_json::to_string).transpose()?;
        let answered = json.is_some();
        let write = AnswerWrite {
            attempt_id: id.to_owned(),
            n: n as i32,
            response: json,
            flagged,
            at: now,
        };
        let cached = (self.sole_writer && drill.is_none()).then_some(response);
        let saved = self
            .saves
            .save(&self.store, &self.cache, write, cached)
            .await
            .ok_or_else(|| EngineError::Internal("the answer writer stopped".into()))??
            .ok_or_else(|| EngineError::Conflict("the attempt is already submitted".into()))?;
        if let (Some((row, items)), true) = (&drill, answered) {
            self.drill_step(owner, row, items, n).await?;
        }
        Ok(Saved {
            n,
            answered: saved.answered,
            flagged: saved.flagged,
            seconds_left: form.deadline.map(|d| (d - now).whole_seconds().max(0)),
        })
    }

    /// The runner's answer form: saves like [`Engine::respond`], then, outside simulations,
    /// reveals the item's feedback (grading its card). Returns the attempt as it now stands.
    pub async fn answer(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        response: Option<Response>,
        flagged: Option<bool>,
        now: OffsetDateTime,
    ) -> Result<AttemptView, EngineError> {
        if response.is_some() || flagged.is_some() {
            self.respond(owner, id, n, response, flagged, now).await?;
        }
        let view = self.view(owner, id, now).await?;
        let answered = view
            .items
            .get(n.wrapping_sub(1))
            .is_some_and(|i| i.answered);
        if view.mode.gives_feedback() && answered && !view.submitted {
            self.grade_revealed(owner, id, n, now).await?;
        }
        Ok(view)
    }

    /// Practice feedback on one answered item: the key, every rationale, the explanation.
    /// Never for a simulation before it is submitted. Reading it writes nothing.
    pub async fn feedback(
        &self,
        owner: &str,
        id: &str,
        n: usize,
    ) -> Result<ReviewedItem, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        let item = item_at(&items, n)?;
        if !row.mode.gives_feedback() && row.submitted_at.is_none() {
            return Err(EngineError::Conflict(
                "an exam simulation gives no feedback until it is submitted".into(),
            ));
        }
        let saved = self.store().responses(id).await?;
        let (response, flagged) = form::saved_response(&saved, n)?;
        if response.is_none() {
            return Err(EngineError::invalid(
                "answer the question to see the feedback",
            ));
        }
        let (revision, p) = self.revision(item).await?;
        let original = response.as_ref().map(|r| item.to_original(r));
        let correct = is_correct(&revision.question.parts[p], original.as_ref());
        Ok(review(n, item, &revision, response, correct, flagged))
    }

    /// Reveals the feedback on item `n` and grades its card (once per attempt item).
    pub async fn reveal(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        now: OffsetDateTime,
    ) -> Result<ReviewedItem, EngineError> {
        let reviewed = self.feedback(owner, id, n).await?;
        self.grade_revealed(owner, id, n, now).await?;
        Ok(reviewed)
    }

    /// Grades the question of item `n` once all its parts in the attempt are answered (a case
    /// study is one card); an attempt already submitted was graded at submit.
    async fn grade_revealed(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        now: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        if !row.mode.gives_feedback() || row.submitted_at.is_some() {
            return Ok(());
        }
        let item = item_at(&items, n)?;
        let saved = self.store().responses(id).await?;
        let mut outcomes = BTreeMap::new();
        for (i, sibling) in items.iter().enumerate() {
            if sibling.id != item.id {
                continue;
            }
            if let (Some(r), _) = form::saved_response(&saved, i + 1)? {
                let (revision, p) = self.revision(sibling).await?;
                let part = &revision.question.parts[p];
                outcomes.insert(i + 1, is_correct(part, Some(&sibling.to_original(&r))));
            }
        }
        self.grade_answers(&row, &items, &saved, &outcomes, now)
            .await
    }
}
