//! Attempts: start (draw a form, shuffle options once, write one row), serve items without
//! keys, save responses as they are given, submit (score once) and report.
//!
//! Option ids shown to the candidate are display letters (A, B, … in the shuffled order), never
//! the item's own letters, so nothing on the page hints at an ordering key.

use std::collections::{BTreeMap, HashMap};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use getmycert_content::Content;
use getmycert_core::draw::{Candidate, DrawError, Slot, draw_exam, draw_practice, permutation};
use getmycert_core::scoring::scaled::{Outcome, Summary, summarize};
use getmycert_core::scoring::{Response, is_correct};
use getmycert_core::{Exam, ExamCode, ItemStatus, Part, PartKind, Question, QuestionId};
use getmycert_store::{AttemptRow, NewAttempt, QuestionFilter, ResponseRow, Store, StoreError};

/// Why an attempt operation failed; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// Unknown attempt, another identity's attempt, or an item number out of range (404).
    #[error("not found")]
    NotFound,
    /// The request is well-formed but cannot be met (422).
    #[error("{0}")]
    Invalid(String),
    /// The attempt no longer takes answers: submitted or past its deadline (409).
    #[error("{0}")]
    Closed(String),
    #[error("store: {0}")]
    Store(#[from] StoreError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// What kind of sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A timed simulation: real counts, minutes and blueprint; no feedback until submitted.
    Exam,
    /// A practice set with immediate feedback.
    Practice,
    /// Everything this identity got wrong and has not since answered right.
    Missed,
    /// The spaced-repetition queue: items whose cards are due, most overdue first.
    Review,
    /// An adaptive drill: each next item chosen for the current ability, until it is known
    /// precisely enough.
    Drill,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Exam => "exam",
            Mode::Practice => "practice",
            Mode::Missed => "missed",
            Mode::Review => "review",
            Mode::Drill => "drill",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [
            Mode::Exam,
            Mode::Practice,
            Mode::Missed,
            Mode::Review,
            Mode::Drill,
        ]
        .into_iter()
        .find(|m| m.as_str() == raw)
    }
}

/// A request to start an attempt, as the API and the start form send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub exam: String,
    pub mode: String,
    /// Replays the same form.
    #[serde(default)]
    pub seed: Option<u64>,
    /// Practice: domains to draw from (all when empty).
    #[serde(default)]
    pub domains: Vec<u8>,
    /// Practice: task statements such as "3.2" (all when empty).
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Practice: number of questions, 5–100.
    #[serde(default)]
    pub count: Option<usize>,
    /// Practice: whether a timer runs.
    #[serde(default)]
    pub timed: Option<bool>,
    /// Exam: +30 minutes, as AWS grants candidates taking the exam in a second language.
    #[serde(default)]
    pub accommodation: bool,
}

/// One item of the form as stored in the attempt row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormItem {
    pub id: QuestionId,
    pub hash: String,
    pub part: usize,
    pub scored: bool,
    pub domain: u8,
    pub task: u8,
    /// Display position → index into the part's options.
    pub order: Vec<usize>,
}

impl FormItem {
    /// The slot with its options (`options` of them) in a fresh random order.
    pub(super) fn from_slot(slot: Slot, options: usize, rng: &mut ChaCha8Rng) -> Self {
        FormItem {
            order: permutation(options, rng),
            id: slot.id,
            hash: slot.hash,
            part: slot.part,
            scored: slot.scored,
            domain: slot.domain,
            task: slot.task,
        }
    }
}

/// An option or prompt as served: display id and Markdown text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ServedOption {
    pub id: String,
    pub text: String,
}

/// An item as served before submit: no key, rationale or correctness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ServedItem {
    pub n: usize,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub stem: String,
    pub options: Vec<ServedOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Vec<ServedOption>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub select: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub flagged: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
}

/// The state of one item in an attempt summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ItemState {
    pub n: usize,
    pub answered: bool,
    pub flagged: bool,
}

/// An attempt as its owner sees it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    pub drill: Option<super::drill::DrillState>,
}

