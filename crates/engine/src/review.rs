//! Spaced repetition in the engine: answers become FSRS grades on one card per (identity,
//! item), and the due queue per exam feeds review sets.
//!
//! When an answer is graded:
//! - practice, missed-question, review and drill sets: when its feedback is revealed (the
//!   runner's answer form, or the API's feedback POST; the key is then known, so later changes
//!   teach nothing), and at submit for answers never revealed;
//! - exam simulations: at submit, every answered item.
//!
//! A case study is one card: it is graded once all its parts in the attempt are answered,
//! right only if every part is right.
//!
//! The time an answer took is the gap between its save and the save before it in the attempt
//! (or the start). In a simulation answers are revisited in review passes, so time is not read
//! there: a right answer is Good, or Hard if it was changed.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::{Duration, OffsetDateTime};

use getmycert_core::review::{Grade, MIN_REVIEWS_FOR_FIT, Memory, fit_parameters, grade, schedule};
use getmycert_core::{Exam, FormItem, Mode, Question, QuestionId};
use getmycert_store::{AttemptRow, CardReview, CardRow, ResponseRow};

use crate::{Engine, EngineError};

/// Desired retention when an identity has not chosen one.
pub const DEFAULT_RETENTION: f64 = 0.9;

/// The review queue of one exam for one identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueCount {
    /// Exam code.
    pub exam: String,
    /// Cards due now.
    pub due: usize,
    /// Every card of this exam (items answered at least once).
    pub cards: usize,
    /// When the next card not yet due falls due (RFC 3339), if any.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_due_at: Option<OffsetDateTime>,
}

/// A learner's review queues and the retention they are scheduled for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewQueue {
    /// Per exam, in catalog order.
    #[serde(rename = "exams")]
    pub queues: Vec<DueCount>,
    /// Cards due now over all exams (an item mapped to two exams counts once per exam).
    pub due: usize,
    /// The probability of recall reviews are scheduled for (0.70–0.99).
    #[serde(rename = "desired_retention")]
    pub retention: f64,
}

/// An answer's grade inputs, summed over a question's parts in one attempt.
#[derive(Debug, Clone, Copy)]
struct Answered {
    n: usize,
    correct: bool,
    seconds: f64,
    changed: bool,
}

/// Seconds each answer took: the gap to the save before it (or the attempt's start).
fn answer_seconds(row: &AttemptRow, saved: &[ResponseRow]) -> BTreeMap<usize, f64> {
    let mut answered: Vec<(OffsetDateTime, usize)> = saved
        .iter()
        .filter(|r| r.response.is_some())
        .map(|r| (r.answered_at, r.n as usize))
        .collect();
    answered.sort();
    let mut before = row.started_at;
    answered
        .into_iter()
        .map(|(at, n)| {
            let seconds = (at - before).as_seconds_f64().max(0.0);
            before = at;
            (n, seconds)
        })
        .collect()
}

/// Whether the question `id` is mapped to `exam`.
fn maps_to(questions: &HashMap<&str, &Question>, id: &str, exam: &Exam) -> bool {
    questions
        .get(id)
        .is_some_and(|q| q.mapping_for(&exam.code).is_some())
}

/// A card's next state after grade `g`, and the log entry that records it.
#[allow(clippy::too_many_arguments)]
fn next_card(
    row: &AttemptRow,
    id: &QuestionId,
    n: usize,
    g: Grade,
    previous: Option<&CardRow>,
    retention: f32,
    parameters: &[f32],
    now: OffsetDateTime,
) -> Result<(CardReview, CardRow), EngineError> {
    // Cards keep whole seconds.
    let at = now.replace_nanosecond(0).unwrap_or(now);
    let elapsed_days = previous.map_or(0, |c| (at - c.last_review_at).whole_days().max(0) as u32);
    let memory = previous.map(|c| Memory {
        stability: c.stability as f32,
        difficulty: c.difficulty as f32,
    });
    let next = schedule(memory, g, elapsed_days, retention, parameters)
        .map_err(|e| EngineError::Internal(e.to_string()))?;
    let card = CardRow {
        owner: row.owner.clone(),
        question_id: id.to_string(),
        stability: f64::from(next.memory.stability),
        difficulty: f64::from(next.memory.difficulty),
        due_at: at + Duration::days(i64::from(next.interval_days)),
        last_review_at: at,
        reps: previous.map_or(0, |c| c.reps) + 1,
        lapses: previous.map_or(0, |c| c.lapses) + i32::from(g == Grade::Again),
    };
    let review = CardReview {
        attempt_id: row.id.clone(),
        n: n as i32,
        owner: row.owner.clone(),
        question_id: id.to_string(),
        grade: g,
        reviewed_at: at,
        elapsed_days: elapsed_days as i32,
    };
    Ok((review, card))
}

