//! Learners' reports on questions: anyone can report a problem with the revision they saw;
//! authors close reports as accepted or rejected with a note the reporter reads.

use time::OffsetDateTime;

use getmycert_core::{QuestionId, ReportStatus};
pub use getmycert_store::ReportRow;
use getmycert_store::StoreError;

use crate::{Engine, EngineError};

/// Longest report or note accepted, in characters.
pub const MAX_REPORT: usize = 2000;

/// The authors' queue: open reports oldest first, and the latest closed ones.
#[derive(Debug, Clone)]
pub struct ReportQueue {
    pub open: Vec<ReportRow>,
    /// At most 50, most recently resolved first.
    pub closed: Vec<ReportRow>,
}

impl Engine {
    /// Stores a report against the revision the reporter saw (the current one when not given
    /// or unknown).
    pub async fn report_question(
        &self,
        reporter: &str,
        raw_id: &str,
        revision: Option<&str>,
        body: &str,
        now: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let id = QuestionId::parse(raw_id).map_err(|_| EngineError::NotFound)?;
        let current = self.store().question(&id).await?.hash;
        let text = body.trim();
        let length = text.chars().count();
        if length < 10 {
            return Err(EngineError::invalid_field(
                "body",
                "Say what is wrong in at least 10 characters, e.g. which option and why.",
            ));
        }
        if length > MAX_REPORT {
            return Err(EngineError::invalid_field(
                "body",
                format!("Keep the report under {MAX_REPORT} characters."),
            ));
        }
        let revision = match revision.filter(|r| !r.is_empty()) {
            None => current,
            Some(given) => match self.store().question_revision(&id, given).await {
                Ok(_) => given.to_owned(),
                Err(StoreError::NotFound) => current,
                Err(e) => return Err(e.into()),
            },
        };
        self.store()
            .create_report(&ReportRow {
                id: format!("r-{}", uuid::Uuid::new_v4().simple()),
                question_id: id.to_string(),
                revision,
                reporter: reporter.to_owned(),
                body: text.to_owned(),
                created_at: now,
                status: ReportStatus::Open,
                resolution: String::new(),
                resolved_at: None,
            })
            .await?;
        Ok(())
    }

    /// The reports `reporter` made, newest first, with the authors' answers.
    pub async fn reports_by(&self, reporter: &str) -> Result<Vec<ReportRow>, EngineError> {
        Ok(self.store().reports_by(reporter).await?)
    }

    /// The authors' queue.
    pub async fn report_queue(&self) -> Result<ReportQueue, EngineError> {
        let open = self.store().reports_with_status(ReportStatus::Open).await?;
        let mut closed = self
            .store()
            .reports_with_status(ReportStatus::Accepted)
            .await?;
        closed.extend(
            self.store()
                .reports_with_status(ReportStatus::Rejected)
                .await?,
        );
        closed.sort_by_key(|r| std::cmp::Reverse(r.resolved_at));
        closed.truncate(50);
        Ok(ReportQueue { open, closed })
    }

    /// Closes an open report as `accepted` or `rejected` with a note for the reporter.
    pub async fn resolve_report(
        &self,
        id: &str,
        status: &str,
        note: &str,
        now: OffsetDateTime,
    ) -> Result<(), EngineError> {
        let status = match status.parse::<ReportStatus>() {
            Ok(s @ (ReportStatus::Accepted | ReportStatus::Rejected)) => s,
            _ => {
                return Err(EngineError::invalid_field(
                    "status",
                    "Choose accepted or rejected.",
                ));
            }
        };
        let note = note.trim();
        if !(3..=MAX_REPORT).contains(&note.chars().count()) {
            return Err(EngineError::invalid_field(
                "note",
                format!("Write a note for the reporter (3 to {MAX_REPORT} characters)."),
            ));
        }
        if !self.store().resolve_report(id, status, note, now).await? {
            return Err(EngineError::NotFound);
        }
        Ok(())
    }
}