/// One option in the review after submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewedOption {
    pub id: String,
    pub text: String,
    pub rationale: String,
    /// A key (single/multiple), or for ordering the step's correct position (1-based).
    pub correct: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// One item in the review after submit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewedItem {
    pub n: usize,
    pub id: String,
    /// The revision answered (for reporting a problem with exactly what was seen).
    pub revision: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub domain: u8,
    pub task: String,
    pub scored: bool,
    pub stem: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    pub options: Vec<ReviewedOption>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prompts: Option<Vec<ReviewedPrompt>>,
    pub response: Option<Response>,
    /// The key in display ids, in the response's own shape.
    pub key: Response,
    pub correct: bool,
    pub flagged: bool,
    pub explanation: String,
    pub references: Vec<String>,
}

/// A matching prompt in the review, with its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ReviewedPrompt {
    pub id: String,
    pub text: String,
    pub answer: String,
}

/// The report of a submitted attempt.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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

fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

fn kind_name(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Single => "single",
        PartKind::Multiple => "multiple",
        PartKind::Ordering => "ordering",
        PartKind::Matching => "matching",
    }
}

fn new_id() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub(super) fn parse_items(row: &AttemptRow) -> Result<Vec<FormItem>, EngineError> {
    serde_json::from_str(&row.items)
        .map_err(|e| EngineError::Corrupt(format!("attempt {}: {e}", row.id)))
}

/// The attempt engine over one store and the loaded content.
#[derive(Debug, Clone, Copy)]
pub struct Engine<'a> {
    pub store: &'a dyn Store,
    pub content: &'a Content,
}

impl<'a> Engine<'a> {
    pub fn new(store: &'a dyn Store, content: &'a Content) -> Self {
        Self { store, content }
    }

