//! One exam's progress for a learner, as `/progress` and `GET /api/v1/progress/{exam}` show
//! it: simulation scores with their intervals, the readiness estimate after each day of study,
//! answers and study time per week, domain results week by week beside the blueprint weights,
//! reviews due in the next 14 days and the questions missed most. The rules are in
//! `docs/learning.md`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use getmycert_core::progress::{active_time, score_interval, week_start};
use getmycert_core::readiness::Readiness;
use getmycert_core::review::Grade;
use getmycert_core::{Mode, Question};
use getmycert_store::CardReview;

use crate::attempts::StoredResult;
use crate::readiness::ReadinessOver;
use crate::{Engine, EngineError};

/// Weeks the weekly views cover, this one included.
pub const WEEKS: usize = 8;
/// Days the review forecast covers, today included.
pub const DUE_DAYS: usize = 14;
/// Days of study the readiness trend shows at most (the latest).
pub const TREND_DAYS: usize = 30;
/// Questions listed as missed most.
pub const MISSED: usize = 10;

/// One exam's progress.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressReport {
    pub exam: String,
    pub exam_name: String,
    pub passing_score: u32,
    /// Submitted simulations, oldest first.
    pub simulations: Vec<SimulationPoint>,
    /// The readiness estimate after each day with graded answers (the latest 30 such days).
    pub readiness: Vec<ReadinessPoint>,
    /// The last 8 weeks, oldest first.
    pub weeks: Vec<WeekActivity>,
    /// Each domain's answers week by week (aligned with `weeks`) beside its blueprint weight.
    pub domains: Vec<DomainWeeks>,
    /// Cards falling due on each of the next 14 days (overdue ones count today).
    pub due: Vec<DueDay>,
    /// The questions answered wrong most often, most first.
    pub missed: Vec<MissedQuestion>,
}

/// A submitted simulation's score and its 80% interval.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SimulationPoint {
    pub id: String,
    /// RFC 3339.
    pub submitted_at: String,
    pub scaled_score: u32,
    pub low: u32,
    pub high: u32,
    pub passed: bool,
}

/// The readiness estimate at the end of one day of study.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadinessPoint {
    /// YYYY-MM-DD (UTC).
    pub day: String,
    pub scaled_score: u32,
    pub low: u32,
    pub high: u32,
    pub p_pass: f64,
    /// Questions answered so far (the latest answer of each counts).
    pub responses: usize,
}

/// One week's study.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekActivity {
    /// The Monday that starts the week, YYYY-MM-DD.
    pub week: String,
    /// Graded answers.
    pub answers: usize,
    pub correct: usize,
    /// Active study time, from the times answers were saved.
    pub minutes: i64,
}

/// One domain's results week by week.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainWeeks {
    pub domain: u8,
    pub name: String,
    /// Share of the scored content, in percent.
    pub weight: u8,
    /// The readiness estimate's verdict on the domain now.
    pub mastery: String,
    /// Aligned with the report's `weeks`.
    pub weeks: Vec<Tally>,
}

/// Answers and how many were right.
#[derive(Debug, Clone, Copy, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub answers: usize,
    pub correct: usize,
}

/// Cards falling due on one day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueDay {
    /// YYYY-MM-DD (UTC).
    pub day: String,
    pub cards: usize,
}

/// A question answered wrong more than once or more often than others.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissedQuestion {
    pub id: String,
    /// The opening of its stem.
    pub opening: String,
    pub misses: usize,
    pub answers: usize,
}

fn day(d: Date) -> String {
    d.to_string()
}

/// The first sentence-ish of a Markdown stem, as plain text, at most 90 characters.
fn opening(question: &Question) -> String {
    let stem = question.parts.first().map_or("", |p| p.stem.as_str());
    let plain: String = stem
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !matches!(c, '*' | '`' | '_' | '#'))
        .collect();
    match plain.char_indices().nth(90) {
        Some((cut, _)) => format!("{}…", plain[..cut].trim_end()),
        None => plain,
    }
}

