//! Item statistics as authors read them: per exam and item part, what the last calibration
//! found, with the item's status and its open reports. Flagged items come first.

use std::collections::{BTreeSet, HashMap};

use time::OffsetDateTime;

use getmycert_core::analysis::ItemAnalysis;
use getmycert_core::{ItemStatus, ReportStatus};

use crate::{Engine, EngineError};

/// One item part's statistics.
#[derive(Debug, Clone)]
pub struct ItemStat {
    pub exam: String,
    pub id: String,
    /// 1-based part (case-study sub-question).
    pub part: usize,
    /// The item's status in the content (retired when it left the bank).
    pub status: ItemStatus,
    /// A pilot part that calibration found ready to go live.
    pub ready_for_live: bool,
    pub responses: i32,
    pub facility: Option<f64>,
    pub discrimination: Option<f64>,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// Choice rates and flags, when the analysis could be read.
    pub analysis: Option<ItemAnalysis>,
    pub open_reports: usize,
}

impl ItemStat {
    /// The flags' labels.
    pub fn flags(&self) -> Vec<String> {
        self.analysis
            .iter()
            .flat_map(|a| a.flags.iter().map(|f| f.label()))
            .collect()
    }
}

/// The statistics authors asked for.
#[derive(Debug, Clone)]
pub struct ItemStats {
    pub rows: Vec<ItemStat>,
    /// Every exam with statistics, for the filter.
    pub exams: Vec<String>,
    /// When the last calibration ran.
    pub computed_at: Option<OffsetDateTime>,
    /// Rows with at least one flag.
    pub flagged: usize,
}

impl Engine {
    /// The last calibration's statistics, of one exam (any case) or all, optionally only the
    /// flagged ones; flagged rows first, then by exam, item and part.
    pub async fn item_stats(
        &self,
        exam: Option<&str>,
        flagged_only: bool,
    ) -> Result<ItemStats, EngineError> {
        let stats = self.store().item_stats().await?;
        let mut reports: HashMap<String, usize> = HashMap::new();
        for r in self.store().reports_with_status(ReportStatus::Open).await? {
            *reports.entry(r.question_id).or_default() += 1;
        }
        let statuses: HashMap<&str, ItemStatus> = self
            .content()
            .questions
            .iter()
            .map(|q| (q.id.as_str(), q.status))
            .collect();
        let exams: BTreeSet<String> = stats.iter().map(|s| s.exam_code.clone()).collect();
        let computed_at = stats.iter().map(|s| s.computed_at).max();
        let mut rows: Vec<ItemStat> = stats
            .into_iter()
            .filter(|s| exam.is_none_or(|e| s.exam_code.eq_ignore_ascii_case(e)))
            .map(|s| ItemStat {
                status: statuses
                    .get(s.question_id.as_str())
                    .copied()
                    .unwrap_or(ItemStatus::Retired),
                open_reports: reports.get(&s.question_id).copied().unwrap_or(0),
                analysis: serde_json::from_str(&s.analysis).ok(),
                exam: s.exam_code,
                id: s.question_id,
                part: s.part as usize + 1,
                ready_for_live: s.ready_for_live,
                responses: s.responses,
                facility: s.facility,
                discrimination: s.discrimination,
                a: s.a,
                b: s.b,
            })
            .filter(|r| !flagged_only || !r.flags().is_empty())
            .collect();
        rows.sort_by_key(|r| (r.flags().is_empty(), r.exam.clone(), r.id.clone(), r.part));
        Ok(ItemStats {
            flagged: rows.iter().filter(|r| !r.flags().is_empty()).count(),
            rows,
            exams: exams.into_iter().collect(),
            computed_at,
        })
    }
}