impl Engine {
    /// The identity's desired retention (0.70–0.99).
    pub async fn retention(&self, owner: &str) -> Result<f64, EngineError> {
        Ok(self
            .store()
            .desired_retention(owner)
            .await?
            .unwrap_or(DEFAULT_RETENTION))
    }

    /// Sets the desired retention; outside 0.70–0.99 is refused with the reason.
    pub async fn set_retention(&self, owner: &str, retention: f64) -> Result<(), EngineError> {
        if !(0.7..=0.99).contains(&retention) {
            return Err(EngineError::invalid(format!(
                "desired retention must be between 0.70 and 0.99, not {retention}"
            )));
        }
        Ok(self.store().set_desired_retention(owner, retention).await?)
    }

    /// Grades every question of the attempt whose parts are all answered and known right or
    /// wrong in `outcomes` (item number → correct). Each question is graded once per attempt.
    pub(crate) async fn grade_answers(
        &self,
        row: &AttemptRow,
        items: &[FormItem],
        saved: &[ResponseRow],
        outcomes: &BTreeMap<usize, bool>,
        now: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let batch = self.graded(row, items, saved, outcomes, now).await?;
        if !batch.is_empty() {
            self.store().record_reviews(&batch).await?;
        }
        Ok(())
    }

    /// The review-log entries and new card states of [`Engine::grade_answers`], to write.
    pub(crate) async fn graded(
        &self,
        row: &AttemptRow,
        items: &[FormItem],
        saved: &[ResponseRow],
        outcomes: &BTreeMap<usize, bool>,
        now: OffsetDateTime,
    ) -> Result<Vec<(CardReview, CardRow)>, EngineError> {
        let exam = self.exam(&row.exam_code)?;
        let expected = f64::from(exam.minutes.value) * 60.0 / f64::from(exam.questions.total());
        let timed = row.mode != Mode::Exam;
        let seconds = answer_seconds(row, saved);
        let mut questions: BTreeMap<&QuestionId, Option<Answered>> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let response = saved
                .iter()
                .find(|r| r.n as usize == n && r.response.is_some());
            let entry = questions.entry(&item.id).or_insert(Some(Answered {
                n,
                correct: true,
                seconds: 0.0,
                changed: false,
            }));
            match (response, outcomes.get(&n), entry.as_mut()) {
                (Some(r), Some(correct), Some(a)) => {
                    a.correct &= *correct;
                    a.seconds += seconds.get(&n).copied().unwrap_or(expected);
                    a.changed |= r.changes > 0;
                }
                _ => *entry = None,
            }
        }
        let retention = self.retention(&row.owner).await? as f32;
        let parameters = self.own_parameters(&row.owner).await?;
        let cards: HashMap<String, CardRow> = self
            .store()
            .cards_of(&row.owner)
            .await?
            .into_iter()
            .map(|c| (c.question_id.clone(), c))
            .collect();
        let mut batch = Vec::new();
        for (id, answered) in questions {
            let Some(a) = answered else { continue };
            let seconds = if timed { a.seconds } else { expected };
            let g = grade(a.correct, seconds, expected, a.changed);
            let previous = cards.get(id.as_str());
            batch.push(next_card(
                row,
                id,
                a.n,
                g,
                previous,
                retention,
                &parameters,
                now,
            )?);
        }
        Ok(batch)
    }

    /// The identity's own FSRS parameters, or none (the defaults).
    async fn own_parameters(&self, owner: &str) -> Result<Vec<f32>, EngineError> {
        Ok(self
            .store()
            .fsrs_parameters(owner)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default())
    }

    /// Fits the FSRS parameters of every identity with enough reviews (training runs on a
    /// blocking thread, off the request path); returns how many were fitted.
    pub async fn fit_schedules(&self) -> Result<usize, EngineError> {
        let mut fitted = 0;
        for owner in self
            .store()
            .owners_with_reviews(MIN_REVIEWS_FOR_FIT as i64)
            .await?
        {
            let mut cards: BTreeMap<String, Vec<(Grade, u32)>> = BTreeMap::new();
            for r in self.store().reviews_of(&owner).await? {
                cards
                    .entry(r.question_id)
                    .or_default()
                    .push((r.grade, r.elapsed_days.max(0) as u32));
            }
            let history: Vec<Vec<(Grade, u32)>> = cards.into_values().collect();
            let result = tokio::task::spawn_blocking(move || fit_parameters(&history)).await?;
            match result {
                Ok(Some(parameters)) => {
                    let json = serde_json::to_string(&parameters)?;
                    self.store().set_fsrs_parameters(&owner, &json).await?;
                    fitted += 1;
                }
                Ok(None) => {}
                // A history the trainer cannot use keeps the defaults; it is not fatal.
                Err(e) => tracing::warn!(%owner, error = %e, "FSRS parameters not fitted"),
            }
        }
        Ok(fitted)
    }

    /// The items of the exam `code` this identity got wrong on its latest answer and has not
    /// answered right since, in bank order ("my missed questions"). Their keys are no secret:
    /// the identity has seen each one's report. `None` for an exam the catalog lacks.
    pub async fn missed_questions(
        &self,
        owner: &str,
        code: &str,
    ) -> Result<Option<(&Exam, Vec<Question>)>, EngineError> {
        let Some(exam) = self
            .content()
            .exams
            .iter()
            .find(|e| e.code.as_str() == code)
        else {
            return Ok(None);
        };
        let missed = self.missed(owner, exam).await?;
        let questions = self
            .content()
            .questions
            .iter()
            .filter(|q| missed.contains(&q.id))
            .cloned()
            .collect();
        Ok(Some((exam, questions)))
    }

    /// Every exam's review queue and the desired retention.
    pub async fn review_overview(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<ReviewQueue, EngineError> {
        let queues = self.due(owner, now).await?;
        Ok(ReviewQueue {
            due: queues.iter().map(|q| q.due).sum(),
            retention: self.retention(owner).await?,
            queues,
        })
    }

    /// The review queue of every exam in the catalog, in catalog order.
    pub async fn due(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<DueCount>, EngineError> {
        let cards = self.store().cards_of(owner).await?;
        let questions = self.questions_by_id();
        Ok(self
            .content()
            .exams
            .iter()
            .map(|exam| {
                let mine: Vec<&CardRow> = cards
                    .iter()
                    .filter(|c| maps_to(&questions, &c.question_id, exam))
                    .collect();
                DueCount {
                    exam: exam.code.to_string(),
                    due: mine.iter().filter(|c| c.due_at <= now).count(),
                    cards: mine.len(),
                    next_due_at: mine.iter().map(|c| c.due_at).filter(|d| *d > now).min(),
                }
            })
            .collect())
    }

    /// The items of `exam` due now, most overdue first.
    pub(crate) async fn due_items(
        &self,
        owner: &str,
        exam: &Exam,
        now: OffsetDateTime,
    ) -> Result<Vec<QuestionId>, EngineError> {
        let cards = self.store().cards_of(owner).await?;
        let questions = self.questions_by_id();
        Ok(cards
            .iter()
            .filter(|c| c.due_at <= now && maps_to(&questions, &c.question_id, exam))
            .filter_map(|c| QuestionId::parse(&c.question_id).ok())
            .collect())
    }
}
