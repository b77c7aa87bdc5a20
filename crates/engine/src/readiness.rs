//! Readiness in the engine: the candidate's latest answer to each question of an exam, the
//! items' parameters (calibrated where the last calibration kept them, provisional from the
//! author's difficulty otherwise), and `core::readiness` over them.
//!
//! Provisional parameters: a = 1 and b = −1, 0, +1 for easy, medium and hard. A case study's
//! answer (right only if every part is right) is read with its first part's parameters.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Serialize;

use getmycert_core::irt::ItemParams;
use getmycert_core::readiness::{Answer, BankItem, Estimate, Readiness, Scale, readiness};
use getmycert_core::review::Grade;
use getmycert_core::{Difficulty, Exam, ItemStatus, Question};

use crate::{Engine, EngineError};

/// A candidate's readiness for one exam, as pages and the API show it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadinessView {
    pub exam: String,
    /// Share of the answers read with calibrated item parameters (the rest are provisional).
    pub calibrated_share: f64,
    #[serde(flatten)]
    pub readiness: Readiness,
}

/// Parameters by difficulty until an item is calibrated.
pub fn provisional(difficulty: Difficulty) -> ItemParams {
    ItemParams {
        a: 1.0,
        b: match difficulty {
            Difficulty::Easy => -1.0,
            Difficulty::Medium => 0.0,
            Difficulty::Hard => 1.0,
        },
    }
}

/// Parameters of item parts and how they were obtained.
#[derive(Debug)]
pub(crate) struct Parameters {
    calibrated: HashMap<(String, usize), ItemParams>,
}

impl Parameters {
    /// The parameters of `question`'s `part` and whether they are calibrated.
    pub(crate) fn of(&self, question: &Question, part: usize) -> (ItemParams, bool) {
        match self.calibrated.get(&(question.id.to_string(), part)) {
            Some(p) => (*p, true),
            None => (provisional(question.difficulty), false),
        }
    }
}

impl Engine {
    /// The calibrated parameters of `exam`'s items, from the last calibration (cached until
    /// the next one).
    pub(crate) async fn parameters(&self, exam: &Exam) -> Result<Arc<Parameters>, EngineError> {
        if let Some(parameters) = self.cache.parameters(&exam.code) {
            return Ok(parameters);
        }
        let calibrated = self
            .store()
            .item_stats()
            .await?
            .into_iter()
            .filter(|s| s.exam_code == exam.code.as_str())
            .filter_map(|s| {
                Some((
                    (s.question_id, s.part as usize),
                    ItemParams { a: s.a?, b: s.b? },
                ))
            })
            .collect();
        let parameters = Arc::new(Parameters { calibrated });
        self.cache
            .keep_parameters(exam.code.clone(), parameters.clone());
        Ok(parameters)
    }

    /// The exam's ability ↔ score mapping over its live items.
    fn scale(&self, exam: &Exam, parameters: &Parameters) -> Scale {
        let mut bank = Vec::new();
        for q in self
            .content()
            .questions
            .iter()
            .filter(|q| q.status == ItemStatus::Live)
        {
            let Some(m) = q.mapping_for(&exam.code) else {
                continue;
            };
            for part in 0..q.parts.len() {
                bank.push(BankItem {
                    domain: m.domain,
                    params: parameters.of(q, part).0,
                });
            }
        }
        Scale::new(exam, &bank)
    }

    /// The IRT estimate of an attempt's scored answers `(question, part, domain, correct)`,
    /// when every one of them is calibrated; `None` otherwise.
    pub(crate) async fn calibrated_estimate(
        &self,
        exam: &Exam,
        scored: &[(&Question, usize, u8, bool)],
    ) -> Result<Option<Estimate>, EngineError> {
        let parameters = self.parameters(exam).await?;
        let mut answers = Vec::with_capacity(scored.len());
        for (q, part, domain, correct) in scored {
            let (params, calibrated) = parameters.of(q, *part);
            if !calibrated {
                return Ok(None);
            }
            answers.push(Answer {
                item: BankItem {
                    domain: *domain,
                    params,
                },
                correct: *correct,
            });
        }
        let scale = self.scale(exam, &parameters);
        Ok(match readiness(exam, &scale, &answers) {
            Readiness::Estimate(e) => Some(e),
            Readiness::NotEnoughData { .. } => None,
        })
    }

    /// `owner`'s readiness for the exam `code`.
    pub async fn readiness(&self, owner: &str, code: &str) -> Result<ReadinessView, EngineError> {
        let exam = self.exam(code)?;
        let parameters = self.parameters(exam).await?;
        let reviews = self.store().reviews_of(owner).await?;
        let mut over = ReadinessOver::new(self, exam, &parameters);
        for review in &reviews {
            over.grade(&review.question_id, review.grade);
        }
        let (readiness, calibrated_share) = over.now();
        Ok(ReadinessView {
            exam: exam.code.to_string(),
            calibrated_share,
            readiness,
        })
    }
}

impl Engine {
    /// The bank's questions of `exam` by id.
    pub(crate) fn questions_of(&self, exam: &Exam) -> HashMap<&str, &Question> {
        self.content()
            .questions
            .iter()
            .filter(|q| q.mapping_for(&exam.code).is_some())
            .map(|q| (q.id.as_str(), q))
            .collect()
    }
}

/// Readiness over a learner's latest grade of each question of one exam, graded in time
/// order: the estimate can be read after any grade (the progress page reads it after each day).
pub(crate) struct ReadinessOver<'a> {
    exam: &'a Exam,
    parameters: &'a Parameters,
    scale: Scale,
    questions: HashMap<&'a str, &'a Question>,
    /// The latest grade of each question: right unless Again.
    latest: BTreeMap<String, bool>,
}

impl<'a> ReadinessOver<'a> {
    pub(crate) fn new(engine: &'a Engine, exam: &'a Exam, parameters: &'a Parameters) -> Self {
        let questions = engine.questions_of(exam);
        Self {
            exam,
            parameters,
            scale: engine.scale(exam, parameters),
            questions,
            latest: BTreeMap::new(),
        }
    }

    /// Records a grade of `question` (ignored unless the question belongs to the exam).
    pub(crate) fn grade(&mut self, question: &str, grade: Grade) {
        if self.questions.contains_key(question) {
            self.latest
                .insert(question.to_owned(), grade != Grade::Again);
        }
    }

    /// The readiness after the grades so far, and the share of them read with calibrated
    /// parameters.
    pub(crate) fn now(&self) -> (Readiness, f64) {
        let mut calibrated = 0;
        let answers: Vec<Answer> = self
            .latest
            .iter()
            .filter_map(|(id, correct)| {
                let q = self.questions.get(id.as_str())?;
                let (params, is_calibrated) = self.parameters.of(q, 0);
                calibrated += usize::from(is_calibrated);
                Some(Answer {
                    item: BankItem {
                        domain: q.mapping_for(&self.exam.code)?.domain,
                        params,
                    },
                    correct: *correct,
                })
            })
            .collect();
        let share = if answers.is_empty() {
            0.0
        } else {
            calibrated as f64 / answers.len() as f64
        };
        (readiness(self.exam, &self.scale, &answers), share)
    }
}
