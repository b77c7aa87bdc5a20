//! Where a learner stands, as the home and exam pages summarise it: the review queue and the
//! readiness estimate per exam.

mod report;

pub use report::{
    DomainWeeks, DueDay, MissedQuestion, ProgressReport, ReadinessPoint, SimulationPoint, Tally,
    WeekActivity,
};

use time::OffsetDateTime;

use crate::readiness::ReadinessView;
use crate::review::DueCount;
use crate::{Engine, EngineError};

/// One exam's summary for a learner.
#[derive(Debug, Clone)]
pub struct ExamProgress {
    /// Live questions of the exam in the bank.
    pub live: u64,
    /// The review queue, when the learner has cards of this exam.
    pub queue: Option<DueCount>,
    /// Readiness, when the bank has questions of this exam.
    pub readiness: Option<ReadinessView>,
}

impl Engine {
    /// The exam `code`'s summary for `owner`.
    pub async fn exam_progress(
        &self,
        owner: &str,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<ExamProgress, EngineError> {
        let exam = self.exam(code)?;
        let live = self
            .live_counts()
            .await?
            .get(exam.code.as_str())
            .copied()
            .unwrap_or(0);
        let queue = self
            .due(owner, now)
            .await?
            .into_iter()
            .find(|d| d.exam == exam.code.as_str() && d.cards > 0);
        let readiness = match live {
            0 => None,
            _ => Some(self.readiness(owner, exam.code.as_str()).await?),
        };
        Ok(ExamProgress {
            live,
            queue,
            readiness,
        })
    }

    /// The review queue and readiness of every exam `owner` has cards of, in catalog order.
    pub async fn progress(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<(DueCount, ReadinessView)>, EngineError> {
        let mut rows = Vec::new();
        for queue in self
            .due(owner, now)
            .await?
            .into_iter()
            .filter(|d| d.cards > 0)
        {
            let readiness = self.readiness(owner, &queue.exam).await?;
            rows.push((queue, readiness));
        }
        Ok(rows)
    }
}

impl Engine {
    /// What the plan advisor needs of `owner`'s history: per exam with cards, each domain's
    /// probability of mastery from the readiness estimate (`None` where it cannot tell yet,
    /// or for every domain before there is an estimate).
    pub async fn plan_mastery(
        &self,
        owner: &str,
        now: OffsetDateTime,
    ) -> Result<getmycert_core::plan::Mastery, EngineError> {
        let mut mastery = getmycert_core::plan::Mastery::new();
        for (queue, view) in self.progress(owner, now).await? {
            if let getmycert_core::readiness::Readiness::Estimate(e) = view.readiness {
                mastery.insert(
                    queue.exam,
                    e.domains.iter().map(|d| (d.domain, d.p_mastery)).collect(),
                );
            }
        }
        Ok(mastery)
    }
}

/// Days between two full simulations that "today" suggests.
pub const SIMULATION_EVERY_DAYS: i64 = 14;

/// What a learner with history should do today, for the exam they study most (most cards):
/// reviews due, a drill in the weakest domain, and when the next full simulation is due.
#[derive(Debug, Clone)]
pub struct Today {
    pub exam: String,
    pub reviews_due: usize,
    /// The domain with the lowest chance of mastery, once readiness can tell: number, name.
    pub weakest: Option<(u8, String)>,
    /// The day the next full simulation is due: 14 days after the last, or today.
    pub next_simulation: time::Date,
    /// The last simulation's day, if any.
    pub last_simulation: Option<time::Date>,
}

impl Engine {
    /// `owner`'s plan for today from their `progress` (as [`Engine::progress`] gives it), or
    /// `None` for a visitor without history.
    pub async fn today(
        &self,
        owner: &str,
        progress: &[(DueCount, ReadinessView)],
        now: OffsetDateTime,
    ) -> Result<Option<Today>, EngineError> {
        let Some((queue, readiness)) = progress
            .iter()
            .filter(|(d, _)| d.cards > 0)
            .max_by_key(|(d, _)| d.cards)
        else {
            return Ok(None);
        };
        let exam = self.exam(&queue.exam)?;
        let weakest = match &readiness.readiness {
            getmycert_core::readiness::Readiness::Estimate(e) => e
                .domains
                .iter()
                .filter_map(|d| Some((d.domain, d.p_mastery?)))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .and_then(|(n, _)| {
                    exam.domains
                        .iter()
                        .find(|d| d.number == n)
                        .map(|d| (n, d.name.clone()))
                }),
            getmycert_core::readiness::Readiness::NotEnoughData { .. } => None,
        };
        let last_simulation = self
            .store()
            .attempts_of(owner)
            .await?
            .iter()
            .filter(|a| a.exam_code == queue.exam && a.mode == getmycert_core::Mode::Exam)
            .filter_map(|a| a.submitted_at)
            .max()
            .map(|at| at.date());
        let next_simulation = last_simulation
            .map(|d| d + time::Duration::days(SIMULATION_EVERY_DAYS))
            .filter(|d| *d > now.date())
            .unwrap_or(now.date());
        Ok(Some(Today {
            exam: queue.exam.clone(),
            reviews_due: queue.due,
            weakest,
            next_simulation,
            last_simulation,
        }))
    }
}
