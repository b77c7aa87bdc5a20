//! The bank as sittings read it: exams by code, the revision an attempt item was served, and
//! the live and pilot items of an exam as draw candidates with when this identity last saw
//! each. The question browser for study is in [`browse`].

pub mod browse;

use std::collections::HashMap;

use getmycert_core::draw::Candidate;
use getmycert_core::{Exam, ExamCode, FormItem, ItemStatus, Part, Question, QuestionId};
use getmycert_store::QuestionFilter;

use crate::{Engine, EngineError, form};

/// An exam's draw candidates and their questions.
pub(crate) struct Bank {
    pub candidates: Vec<Candidate>,
    pub questions: HashMap<QuestionId, Question>,
}

impl Bank {
    /// How many options the `part` of question `id` has (0 if unknown).
    pub fn options(&self, id: &QuestionId, part: usize) -> usize {
        self.questions
            .get(id)
            .and_then(|q| q.parts.get(part))
            .map_or(0, |p| p.options.len())
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

    /// The question and part an attempt item was served, as it was then.
    pub(crate) async fn revision(&self, item: &FormItem) -> Result<(Question, Part), EngineError> {
        let question = self.store().question_revision(&item.id, &item.hash).await?;
        let part = question.parts.get(item.part).cloned().ok_or_else(|| {
            EngineError::Internal(format!("{} has no part {}", item.id, item.part))
        })?;
        Ok((question, part))
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

    /// The live and pilot items of an exam, as draw candidates for `owner`. Pilots that
    /// calibration found ready are drawn as live.
    pub(crate) async fn bank(&self, exam: &Exam, owner: &str) -> Result<Bank, EngineError> {
        let page = self
            .store()
            .list_questions(&QuestionFilter {
                exam: Some(exam.code.to_string()),
                statuses: vec![ItemStatus::Live, ItemStatus::Pilot],
                limit: 100_000,
                ..Default::default()
            })
            .await?;
        let seen = self.last_seen(owner).await?;
        let promoted = self.store().promoted_items(exam.code.as_str()).await?;
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
        Ok(Bank {
            candidates,
            questions,
        })
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
