//! What the engine keeps in memory, shared by every request:
//!
//! - **revisions**: question revisions by (id, content hash). A revision never changes, so a
//!   cached one is always the one an attempt drew, on any instance; a miss reads the store once.
//! - **pools**: per exam, the draw candidates of this instance's bank (live and pilot items,
//!   pilots that calibration promoted counted as live), and the calibrated item parameters.
//!   Both change only when a calibration runs: this instance drops them when it calibrates, and
//!   rebuilds them after [`POOL_TTL`] in case another instance did.
//! - **forms**: the immutable part of recent attempts (owner, deadline, the form),
//!   so that reading and answering an item costs one query. Growing drills are not cached;
//!   whether an attempt is submitted is always read from the store.
//! - **answers**: the saved answers of open attempts, only when this engine is its database's
//!   only writer (embedded SQLite). Every save writes the database first and then the copy
//!   here, so serving an item costs no query; with PostgreSQL several instances may serve the
//!   same candidate, so their items always read the saved answer from the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use time::OffsetDateTime;

use getmycert_core::draw::Candidate;
use getmycert_core::scoring::Response;
use getmycert_core::{ExamCode, FormItem, Question, QuestionId};

use crate::readiness::Parameters;
use crate::text::RevisionTexts;

/// How long a pool or parameter set is trusted before it is rebuilt from the store.
pub const POOL_TTL: Duration = Duration::from_secs(300);
/// Attempts whose form is kept; beyond this the cache is cleared (it refills on demand).
const MAX_FORMS: usize = 100_000;

/// A revision of a question: its id, content hash and body.
#[derive(Debug)]
pub(crate) struct Revision {
    pub id: QuestionId,
    pub hash: String,
    pub question: Arc<Question>,
    /// Its texts as responses carry them, made the first time it is served.
    texts: OnceLock<RevisionTexts>,
}

impl Revision {
    pub fn texts(&self) -> &RevisionTexts {
        self.texts.get_or_init(|| RevisionTexts::of(&self.question))
    }
}

/// One item of a cached form, sharing its revision with the revision cache (a form of 65
/// items costs a few kilobytes, not a copy of every id and hash).
#[derive(Debug)]
pub(crate) struct CachedItem {
    pub revision: Arc<Revision>,
    pub part: u16,
    pub scored: bool,
    pub domain: u8,
    pub task: u8,
    /// Display position → index into the part's options.
    pub order: Box<[u8]>,
}

impl CachedItem {
    /// The item as `core` rules take it.
    pub fn form_item(&self) -> FormItem {
        FormItem {
            id: self.revision.id.clone(),
            hash: self.revision.hash.clone(),
            part: usize::from(self.part),
            scored: self.scored,
            domain: self.domain,
            task: self.task,
            order: self.order.iter().map(|o| usize::from(*o)).collect(),
        }
    }
}

/// An exam's draw candidates (`last_seen` unset) and their questions.
#[derive(Debug)]
pub(crate) struct Pool {
    pub candidates: Vec<Candidate>,
    pub questions: HashMap<QuestionId, Arc<Question>>,
    built: Instant,
}

impl Pool {
    pub fn new(candidates: Vec<Candidate>, questions: HashMap<QuestionId, Arc<Question>>) -> Self {
        Self {
            candidates,
            questions,
            built: Instant::now(),
        }
    }

    /// How many options the `part` of question `id` has (0 if unknown).
    pub fn options(&self, id: &QuestionId, part: usize) -> usize {
        self.questions
            .get(id)
            .and_then(|q| q.parts.get(part))
            .map_or(0, |p| p.options.len())
    }
}

/// The immutable part of an attempt.
#[derive(Debug)]
pub(crate) struct Form {
    pub owner: String,
    pub deadline: Option<OffsetDateTime>,
    pub items: Vec<CachedItem>,
}

/// Calibrated parameters of an exam, and when they were read.
#[derive(Debug)]
struct Calibrated {
    parameters: Arc<Parameters>,
    read: Instant,
}

/// A saved answer as served: the response (if any) and the flag.
pub(crate) type Answer = (Option<Response>, bool);

/// The answers of one attempt: `writes` counts the saves this engine made, so that a copy read
/// from the database while a save was under way is never kept.
#[derive(Debug, Default)]
struct Held {
    writes: u64,
    items: Option<Vec<Answer>>,
}

/// The engine's in-memory state.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    revisions: RwLock<HashMap<QuestionId, Vec<Arc<Revision>>>>,
    pools: RwLock<HashMap<ExamCode, Arc<Pool>>>,
    parameters: RwLock<HashMap<ExamCode, Calibrated>>,
    forms: RwLock<HashMap<String, Arc<Form>>>,
    answers: Mutex<HashMap<String, Held>>,
}

impl Cache {
    pub fn revision(&self, id: &QuestionId, hash: &str) -> Option<Arc<Revision>> {
        let revisions = self.revisions.read().ok()?;
        revisions.get(id)?.iter().find(|r| r.hash == hash).cloned()
    }

    /// Keeps a revision (or returns the one already kept).
    pub fn keep_revision(&self, hash: String, question: Arc<Question>) -> Arc<Revision> {
        let revision = Arc::new(Revision {
            id: question.id.clone(),
            hash,
            question,
            texts: OnceLock::new(),
        });
        let Ok(mut revisions) = self.revisions.write() else {
            return revision;
        };
        let kept = revisions.entry(revision.id.clone()).or_default();
        match kept.iter().find(|r| r.hash == revision.hash) {
            Some(existing) => existing.clone(),
            None => {
                kept.push(revision.clone());
                revision
            }
        }
    }

