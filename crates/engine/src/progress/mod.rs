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
