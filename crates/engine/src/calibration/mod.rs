//! Calibration: from first-attempt responses to item statistics and 2PL parameters, per exam.
//!
//! - A response counts once per (identity, item part): the first submitted attempt in which
//!   that identity answered it, in any mode. Later answers are practice effects, not evidence
//!   of the item's difficulty.
//! - In a simulation an unanswered item is wrong (as it is scored); in other modes it is not an
//!   observation.
//! - An item mapped to two exams is analysed in each exam's matrix (its candidates differ).
//! - 2PL parameters are kept for items with at least [`MIN_CALIBRATED`] responses; a pilot
//!   item with at least [`PILOT_RESPONSES`] responses, discrimination a ≥ 0.5, a point-biserial
//!   ≥ 0.15 and no flag, in every part, goes live: draws treat it as live from then on (the
//!   author is told to set `status: live` in its file).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Instant;

use serde::Serialize;
use time::OffsetDateTime;

use getmycert_core::analysis::{self, ItemAnalysis, ItemShape, Observation};
use getmycert_core::irt::{self, ItemParams};
use getmycert_core::scoring::{Response, is_correct};
use getmycert_core::{ItemStatus, Mode, PartKind, Question, QuestionId};
use getmycert_store::ItemStatRow;

use crate::{Engine, EngineError, form};

pub mod stats;

/// Responses an item needs before its 2PL parameters are kept.
pub const MIN_CALIBRATED: usize = 30;
/// Responses a pilot item needs before it can be reported ready to go live.
pub const PILOT_RESPONSES: usize = 100;
const PILOT_MIN_A: f64 = 0.5;
const PILOT_MIN_RPB: f64 = 0.15;
const MAX_ITERATIONS: usize = 500;
const TOLERANCE: f64 = 1e-4;

/// What one exam's calibration found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExamCalibration {
    pub exam: String,
    /// Identities with at least one first-attempt response.
    pub candidates: usize,
    /// Item parts with at least one response.
    pub items: usize,
    pub responses: usize,
    /// Item parts with 2PL parameters kept.
    pub calibrated: usize,
    /// Item parts with at least one flag.
    pub flagged: usize,
    /// Pilot items that have earned a place among the live ones.
    pub ready_for_live: Vec<String>,
    pub iterations: usize,
    pub converged: bool,
}

/// What a calibration run did.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationSummary {
    pub exams: Vec<ExamCalibration>,
    pub seconds: f64,
    /// Learners whose own FSRS parameters were fitted in the same run (`getmycert calibrate`).
    pub schedules_fitted: usize,
}

/// One exam's first-attempt data.
#[derive(Default)]
struct ExamData {
    persons: HashMap<String, usize>,
    items: BTreeMap<(QuestionId, usize), usize>,
    shapes: Vec<ItemShape>,
    observations: Vec<Observation>,
}

impl ExamData {
    fn index_of(&mut self, question: &Question, part: usize) -> usize {
        let next = self.items.len();
        *self
            .items
            .entry((question.id.clone(), part))
            .or_insert_with(|| {
                let p = &question.parts[part];
                let choice = matches!(p.kind, PartKind::Single | PartKind::Multiple);
                self.shapes.push(ItemShape {
                    options: if choice {
                        p.options.iter().map(|o| o.id).collect()
                    } else {
                        Vec::new()
                    },
                    keys: if choice { p.keys() } else { Vec::new() },
                });
                next
            })
    }
}

/// Whether a pilot item's figures earn it a live place.
fn ready(status: ItemStatus, a: &ItemAnalysis, params: Option<ItemParams>) -> bool {
    status == ItemStatus::Pilot
        && a.responses >= PILOT_RESPONSES
        && a.flags.is_empty()
        && a.discrimination.is_some_and(|r| r >= PILOT_MIN_RPB)
        && params.is_some_and(|p| p.a >= PILOT_MIN_A)
}