impl Engine {
    /// `owner`'s progress in the exam `code` as of `now`.
    pub async fn progress_report(
        &self,
        owner: &str,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<ProgressReport, EngineError> {
        let exam = self.exam(code)?;
        let today = now.date();
        let first_week = week_start(today) - Duration::weeks(WEEKS as i64 - 1);
        let week_of = |at: OffsetDateTime| -> Option<usize> {
            let start = week_start(at.date());
            (start >= first_week).then(|| ((start - first_week).whole_weeks()) as usize)
        };
        let questions = self.questions_of(exam);

        // Simulations, and the answer times of this exam's recent sittings (study time).
        let mut simulations = Vec::new();
        let mut answer_times: Vec<OffsetDateTime> = Vec::new();
        let mut attempts = self.store().attempts_of(owner).await?;
        attempts.retain(|a| a.exam_code == exam.code.as_str());
        attempts.sort_by_key(|a| a.started_at);
        for attempt in &attempts {
            if let (Mode::Exam, Some(result), Some(at)) =
                (attempt.mode, &attempt.result, attempt.submitted_at)
            {
                let summary = serde_json::from_str::<StoredResult>(result)?.summary;
                let (low, high) = score_interval(
                    summary.weighted_proportion,
                    summary.total,
                    summary.passing_score,
                );
                simulations.push(SimulationPoint {
                    id: attempt.id.clone(),
                    submitted_at: at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                    scaled_score: summary.scaled_score,
                    low,
                    high,
                    passed: summary.passed,
                });
            }
            if attempt.started_at >= OffsetDateTime::new_utc(first_week, time::Time::MIDNIGHT) {
                answer_times.extend(
                    self.store()
                        .responses(&attempt.id)
                        .await?
                        .iter()
                        .filter(|r| r.response.is_some())
                        .map(|r| r.answered_at),
                );
            }
        }
        answer_times.sort();

        // Graded answers: readiness after each day, weekly tallies, domains, misses.
        let parameters = self.parameters(exam).await?;
        let mut over = ReadinessOver::new(self, exam, &parameters);
        let mut readiness = Vec::new();
        let mut weeks = [Tally::default(); WEEKS];
        let mut domains: BTreeMap<u8, Vec<Tally>> = exam
            .domains
            .iter()
            .map(|d| (d.number, vec![Tally::default(); WEEKS]))
            .collect();
        let mut misses: HashMap<&str, (usize, usize)> = HashMap::new();
        let reviews = self.store().reviews_of(owner).await?;
        let graded: Vec<(&CardReview, &Question)> = reviews
            .iter()
            .filter_map(|r| Some((r, *questions.get(r.question_id.as_str())?)))
            .collect();
        for (i, (review, question)) in graded.iter().enumerate() {
            let right = review.grade != Grade::Again;
            over.grade(&review.question_id, review.grade);
            let tally = misses.entry(question.id.as_str()).or_default();
            tally.1 += 1;
            tally.0 += usize::from(!right);
            if let Some(w) = week_of(review.reviewed_at) {
                weeks[w].answers += 1;
                weeks[w].correct += usize::from(right);
                let domain = question.mapping_for(&exam.code).map(|m| m.domain);
                if let Some(cells) = domain.and_then(|d| domains.get_mut(&d)) {
                    cells[w].answers += 1;
                    cells[w].correct += usize::from(right);
                }
            }
            let day_ends = graded
                .get(i + 1)
                .is_none_or(|(next, _)| next.reviewed_at.date() != review.reviewed_at.date());
            if day_ends && let (Readiness::Estimate(e), _) = over.now() {
                readiness.push(ReadinessPoint {
                    day: day(review.reviewed_at.date()),
                    scaled_score: e.scaled_score,
                    low: e.low,
                    high: e.high,
                    p_pass: e.p_pass,
                    responses: e.responses,
                });
            }
        }
        drop(graded);
        let skip = readiness.len().saturating_sub(TREND_DAYS);
        readiness.drain(..skip);
        let mastery: HashMap<u8, &'static str> = match over.now().0 {
            Readiness::Estimate(e) => e
                .domains
                .iter()
                .map(|d| (d.domain, d.mastery.label()))
                .collect(),
            Readiness::NotEnoughData { .. } => HashMap::new(),
        };

        let mut minutes = [0i64; WEEKS];
        let mut by_week: BTreeMap<usize, Vec<OffsetDateTime>> = BTreeMap::new();
        for t in answer_times {
            if let Some(w) = week_of(t) {
                by_week.entry(w).or_default().push(t);
            }
        }
        for (w, times) in by_week {
            minutes[w] = active_time(&times).whole_minutes();
        }

        // Reviews due: overdue cards count today.
        let mut due = [0usize; DUE_DAYS];
        for card in self.store().cards_of(owner).await? {
            if !questions.contains_key(card.question_id.as_str()) {
                continue;
            }
            let ahead = (card.due_at.date() - today).whole_days().max(0) as usize;
            if ahead < DUE_DAYS {
                due[ahead] += 1;
            }
        }

        let mut missed: Vec<MissedQuestion> = misses
            .into_iter()
            .filter(|(_, (m, _))| *m > 0)
            .map(|(id, (m, n))| MissedQuestion {
                id: id.to_owned(),
                opening: questions.get(id).map(|q| opening(q)).unwrap_or_default(),
                misses: m,
                answers: n,
            })
            .collect();
        missed.sort_by(|a, b| (b.misses, a.answers, &a.id).cmp(&(a.misses, b.answers, &b.id)));
        missed.truncate(MISSED);

        Ok(ProgressReport {
            exam: exam.code.to_string(),
            exam_name: exam.name.clone(),
            passing_score: exam.passing_score.value,
            simulations,
            readiness,
            weeks: (0..WEEKS)
                .map(|w| WeekActivity {
                    week: day(first_week + Duration::weeks(w as i64)),
                    answers: weeks[w].answers,
                    correct: weeks[w].correct,
                    minutes: minutes[w],
                })
                .collect(),
            domains: exam
                .domains
                .iter()
                .map(|d| DomainWeeks {
                    domain: d.number,
                    name: d.name.clone(),
                    weight: d.weight,
                    mastery: mastery
                        .get(&d.number)
                        .copied()
                        .unwrap_or("Too few answers yet")
                        .to_owned(),
                    weeks: domains.remove(&d.number).unwrap_or_default(),
                })
                .collect(),
            due: (0..DUE_DAYS)
                .map(|i| DueDay {
                    day: day(today + Duration::days(i as i64)),
                    cards: due[i],
                })
                .collect(),
            missed,
        })
    }
}