    pub(super) fn exam(&self, raw: &str) -> Result<&'a Exam, EngineError> {
        let code = ExamCode::parse(raw).map_err(|e| EngineError::Invalid(e.to_string()))?;
        self.content
            .exam(&code)
            .ok_or_else(|| EngineError::Invalid(format!("there is no exam {code} in the catalog")))
    }

    /// When this identity last saw each item (unix seconds of the attempt start).
    async fn last_seen(&self, owner: &str) -> Result<HashMap<QuestionId, i64>, EngineError> {
        let mut seen = HashMap::new();
        for row in self.store.attempts_of(owner).await? {
            let at = row.started_at.unix_timestamp();
            for item in parse_items(&row)? {
                let entry = seen.entry(item.id).or_insert(at);
                *entry = (*entry).max(at);
            }
        }
        Ok(seen)
    }

    /// The live and pilot items of an exam, as draw candidates.
    pub(super) async fn candidates(
        &self,
        exam: &Exam,
        owner: &str,
    ) -> Result<(Vec<Candidate>, HashMap<QuestionId, Question>), EngineError> {
        let page = self
            .store
            .list_questions(&QuestionFilter {
                exam: Some(exam.code.to_string()),
                statuses: vec![ItemStatus::Live, ItemStatus::Pilot],
                limit: 100_000,
                ..Default::default()
            })
            .await?;
        let seen = self.last_seen(owner).await?;
        // Pilots that calibration found ready are drawn as live.
        let promoted = self.store.promoted_items(exam.code.as_str()).await?;
        let mut questions = HashMap::new();
        let mut candidates = Vec::new();
        for stored in page.items {
            let q = stored.question;
            let Some(m) = q.mapping_for(&exam.code) else {
                continue;
            };
            let status = match q.status {
                ItemStatus::Pilot if promoted.iter().any(|p| p == q.id.as_str()) => {
                    ItemStatus::Live
                }
                other => other,
            };
            candidates.push(Candidate {
                id: q.id.clone(),
                hash: stored.hash,
                status,
                domain: m.domain,
                task: m.task,
                parts: q.parts.len(),
                last_seen: seen.get(&q.id).copied(),
            });
            questions.insert(q.id.clone(), q);
        }
        Ok((candidates, questions))
    }

    /// Starts an attempt: draws the form, fixes option orders, writes one row.
    pub async fn start(
        &self,
        owner: &str,
        request: &StartRequest,
        now: OffsetDateTime,
    ) -> Result<AttemptView, EngineError> {
        let exam = self.exam(&request.exam)?;
        let mode = Mode::parse(&request.mode).ok_or_else(|| {
            EngineError::Invalid(format!(
                "mode `{}` is not one of exam, practice, missed, review, drill",
                request.mode
            ))
        })?;
        let seed = request.seed.unwrap_or_else(rand::random);
        let (candidates, questions) = self.candidates(exam, owner).await?;
        let draw_error =
            |e: DrawError| EngineError::Invalid(format!("{} cannot be drawn: {e}", exam.code));
        let mut settings = None;
        let (slots, deadline): (Vec<Slot>, Option<OffsetDateTime>) = match mode {
            Mode::Drill => {
                let cap = request.count.unwrap_or(getmycert_core::adaptive::MAX_ITEMS);
                if !(5..=100).contains(&cap) {
                    return Err(EngineError::Invalid(format!(
                        "count must be 5 to 100, not {cap}"
                    )));
                }
                for d in &request.domains {
                    if !exam.domains.iter().any(|x| x.number == *d) {
                        return Err(EngineError::Invalid(format!(
                            "{} has no domain {d}",
                            exam.code
                        )));
                    }
                }
                let (slots, drill) = self
                    .start_drill(
                        exam,
                        owner,
                        (candidates.clone(), questions.clone()),
                        &request.domains,
                        cap,
                        seed,
                    )
                    .await?;
                settings = Some(
                    serde_json::to_string(&drill)
                        .map_err(|e| EngineError::Corrupt(e.to_string()))?,
                );
                (slots, None)
            }
            Mode::Exam => {
                let minutes =
                    i64::from(exam.minutes.value) + if request.accommodation { 30 } else { 0 };
                (
                    draw_exam(exam, &candidates, seed).map_err(draw_error)?,
                    Some(now + Duration::minutes(minutes)),
                )
            }
            Mode::Practice | Mode::Missed | Mode::Review => {
                let count = request.count.unwrap_or(20);
                if !(5..=100).contains(&count) {
                    return Err(EngineError::Invalid(format!(
                        "count must be 5 to 100, not {count}"
                    )));
                }
                let tasks: Vec<(u8, u8)> = request
                    .tasks
                    .iter()
                    .map(|t| {
                        t.split_once('.')
                            .and_then(|(d, n)| Some((d.parse().ok()?, n.parse().ok()?)))
                            .ok_or_else(|| {
                                EngineError::Invalid(format!("task `{t}` must look like 3.2"))
                            })
                    })
                    .collect::<Result<_, _>>()?;
                for d in &request.domains {
                    if !exam.domains.iter().any(|x| x.number == *d) {
                        return Err(EngineError::Invalid(format!(
                            "{} has no domain {d}",
                            exam.code
                        )));
                    }
                }
                let missed = match mode {
                    Mode::Missed => Some(self.missed(owner, exam).await?),
                    Mode::Review => {
                        let mut due = self.due_items(owner, exam, now).await?;
                        due.truncate(count);
                        Some(due)
                    }
                    _ => None,
                };
                let pool: Vec<Candidate> = candidates
                    .into_iter()
                    .filter(|c| request.domains.is_empty() || request.domains.contains(&c.domain))
                    .filter(|c| tasks.is_empty() || tasks.contains(&(c.domain, c.task)))
                    .filter(|c| missed.as_ref().is_none_or(|m| m.contains(&c.id)))
                    .collect();
                let count = match &missed {
                    Some(_) => count.min(pool.iter().map(|c| c.parts).sum()),
                    None => count,
                };
                if count == 0 {
                    return Err(EngineError::Invalid(match mode {
                        Mode::Review => "nothing is due for review in this exam".into(),
                        _ => "you have no missed questions to retry for this exam".into(),
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
                let options = questions
                    .get(&slot.id)
                    .and_then(|q| q.parts.get(slot.part))
                    .map_or(0, |p| p.options.len());
                FormItem::from_slot(slot, options, &mut rng)
            })
            .collect();
        let row = NewAttempt {
            id: new_id(),
            owner: owner.to_owned(),
            exam_code: exam.code.to_string(),
            mode: mode.as_str().into(),
            seed: seed as i64,
            items: serde_json::to_string(&items)
                .map_err(|e| EngineError::Corrupt(e.to_string()))?,
            started_at: now,
            deadline,
            settings,
        };
        self.store.create_attempt(&row).await?;
        self.view(owner, &row.id, now).await
    }

    /// Items this identity answered wrong on their latest answer and not right since.
    async fn missed(&self, owner: &str, exam: &Exam) -> Result<Vec<QuestionId>, EngineError> {
        let mut rows = self.store.attempts_of(owner).await?;
        rows.retain(|r| r.exam_code == exam.code.as_str() && r.submitted_at.is_some());
        rows.sort_by_key(|r| r.started_at);
        let mut last: BTreeMap<QuestionId, bool> = BTreeMap::new();
        for row in rows {
            let Some(result) = row.result.as_deref() else {
                continue;
            };
            let outcomes: Vec<(QuestionId, bool)> = serde_json::from_str::<StoredResult>(result)
                .map_err(|e| EngineError::Corrupt(e.to_string()))?
                .outcomes;
            for (id, correct) in outcomes {
                last.insert(id, correct);
            }
        }
        Ok(last
            .into_iter()
            .filter(|(_, ok)| !ok)
            .map(|(id, _)| id)
            .collect())
    }

    /// The attempt if `owner` owns it; another identity's attempt is not found.
    async fn owned(
        &self,
        owner: &str,
        id: &str,
    ) -> Result<(AttemptRow, Vec<FormItem>), EngineError> {
        let row = match self.store.attempt(id).await {
            Ok(row) if row.owner == owner => row,
            Ok(_) | Err(StoreError::NotFound) => return Err(EngineError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let items = parse_items(&row)?;
        Ok((row, items))
    }

    /// The attempt summary.
    pub async fn view(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<AttemptView, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        let saved = self.store.responses(id).await?;
        let states: Vec<ItemState> = (1..=items.len())
            .map(|n| {
                let r = saved.iter().find(|r| r.n as usize == n);
                ItemState {
                    n,
                    answered: r.is_some_and(|r| r.response.is_some()),
                    flagged: r.is_some_and(|r| r.flagged),
                }
            })
            .collect();
        Ok(AttemptView {
            id: row.id.clone(),
            exam: row.exam_code.clone(),
            mode: Mode::parse(&row.mode).unwrap_or(Mode::Practice),
            total: items.len(),
            answered: states.iter().filter(|s| s.answered).count(),
            flagged: states.iter().filter(|s| s.flagged).count(),
            started_at: row.started_at,
            deadline: row.deadline,
            seconds_left: row.deadline.map(|d| (d - now).whole_seconds().max(0)),
            submitted: row.submitted_at.is_some(),
            items: states,
            drill: if row.mode == Mode::Drill.as_str() {
                Some(self.drill_state(&row, &items, &saved).await?)
            } else {
                None
            },
        })
    }

    pub(super) async fn revision(&self, item: &FormItem) -> Result<(Question, Part), EngineError> {
        let question = self.store.question_revision(&item.id, &item.hash).await?;
        let part = question.parts.get(item.part).cloned().ok_or_else(|| {
            EngineError::Corrupt(format!("{} has no part {}", item.id, item.part))
        })?;
        Ok((question, part))
    }

    /// Item `n` (1-based) as served: no key, rationale or correctness.
    pub async fn item(&self, owner: &str, id: &str, n: usize) -> Result<ServedItem, EngineError> {
        let (_, items) = self.owned(owner, id).await?;
        let item = items.get(n.wrapping_sub(1)).ok_or(EngineError::NotFound)?;
        let (question, part) = self.revision(item).await?;
        let (response, flagged) = saved_response(&self.store.responses(id).await?, n)?;
        Ok(ServedItem {
            n,
            kind: kind_name(part.kind),
            stem: part.stem.clone(),
            options: item
                .order
                .iter()
                .enumerate()
                .map(|(display, original)| ServedOption {
                    id: letter(display).to_string(),
                    text: part
                        .options
                        .get(*original)
                        .map(|o| o.text.clone())
                        .unwrap_or_default(),
                })
                .collect(),
            prompts: (part.kind == PartKind::Matching).then(|| {
                part.prompts
                    .iter()
                    .map(|p| ServedOption {
                        id: p.id.to_string(),
                        text: p.text.clone(),
                    })
                    .collect()
            }),
            select: (part.kind == PartKind::Multiple).then(|| part.select()),
            scenario: question.scenario.clone(),
            flagged,
            response,
        })
    }

    /// Saves a response (and/or the flag) to item `n`. Idempotent; refused once the attempt is
    /// submitted or past its deadline.
    pub async fn respond(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        response: Option<Response>,
        flagged: Option<bool>,
        now: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        let item = items.get(n.wrapping_sub(1)).ok_or_else(|| {
            EngineError::Invalid(format!(
                "item {n} is out of range: this attempt has items 1 to {}",
                items.len()
            ))
        })?;
        if row.submitted_at.is_some() {
            return Err(EngineError::Closed(
                "the attempt is already submitted".into(),
            ));
        }
        if row.deadline.is_some_and(|d| now >= d) {
            return Err(EngineError::Closed(
                "the time is up: the attempt takes no more answers".into(),
            ));
        }
        let (_, part) = self.revision(item).await?;
        if let Some(r) = &response {
            validate(&part, item, r)?;
        }
        let saved = self.store.responses(id).await?;
        let previous = saved.iter().find(|r| r.n as usize == n);
        let flagged = flagged.unwrap_or(previous.is_some_and(|p| p.flagged));
        let json = match response {
            Some(r) => {
                Some(serde_json::to_string(&r).map_err(|e| EngineError::Corrupt(e.to_string()))?)
            }
            None => previous.and_then(|p| p.response.clone()),
        };
        let changed = previous
            .and_then(|p| p.response.as_deref())
            .is_some_and(|before| json.as_deref() != Some(before));
        if !self
            .store
            .save_response(id, n as i32, json.as_deref(), flagged, changed, now)
            .await?
        {
            return Err(EngineError::Closed(
                "the attempt is already submitted".into(),
            ));
        }
        if row.mode == Mode::Drill.as_str() && json.is_some() {
            self.drill_step(owner, &row, &items, n).await?;
        }
        Ok(())
    }

    /// Practice feedback on one answered item: the key, every rationale, the explanation.
    /// Never for an exam simulation before it is submitted. Showing it grades the item's card
    /// (once per attempt item; a case study once all its parts are answered).
    pub async fn feedback(
        &self,
        owner: &str,
        id: &str,
        n: usize,
        now: OffsetDateTime,
    ) -> Result<ReviewedItem, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        let item = items.get(n.wrapping_sub(1)).ok_or(EngineError::NotFound)?;
        if row.mode == Mode::Exam.as_str() && row.submitted_at.is_none() {
            return Err(EngineError::Closed(
                "an exam simulation gives no feedback until it is submitted".into(),
            ));
        }
        let saved = self.store.responses(id).await?;
        let (response, flagged) = saved_response(&saved, n)?;
        if response.is_none() {
            return Err(EngineError::Invalid(
                "answer the question to see the feedback".into(),
            ));
        }
        let (question, part) = self.revision(item).await?;
        let original = response.as_ref().map(|r| to_original(r, &item.order));
        let correct = is_correct(&part, original.as_ref());
        if Self::grades_on_feedback(&row.mode) && row.submitted_at.is_none() {
            let mut outcomes = BTreeMap::new();
            for (i, sibling) in items.iter().enumerate() {
                if sibling.id != item.id {
                    continue;
                }
                let (sibling_response, _) = saved_response(&saved, i + 1)?;
                if let Some(r) = sibling_response {
                    let (_, sibling_part) = self.revision(sibling).await?;
                    let r = to_original(&r, &sibling.order);
                    outcomes.insert(i + 1, is_correct(&sibling_part, Some(&r)));
                }
            }
            self.grade_answers(&row, &items, &saved, &outcomes, now)
                .await?;
        }
        Ok(review(
            n, item, &question, &part, response, correct, flagged,
        ))
    }

    /// Submits: scores every scored item once, stores the result. Submitting twice is refused.
    pub async fn submit(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Report, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        if row.submitted_at.is_some() {
            return Err(EngineError::Closed(
                "the attempt is already submitted".into(),
            ));
        }
        let (report, stored) = self.score(&row, &items, now).await?;
        let json =
            serde_json::to_string(&stored).map_err(|e| EngineError::Corrupt(e.to_string()))?;
        if !self.store.submit_attempt(id, &json, now).await? {
            return Err(EngineError::Closed(
                "the attempt is already submitted".into(),
            ));
        }
        let outcomes: BTreeMap<usize, bool> = stored
            .outcomes
            .iter()
            .enumerate()
            .map(|(i, (_, correct))| (i + 1, *correct))
            .collect();
        let saved = self.store.responses(id).await?;
        self.grade_answers(&row, &items, &saved, &outcomes, now)
            .await?;
        Ok(report)
    }

    /// The report of a submitted attempt. An attempt whose deadline passed is submitted first
    /// with what was saved, as the real exam ends at time.
    pub async fn report(
        &self,
        owner: &str,
        id: &str,
        now: OffsetDateTime,
    ) -> Result<Report, EngineError> {
        let (row, items) = self.owned(owner, id).await?;
        match (row.submitted_at, row.deadline) {
            (Some(at), _) => Ok(self.score(&row, &items, at).await?.0),
            (None, Some(deadline)) if now >= deadline => self.submit(owner, id, deadline).await,
            (None, _) => Err(EngineError::Closed(
                "the report is ready once the attempt is submitted".into(),
            )),
        }
    }

    async fn score(
        &self,
        row: &AttemptRow,
        items: &[FormItem],
        ended: OffsetDateTime,
    ) -> Result<(Report, StoredResult), EngineError> {
        let exam = self.exam(&row.exam_code)?;
        let saved = self.store.responses(&row.id).await?;
        let mut reviewed = Vec::new();
        let mut outcomes = Vec::new();
        let mut per_item: Vec<(QuestionId, bool)> = Vec::new();
        let mut scored: Vec<(Question, usize, u8, bool)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let n = i + 1;
            let (question, part) = self.revision(item).await?;
            let (response, flagged) = saved_response(&saved, n)?;
            let original = response.as_ref().map(|r| to_original(r, &item.order));
            let correct = is_correct(&part, original.as_ref());
            if item.scored {
                outcomes.push(Outcome {
                    domain: item.domain,
                    correct,
                });
                scored.push((question.clone(), item.part, item.domain, correct));
            }
            per_item.push((item.id.clone(), correct));
            reviewed.push(review(
                n, item, &question, &part, response, correct, flagged,
            ));
        }
        let summary = summarize(exam, &outcomes);
        let irt = if row.mode == Mode::Exam.as_str() {
            let refs: Vec<(&Question, usize, u8, bool)> =
                scored.iter().map(|(q, p, d, c)| (q, *p, *d, *c)).collect();
            self.calibrated_estimate(exam, &refs).await?
        } else {
            None
        };
        let report = Report {
            irt,
            id: row.id.clone(),
            exam: row.exam_code.clone(),
            mode: Mode::parse(&row.mode).unwrap_or(Mode::Practice),
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

/// What is stored at submit: the summary and each item's outcome (for missed-question sets).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredResult {
    summary: Summary,
    outcomes: Vec<(QuestionId, bool)>,
}

/// The saved response and flag of item `n`.
pub(super) fn saved_response(
    saved: &[ResponseRow],
    n: usize,
) -> Result<(Option<Response>, bool), EngineError> {
    let row = saved.iter().find(|r| r.n as usize == n);
    let response = row
        .and_then(|r| r.response.as_deref())
        .map(serde_json::from_str::<Response>)
        .transpose()
        .map_err(|e| EngineError::Corrupt(e.to_string()))?;
    Ok((response, row.is_some_and(|r| r.flagged)))
}

/// A response in display ids → the same response in the item's own letters.
pub(super) fn to_original(response: &Response, order: &[usize]) -> Response {
    let map = |c: &char| -> char {
        let display = (*c as u8).wrapping_sub(b'A') as usize;
        order.get(display).map_or('?', |o| letter(*o))
    };
    match response {
        Response::Selected { selected } => Response::Selected {
            selected: selected.iter().map(map).collect(),
        },
        Response::Order { order: steps } => Response::Order {
            order: steps.iter().map(map).collect(),
        },
        Response::Matches { matches } => Response::Matches {
            matches: matches.iter().map(|(p, c)| (*p, map(c))).collect(),
        },
    }
}

/// The display id of the option whose own letter is `original`.
fn to_display(original: char, order: &[usize]) -> char {
    let index = (original as u8).wrapping_sub(b'A') as usize;
    order.iter().position(|o| *o == index).map_or('?', letter)
}

/// Checks a response against the item's shape; the message says what is wrong.
fn validate(part: &Part, item: &FormItem, response: &Response) -> Result<(), EngineError> {
    let ids: Vec<char> = (0..item.order.len()).map(letter).collect();
    let bad = |m: String| Err(EngineError::Invalid(m));
    let known = |c: &char| ids.contains(c);
    match (part.kind, response) {
        (PartKind::Single | PartKind::Multiple, Response::Selected { selected }) => {
            if let Some(c) = selected.iter().find(|c| !known(c)) {
                return bad(format!(
                    "option `{c}` does not exist; options are {}",
                    ids.iter().collect::<String>()
                ));
            }
            let mut unique = selected.clone();
            unique.sort_unstable();
            unique.dedup();
            if unique.len() != selected.len() {
                return bad("an option is selected twice".into());
            }
            if part.kind == PartKind::Single && selected.len() > 1 {
                return bad("a single-answer question takes one option".into());
            }
            Ok(())
        }
        (PartKind::Ordering, Response::Order { order }) => {
            let mut sorted = order.clone();
            sorted.sort_unstable();
            if sorted != ids {
                return bad(format!(
                    "an order lists every step once: {}",
                    ids.iter().collect::<String>()
                ));
            }
            Ok(())
        }
        (PartKind::Matching, Response::Matches { matches }) => {
            for (prompt, option) in matches {
                if !part.prompts.iter().any(|p| p.id == *prompt) {
                    return bad(format!("prompt {prompt} does not exist"));
                }
                if !known(option) {
                    return bad(format!("option `{option}` does not exist"));
                }
            }
            Ok(())
        }
        (kind, _) => bad(format!(
            "a {} question takes {}",
            kind_name(kind),
            match kind {
                PartKind::Single | PartKind::Multiple => r#"{"selected": [option ids]}"#,
                PartKind::Ordering => r#"{"order": [option ids]}"#,
                PartKind::Matching => r#"{"matches": {prompt id: option id}}"#,
            }
        )),
    }
}

fn review(
    n: usize,
    item: &FormItem,
    question: &Question,
    part: &Part,
    response: Option<Response>,
    correct: bool,
    flagged: bool,
) -> ReviewedItem {
    let options: Vec<ReviewedOption> = item
        .order
        .iter()
        .enumerate()
        .filter_map(|(display, original)| {
            let o = part.options.get(*original)?;
            Some(ReviewedOption {
                id: letter(display).to_string(),
                text: o.text.clone(),
                rationale: o.rationale.clone(),
                correct: o.correct,
                position: (part.kind == PartKind::Ordering).then_some(*original + 1),
            })
        })
        .collect();
    let key = match part.kind {
        PartKind::Single | PartKind::Multiple => {
            let mut selected: Vec<char> = part
                .keys()
                .into_iter()
                .map(|k| to_display(k, &item.order))
                .collect();
            selected.sort_unstable();
            Response::Selected { selected }
        }
        PartKind::Ordering => Response::Order {
            order: part
                .options
                .iter()
                .map(|o| to_display(o.id, &item.order))
                .collect(),
        },
        PartKind::Matching => Response::Matches {
            matches: part
                .prompts
                .iter()
                .map(|p| (p.id, to_display(p.answer, &item.order)))
                .collect(),
        },
    };
    ReviewedItem {
        n,
        id: question.id.to_string(),
        revision: item.hash.clone(),
        kind: kind_name(part.kind),
        domain: item.domain,
        task: format!("{}.{}", item.domain, item.task),
        scored: item.scored,
        stem: part.stem.clone(),
        scenario: question.scenario.clone(),
        options,
        prompts: (part.kind == PartKind::Matching).then(|| {
            part.prompts
                .iter()
                .map(|p| ReviewedPrompt {
                    id: p.id.to_string(),
                    text: p.text.clone(),
                    answer: to_display(p.answer, &item.order).to_string(),
                })
                .collect()
        }),
        response,
        key,
        correct,
        flagged,
        explanation: part.explanation.clone(),
        references: question.references.clone(),
    }
}