impl Engine {
    /// Reads every submitted attempt, analyses and calibrates each exam, and replaces the
    /// stored item statistics. The fitting runs on a blocking thread, off the async workers.
    pub async fn calibrate(&self, now: OffsetDateTime) -> Result<CalibrationSummary, EngineError> {
        let started = Instant::now();
        let attempts = self.store().submitted_attempts().await?;
        let mut saved: HashMap<(String, i32), Option<String>> = HashMap::new();
        for r in self.store().submitted_responses().await? {
            saved.insert((r.attempt_id, r.n), r.response);
        }
        let mut revisions: HashMap<(QuestionId, String), Question> = HashMap::new();
        let mut seen: HashSet<(String, QuestionId, usize)> = HashSet::new();
        let mut exams: BTreeMap<String, ExamData> = BTreeMap::new();
        for row in &attempts {
            for (i, item) in form::items(row)?.iter().enumerate() {
                let response = match saved.get(&(row.id.clone(), i as i32 + 1)) {
                    Some(Some(json)) => Some(serde_json::from_str::<Response>(json)?),
                    _ if row.mode == Mode::Exam => None,
                    _ => continue,
                };
                if !seen.insert((row.owner.clone(), item.id.clone(), item.part)) {
                    continue;
                }
                let key = (item.id.clone(), item.hash.clone());
                if !revisions.contains_key(&key) {
                    let q = self.store().question_revision(&item.id, &item.hash).await?;
                    revisions.insert(key.clone(), q);
                }
                let question = &revisions[&key];
                let Some(part) = question.parts.get(item.part) else {
                    continue;
                };
                let original = response.map(|r| item.to_original(&r));
                let data = exams.entry(row.exam_code.clone()).or_default();
                let persons = data.persons.len();
                let person = *data.persons.entry(row.owner.clone()).or_insert(persons);
                let index = data.index_of(question, item.part);
                data.observations.push(Observation {
                    person,
                    item: index,
                    correct: is_correct(part, original.as_ref()),
                    chosen: match original {
                        Some(Response::Selected { selected }) => selected,
                        _ => Vec::new(),
                    },
                });
            }
        }
        let statuses: HashMap<QuestionId, ItemStatus> = self
            .content()
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.status))
            .collect();
        let (rows, exams) =
            tokio::task::spawn_blocking(move || fit_all(exams, &statuses, now)).await?;
        self.store().replace_item_stats(&rows).await?;
        self.cache.calibrated();
        Ok(CalibrationSummary {
            exams,
            seconds: started.elapsed().as_secs_f64(),
            schedules_fitted: 0,
        })
    }
}

/// Analyses and calibrates every exam's data into stat rows and summaries.
fn fit_all(
    exams: BTreeMap<String, ExamData>,
    statuses: &HashMap<QuestionId, ItemStatus>,
    now: OffsetDateTime,
) -> (Vec<ItemStatRow>, Vec<ExamCalibration>) {
    let mut rows = Vec::new();
    let mut summaries = Vec::new();
    for (exam, data) in exams {
        let analyses = analysis::analyse(&data.shapes, &data.observations);
        let mut matrix = vec![vec![None; data.items.len()]; data.persons.len()];
        for o in &data.observations {
            matrix[o.person][o.item] = Some(o.correct);
        }
        let fit = irt::calibrate(&matrix, MAX_ITERATIONS, TOLERANCE).ok();
        let mut summary = ExamCalibration {
            exam: exam.clone(),
            candidates: data.persons.len(),
            items: data.items.len(),
            responses: data.observations.len(),
            calibrated: 0,
            flagged: 0,
            ready_for_live: Vec::new(),
            iterations: fit.as_ref().map_or(0, |f| f.iterations),
            converged: fit.as_ref().is_some_and(|f| f.converged),
        };
        for ((id, part), index) in &data.items {
            let a = &analyses[*index];
            let params = fit
                .as_ref()
                .map(|f| f.items[*index])
                .filter(|_| a.responses >= MIN_CALIBRATED);
            summary.calibrated += usize::from(params.is_some());
            summary.flagged += usize::from(!a.flags.is_empty());
            let status = statuses.get(id).copied().unwrap_or(ItemStatus::Retired);
            let is_ready = ready(status, a, params);
            if is_ready && !summary.ready_for_live.contains(&id.to_string()) {
                summary.ready_for_live.push(id.to_string());
            }
            rows.push(ItemStatRow {
                exam_code: exam.clone(),
                question_id: id.to_string(),
                part: *part as i32,
                responses: a.responses as i32,
                facility: a.facility,
                discrimination: a.discrimination,
                a: params.map(|p| p.a),
                b: params.map(|p| p.b),
                analysis: serde_json::to_string(a).unwrap_or_else(|_| "{}".into()),
                computed_at: now,
                ready_for_live: is_ready,
            });
        }
        summaries.push(summary);
    }
    (rows, summaries)
}