    /// The pool of `exam`, if it was built within [`POOL_TTL`].
    pub fn pool(&self, exam: &ExamCode) -> Option<Arc<Pool>> {
        let pools = self.pools.read().ok()?;
        pools
            .get(exam)
            .filter(|p| p.built.elapsed() < POOL_TTL)
            .cloned()
    }

    pub fn keep_pool(&self, exam: ExamCode, pool: Arc<Pool>) {
        if let Ok(mut pools) = self.pools.write() {
            pools.insert(exam, pool);
        }
    }

    pub fn parameters(&self, exam: &ExamCode) -> Option<Arc<Parameters>> {
        let all = self.parameters.read().ok()?;
        all.get(exam)
            .filter(|c| c.read.elapsed() < POOL_TTL)
            .map(|c| c.parameters.clone())
    }

    pub fn keep_parameters(&self, exam: ExamCode, parameters: Arc<Parameters>) {
        if let Ok(mut all) = self.parameters.write() {
            all.insert(
                exam,
                Calibrated {
                    parameters,
                    read: Instant::now(),
                },
            );
        }
    }

    /// Drops what a calibration changes: pools (promotions) and parameters.
    pub fn calibrated(&self) {
        if let Ok(mut pools) = self.pools.write() {
            pools.clear();
        }
        if let Ok(mut all) = self.parameters.write() {
            all.clear();
        }
    }

    pub fn form(&self, attempt: &str) -> Option<Arc<Form>> {
        self.forms.read().ok()?.get(attempt).cloned()
    }

    pub fn keep_form(&self, attempt: String, form: Arc<Form>) {
        if let Ok(mut forms) = self.forms.write() {
            if forms.len() >= MAX_FORMS {
                forms.clear();
            }
            forms.insert(attempt, form);
        }
    }

    /// Drops the forms held for `owner` (their attempts moved to another owner).
    pub fn forget_owner(&self, owner: &str) {
        if let Ok(mut forms) = self.forms.write() {
            forms.retain(|_, form| form.owner != owner);
        }
    }

    /// The held answer to item `n` (1-based) of `attempt`, or, when the attempt's answers are
    /// not held, the count of saves to pass to [`Cache::hold_answers`] after reading them.
    pub fn answer(&self, attempt: &str, n: usize) -> Result<Answer, u64> {
        let Ok(mut all) = self.answers.lock() else {
            return Err(u64::MAX);
        };
        let held = held(&mut all, attempt);
        match &held.items {
            Some(items) => Ok(items
                .get(n.wrapping_sub(1))
                .cloned()
                .unwrap_or((None, false))),
            None => Err(held.writes),
        }
    }

    /// Whether item `n` (1-based) of `attempt` is answered and whether it is flagged, when the
    /// attempt's answers are held; `None` otherwise (nothing is held for it on asking).
    pub fn held_state(&self, attempt: &str, n: usize) -> Option<(bool, bool)> {
        let all = self.answers.lock().ok()?;
        let items = all.get(attempt)?.items.as_ref()?;
        Some(
            items
                .get(n.wrapping_sub(1))
                .map_or((false, false), |(response, flagged)| {
                    (response.is_some(), *flagged)
                }),
        )
    }

    /// Holds the (empty) answers of an attempt that was just started.
    pub fn new_answers(&self, attempt: &str, items: usize) {
        if let Ok(mut all) = self.answers.lock() {
            held(&mut all, attempt).items = Some(vec![(None, false); items]);
        }
    }

    /// Holds the answers read from the database, unless a save happened since `writes`.
    pub fn hold_answers(&self, attempt: &str, writes: u64, items: Vec<Answer>) {
        if let Ok(mut all) = self.answers.lock()
            && let Some(held) = all.get_mut(attempt)
            && held.writes == writes
            && held.items.is_none()
        {
            held.items = Some(items);
        }
    }

    /// Records a save the database acknowledged: `response` replaces the held one when given.
    pub fn record_answer(
        &self,
        attempt: &str,
        n: usize,
        response: Option<Response>,
        flagged: bool,
    ) {
        if let Ok(mut all) = self.answers.lock() {
            let held = held(&mut all, attempt);
            held.writes += 1;
            if let Some(slot) = held
                .items
                .as_mut()
                .and_then(|items| items.get_mut(n.wrapping_sub(1)))
            {
                if response.is_some() {
                    slot.0 = response;
                }
                slot.1 = flagged;
            }
        }
    }

    /// Drops the answers and the form of an attempt that takes no more answers: its report is
    /// built from its row and saved answers, so the form would only take memory (after an
    /// exam-day rush, ten thousand of them); a later read of one of its items caches it again.
    pub fn forget_attempt(&self, attempt: &str) {
        if let Ok(mut all) = self.answers.lock() {
            all.remove(attempt);
        }
        if let Ok(mut forms) = self.forms.write() {
            forms.remove(attempt);
        }
    }
}

/// The answers held for `attempt`, made empty if there are none; beyond [`MAX_FORMS`] attempts
/// the others are dropped first (they refill from the store on demand).
fn held<'a>(all: &'a mut HashMap<String, Held>, attempt: &str) -> &'a mut Held {
    if all.len() >= MAX_FORMS && !all.contains_key(attempt) {
        all.clear();
    }
    all.entry(attempt.to_owned()).or_default()
}
