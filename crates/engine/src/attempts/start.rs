//! Starting a sitting: the form is drawn (blueprint for a simulation, filters for practice,
//! the missed or due items, or a drill's first item), every item's option order is fixed, and
//! one row is written.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use time::{Duration, OffsetDateTime};

use getmycert_core::draw::{DrawError, Slot, draw_exam, draw_practice};
use getmycert_core::{Exam, FormItem, Mode, QuestionId};
use getmycert_store::NewAttempt;

use super::{AttemptView, ItemState, StartRequest, StoredResult};
use crate::{Engine, EngineError};

/// The range of a practice set's or drill's length.
const COUNTS: std::ops::RangeInclusive<usize> = 5..=100;

/// A new attempt id: 256 random bits in hex, so an id alone reveals nothing.
fn new_id() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn check_count(count: usize) -> Result<usize, EngineError> {
    if COUNTS.contains(&count) {
        Ok(count)
    } else {
        Err(EngineError::invalid(format!(
            "count must be 5 to 100, not {count}"
        )))
    }
}

fn check_domains(exam: &Exam, domains: &[u8]) -> Result<(), EngineError> {
    match domains
        .iter()
        .find(|d| !exam.domains.iter().any(|x| x.number == **d))
    {
        Some(d) => Err(EngineError::invalid(format!(
            "{} has no domain {d}",
            exam.code
        ))),
        None => Ok(()),
    }
}

/// Task statements written like `3.2`.
fn parse_tasks(tasks: &[String]) -> Result<Vec<(u8, u8)>, EngineError> {
    tasks
        .iter()
        .map(|t| {
            t.split_once('.')
                .and_then(|(d, n)| Some((d.parse().ok()?, n.parse().ok()?)))
                .ok_or_else(|| EngineError::invalid(format!("task `{t}` must look like 3.2")))
        })
        .collect()
}

impl Engine {
    /// Starts an attempt: draws the form, fixes option orders, writes one row.
    pub async fn start(
        &self,
        owner: &str,
        request: &StartRequest,
        now: OffsetDateTime,
    ) -> Result<AttemptView, EngineError> {
        let exam = self.exam(&request.exam)?;
        let seed = request
            .seed
            .unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0);
        let bank = self.bank(exam, owner).await?;
        let draw_error =
            |e: DrawError| EngineError::invalid(format!("{} cannot be drawn: {e}", exam.code));
        let mut settings = None;
        let (slots, deadline): (Vec<Slot>, Option<OffsetDateTime>) = match request.mode {
            Mode::Drill => {
                let cap =
                    check_count(request.count.unwrap_or(getmycert_core::adaptive::MAX_ITEMS))?;
                check_domains(exam, &request.domains)?;
                let (slots, drill) = self
                    .start_drill(exam, owner, &bank, &request.domains, cap, seed)
                    .await?;
                settings = Some(serde_json::to_string(&drill)?);
                (slots, None)
            }
            Mode::Exam => {
                let minutes =
                    i64::from(exam.minutes.value) + if request.accommodation { 30 } else { 0 };
                (
                    draw_exam(exam, &bank.candidates, seed).map_err(draw_error)?,
                    Some(now + Duration::minutes(minutes)),
                )
            }
            Mode::Practice | Mode::Missed | Mode::Review => {
                let count = check_count(request.count.unwrap_or(20))?;
                let tasks = parse_tasks(&request.tasks)?;
                check_domains(exam, &request.domains)?;
                let only = match request.mode {
                    Mode::Missed => Some(self.missed(owner, exam).await?),
                    Mode::Review => {
                        let mut due = self.due_items(owner, exam, now).await?;
                        due.truncate(count);
                        Some(due)
                    }
                    _ => None,
                };
                let pool: Vec<_> = bank
                    .candidates
                    .iter()
                    .filter(|c| request.domains.is_empty() || request.domains.contains(&c.domain))
                    .filter(|c| tasks.is_empty() || tasks.contains(&(c.domain, c.task)))
                    .filter(|c| only.as_ref().is_none_or(|m| m.contains(&c.id)))
                    .cloned()
                    .collect();
                let count = match &only {
                    Some(_) => count.min(pool.iter().map(|c| c.parts).sum()),
                    None => count,
                };
                if count == 0 {
                    return Err(EngineError::invalid(match request.mode {
                        Mode::Review => "nothing is due for review in this exam",
                        _ => "you have no missed questions to retry for this exam",
                    }));
                }
                let minutes_per_item =
                    f64::from(exam.minutes.value) / f64::from(exam.questions.total().max(1));
                let deadline = request.timed.unwrap_or(false).then(|| {
                    now + Duration::seconds((minutes_per_item * 60.0 * count as f64).ceil() as i64)
                });
                (
                    draw_practice(&pool, count, seed).map_err(draw_error)?,
                    deadline,
                )
            }
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15);
        let items: Vec<FormItem> = slots
            .into_iter()
            .map(|slot| {
                let options = bank.options(&slot.id, slot.part);
                FormItem::from_slot(slot, options, &mut rng)
            })
            .collect();
        let row = NewAttempt {
            id: new_id(),
            owner: owner.to_owned(),
            exam_code: exam.code.to_string(),
            mode: request.mode,
            seed: seed as i64,
            items: serde_json::to_string(&items)?,
            started_at: now,
            deadline,
            settings,
        };
        self.store().create_attempt(&row).await?;
        if request.mode == Mode::Drill {
            return self.view(owner, &row.id, now).await;
        }
        // A fresh attempt: its view needs no read, and its form goes straight to the cache.
        let view = AttemptView {
            id: row.id.clone(),
            exam: row.exam_code,
            mode: row.mode,
            total: items.len(),
            answered: 0,
            flagged: 0,
            started_at: now,
            deadline,
            seconds_left: deadline.map(|d| (d - now).whole_seconds().max(0)),
            submitted: false,
            items: (1..=items.len())
                .map(|n| ItemState {
                    n,
                    answered: false,
                    flagged: false,
                })
                .collect(),
            drill: None,
        };
        let form = self.cached_form(owner, deadline, &items).await?;
        if self.sole_writer {
            // Nothing is answered yet: serving its items needs no query.
            self.cache.new_answers(&row.id, items.len());
        }
        self.cache.keep_form(row.id, Arc::new(form));
        Ok(view)
    }

    /// Items this identity answered wrong on their latest answer and not right since.
    pub(crate) async fn missed(
        &self,
        owner: &str,
        exam: &Exam,
    ) -> Result<Vec<QuestionId>, EngineError> {
        let mut rows = self.store().attempts_of(owner).await?;
        rows.retain(|r| r.exam_code == exam.code.as_str() && r.submitted_at.is_some());
        rows.sort_by_key(|r| r.started_at);
        let mut last: BTreeMap<QuestionId, bool> = BTreeMap::new();
        for row in rows {
            let Some(result) = row.result.as_deref() else {
                continue;
            };
            for (id, correct) in serde_json::from_str::<StoredResult>(result)?.outcomes {
                last.insert(id, correct);
            }
        }
        Ok(last
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(id, _)| id)
            .collect())
    }
}
