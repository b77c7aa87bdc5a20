//! Certifications an account holds: recorded with the day they were earned, shown with their
//! expiry (three years on), the exams the catalog says renew them, and the reminder due six
//! months before expiry (`core::certification`).

use serde::Serialize;
use time::Date;

use getmycert_core::ExamCode;
use getmycert_core::certification::{expires, reminder};

use crate::{Engine, EngineError};

/// A held certification as pages, the API and the calendar show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeldCertification {
    /// Exam code, e.g. AIF-C01.
    pub exam: String,
    /// YYYY-MM-DD.
    pub earned: String,
    /// YYYY-MM-DD: three years after `earned`.
    pub expires: String,
    /// Exams whose pass also renews this certification, from the catalog.
    pub renewed_by: Vec<String>,
    /// YYYY-MM-DD: six months before `expires`.
    pub remind_on: String,
}

impl Engine {
    /// `owner`'s certifications, in catalog order.
    pub async fn certifications(&self, owner: &str) -> Result<Vec<HeldCertification>, EngineError> {
        let rows = self.store().certifications_of(owner).await?;
        Ok(self
            .content()
            .exams
            .iter()
            .filter_map(|exam| {
                let row = rows.iter().find(|r| r.exam_code == exam.code.as_str())?;
                Some(HeldCertification {
                    exam: row.exam_code.clone(),
                    earned: row.earned.to_string(),
                    expires: expires(row.earned).to_string(),
                    renewed_by: exam
                        .recertified_by
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                    remind_on: reminder(row.earned).to_string(),
                })
            })
            .collect())
    }

    /// Records that `owner` earned `exam` on `earned` (a second record renews it). An exam the
    /// catalog lacks, or a day after `today`, is refused (422).
    pub async fn record_certification(
        &self,
        owner: &str,
        exam: &str,
        earned: Date,
        today: Date,
    ) -> Result<HeldCertification, EngineError> {
        let code = ExamCode::parse(exam.trim())
            .map_err(|e| EngineError::invalid_field("exam", e.to_string()))?;
        let Some(exam) = self.content().exam(&code) else {
            return Err(EngineError::invalid_field(
                "exam",
                format!("there is no exam {code} in the catalog"),
            ));
        };
        if earned > today {
            return Err(EngineError::invalid_field(
                "earned",
                format!("{earned} is in the future: record a certification once it is earned"),
            ));
        }
        self.store()
            .record_certification(owner, exam.code.as_str(), earned)
            .await?;
        self.certifications(owner)
            .await?
            .into_iter()
            .find(|c| c.exam == exam.code.as_str())
            .ok_or_else(|| EngineError::Internal("a recorded certification went missing".into()))
    }

    /// Forgets `owner`'s certification in `exam` (404 when there is none).
    pub async fn delete_certification(&self, owner: &str, exam: &str) -> Result<(), EngineError> {
        match self
            .store()
            .delete_certification(owner, &exam.trim().to_ascii_uppercase())
            .await?
        {
            true => Ok(()),
            false => Err(EngineError::NotFound),
        }
    }
}
