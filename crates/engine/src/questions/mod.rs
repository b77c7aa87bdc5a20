//! The bank as sittings read it: exams by code, the revision an attempt item was served, and
//! the live and pilot items of an exam as draw candidates with when this identity last saw
//! each. The question browser for study is in [`browse`].

pub mod browse;

use std::collections::HashMap;
use std::sync::Arc;

use getmycert_core::draw::Candidate;
use getmycert_core::{Exam, ExamCode, FormItem, ItemStatus, Question, QuestionId};

use crate::cache::{Pool, Revision};
use crate::{Engine, EngineError, form};

/// An exam's draw candidates for one identity (when it last saw each item), over the
/// exam's cached pool.
pub(crate) struct Bank {
    pub candidates: Vec<Candidate>,
    pub pool: Arc<Pool>,
}

impl Bank {
    /// The question `id` of the pool.
    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.pool.questions.get(id).map(|q| q.as_ref())
    }

    /// How many options the `part` of question `id` has (0 if unknown).
    pub fn options(&self, id: &QuestionId, part: usize) -> usize {
        self.pool.options(id, part)
    }
}

impl Engine {
    /// The exam with code `raw` (any case), or a 422 naming it.
    pub(crate) fn exam(&self, raw: &str) -> Result<&Exam, EngineError> {
        let code = ExamCode::parse(raw).map_err(|e| EngineError::invalid(e.to_string()))?;
        self.content()
            .exam(&code)
            .ok_or_else(|| EngineError::invalid(format!("there is no exam {code} in the catalog")))
    }

    /// The revision an attempt item was served, as it was then, and the index of its part
    /// (checked): from the cache of immutable revisions, or from the store once.
    pub(crate) async fn revision(
        &self,
        item: &FormItem,
    ) -> Result<(Arc<Revision>, usize), EngineError> {
        let revision = self.revision_of(&item.id, &item.hash).await?;
        if item.part >= revision.question.parts.len() {
            return Err(EngineError::Internal(format!(
                "{} has no part {}",
                item.id, item.part
            )));
        }
        Ok((revision, item.part))
    }

    /// The revision `hash` of question `id`, from the cache or from the store once.
    pub(crate) async fn revision_of(
        &self,
        id: &QuestionId,
        hash: &str,
    ) -> Result<Arc<Revision>, EngineError> {
        if let Some(revision) = self.cache.revision(id, hash) {
            return Ok(revision);
        }
        let question = self.store().question_revision(id, hash).await?;
        Ok(self
            .cache
            .keep_revision(hash.to_owned(), Arc::new(question)))
    }

    /// When this identity last saw each item (unix seconds of the attempt start).
    async fn last_seen(&self, owner: &str) -> Result<HashMap<QuestionId, i64>, EngineError> {
        let mut seen = HashMap::new();
        for row in self.store().attempts_of(owner).await? {
            let at = row.started_at.unix_timestamp();
            for item in form::items(&row)? {
                let entry = seen.entry(item.id).or_insert(at);
                *entry = (*entry).max(at);
            }
        }
        Ok(seen)
    }

    /// The live and pilot items of an exam, as draw candidates for `owner`: the exam's pool
    /// (cached) with when this identity last saw each item.
    pub(crate) async fn bank(&self, exam: &Exam, owner: &str) -> Result<Bank, EngineError> {
        let pool = self.pool(exam).await?;
        let seen = self.last_seen(owner).await?;
        let candidates = pool
            .candidates
            .iter()
            .map(|c| Candidate {
                last_seen: seen.get(&c.id).copied(),
                ..c.clone()
            })
            .collect();
        Ok(Bank { candidates, pool })
    }

    /// This instance's live and pilot items of `exam` as draw candidates; pilots that
    /// calibration found ready are drawn as live.
    async fn pool(&self, exam: &Exam) -> Result<Arc<Pool>, EngineError> {
        if let Some(pool) = self.cache.pool(&exam.code) {
            return Ok(pool);
        }
        let promoted = self.store().promoted_items(exam.code.as_str()).await?;
        let mut questions = HashMap::new();
        let mut candidates = Vec::new();
        for q in &self.content().questions {
            if !matches!(q.status, ItemStatus::Live | ItemStatus::Pilot) {
                continue;
            }
            let Some(m) = q.mapping_for(&exam.code) else {
                continue;
            };
            let (_, hash) = getmycert_store::revision(q)?;
            let status = match q.status {
                ItemStatus::Pilot if promoted.iter().any(|p| p == q.id.as_str()) => {
                    ItemStatus::Live
                }
                other => other,
            };
            candidates.push(Candidate {
                id: q.id.clone(),
                hash,
                status,
                domain: m.domain,
                task: m.task,
                parts: q.parts.len(),
                last_seen: None,
            });
            questions.insert(q.id.clone(), Arc::new(q.clone()));
        }
        let pool = Arc::new(Pool::new(candidates, questions));
        self.cache.keep_pool(exam.code.clone(), pool.clone());
        Ok(pool)
    }

    /// Live items per exam code, for pages that say what the site offers.
    pub async fn live_counts(
        &self,
    ) -> Result<std::collections::BTreeMap<String, u64>, EngineError> {
        Ok(self.store().live_counts().await?)
    }

    /// The content's questions by id.
    pub(crate) fn questions_by_id(&self) -> HashMap<&str, &Question> {
        self.content()
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q))
            .collect()
    }
}
