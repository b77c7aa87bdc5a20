//! The study-plan advisor: from a candidate's background, weekly hours and optional exam date,
//! a route through the certification path and a week-by-week plan whose hours per domain follow
//! each exam's blueprint weights.
//!
//! The effort model is a documented heuristic, not a promise:
//!
//! | stage exam level | hours at the recommended experience | below it |
//! |---|---|---|
//! | Foundational | 30 (20 with a year of ML or AWS) | 40 when new to both |
//! | Associate | 90 | 120 when new to ML or AWS |
//! | Professional / Specialty | 140 | 160 when below two years of ML |
//!
//! Routes: a foundational target is taken directly. An associate target is taken directly with
//! a year of ML and a year of AWS; otherwise a foundational exam comes first (AI Practitioner
//! for people new to ML, Cloud Practitioner for people new to AWS). A professional or specialty
//! target is taken directly with two or more years of ML and regular (a year or more) AWS use;
//! people new to ML or AWS go through a foundational and the associate exam first (6–12
//! months); the rest go through the associate exam.

use serde::Serialize;
use time::{Date, Duration};

use crate::exam::{Exam, ExamCode, Level};

mod adapt;
mod blocks;
mod request;

pub use adapt::{FLOOR, shares};
pub use blocks::StudyBlock;
pub use request::{FieldErrors, PlanForm, PlanRequest};

/// The foundational exam for people new to ML.
pub const AI_FOUNDATION: &str = "AIF-C01";
/// The foundational exam for people who know ML but are new to AWS.
pub const CLOUD_FOUNDATION: &str = "CLF-C02";
/// The associate exam that bridges to the professional ML/GenAI exams.
pub const ML_ASSOCIATE: &str = "MLA-C01";

/// The associate exam that bridges to the professional architecture exam.
pub const ARCHITECT_ASSOCIATE: &str = "SAA-C03";

/// The most hours a week the advisor accepts: beyond it a plan is not sustainable.
pub const MAX_HOURS_PER_WEEK: f64 = 80.0;

/// How the candidate gets to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Route {
    /// Straight to the target exam.
    Direct,
    /// Through the associate exam first.
    ViaAssociate,
    /// A foundational exam first, then (for professional targets) the associate exam.
    FoundationFirst,
}

/// What a week is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeekKind {
    Learn,
    Review,
    Exam,
}

/// Hours for one domain in one week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DomainHours {
    pub domain: u8,
    pub name: String,
    pub hours: f64,
}

/// One week of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// 1-based across the whole plan.
    pub number: u32,
    pub starts: Date,
    pub exam: ExamCode,
    pub kind: WeekKind,
    pub focus: Vec<DomainHours>,
    pub milestones: Vec<String>,
}

/// One exam of the route with its effort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stage {
    pub exam: ExamCode,
    pub name: String,
    pub hours: f64,
    pub weeks: u32,
    /// Total hours per domain over the stage: weight share of the stage's hours.
    pub domain_hours: Vec<DomainHours>,
    /// Whether the shares follow the learner's mastery rather than the blueprint alone.
    pub adapted: bool,
}

/// The advisor's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudyPlan {
    pub target: ExamCode,
    pub route: Route,
    pub summary: String,
    pub hours_per_week: f64,
    pub stages: Vec<Stage>,
    pub weeks: Vec<Week>,
    pub total_hours: f64,
    /// The day the plan's last week ends.
    pub finishes: Date,
    /// Honest warnings: too little time before the date, an unrealistic pace.
    pub warnings: Vec<String>,
}

/// What the plan knows of a learner's history: per exam code, the probability that each domain
/// (by number) is mastered, `None` where readiness cannot tell yet. Empty for a newcomer.
pub type Mastery = std::collections::BTreeMap<String, Vec<(u8, Option<f64>)>>;

/// Builds the plan for a validated request. `catalog` must hold the target and the
/// foundational and associate exams of the path.
pub fn advise(request: &PlanRequest, catalog: &[Exam]) -> Option<StudyPlan> {
    advise_for(request, catalog, &Mastery::new())
}

/// Each domain's share of `exam`'s hours: the blueprint weights, re-weighted by `mastery`
/// where the learner has history in the exam (see `adapt`), and whether they were.
fn domain_shares(exam: &Exam, mastery: &Mastery) -> (Vec<f64>, bool) {
    let weights: Vec<f64> = exam.domains.iter().map(|d| f64::from(d.weight)).collect();
    match mastery.get(exam.code.as_str()) {
        Some(known) if known.iter().any(|(_, p)| p.is_some()) => {
            let aligned: Vec<Option<f64>> = exam
                .domains
                .iter()
                .map(|d| {
                    known
                        .iter()
                        .find(|(n, _)| *n == d.number)
                        .and_then(|(_, p)| *p)
                })
                .collect();
            (shares(&weights, &aligned), true)
        }
        _ => {
            let total: f64 = weights.iter().sum();
            (weights.iter().map(|w| w / total).collect(), false)
        }
    }
}

/// The plan for a learner with history: as [`advise`], with each exam's domain hours
/// re-weighted toward the domains `mastery` shows weakest.
pub fn advise_for(request: &PlanRequest, catalog: &[Exam], mastery: &Mastery) -> Option<StudyPlan> {
    let find = |code: &str| catalog.iter().find(|e| e.code.as_str() == code);
    let target = catalog.iter().find(|e| e.code == request.target)?;
    let ml = request.ml_years;
    let aws = request.aws_years;
    let new_to_ml = ml < 1.0;
    let new_to_aws = aws < 1.0;
    let is_ml_exam =
        [AI_FOUNDATION, ML_ASSOCIATE, "MLS-C01", "AIP-C01"].contains(&target.code.as_str());
    let foundation = if new_to_ml && is_ml_exam {
        AI_FOUNDATION
    } else {
        CLOUD_FOUNDATION
    };
    let associate = if is_ml_exam {
        ML_ASSOCIATE
    } else {
        ARCHITECT_ASSOCIATE
    };

    let (route, path): (Route, Vec<&Exam>) = match target.level.rank() {
        0 => (Route::Direct, vec![target]),
        1 if new_to_aws || (is_ml_exam && new_to_ml) => {
            (Route::FoundationFirst, vec![find(foundation)?, target])
        }
        1 => (Route::Direct, vec![target]),
        _ if (is_ml_exam && ml >= 2.0 && aws >= 1.0) || (!is_ml_exam && aws >= 2.0) => {
            (Route::Direct, vec![target])
        }
        _ if (is_ml_exam && new_to_ml) || new_to_aws => (
            Route::FoundationFirst,
            vec![find(foundation)?, find(associate)?, target],
        ),
        _ => (Route::ViaAssociate, vec![find(associate)?, target]),
    };

    let hours_per_week = request.hours_per_week;
    let mut stages = Vec::new();
    let mut weeks = Vec::new();
    for exam in &path {
        let hours = stage_hours(exam.level, ml, aws);
        let stage_weeks = ((hours / hours_per_week).ceil() as u32).max(2);
        let first = weeks.len() as u32 + 1;
        let (shares, adapted) = domain_shares(exam, mastery);
        weeks.extend(stage_weeks_plan(
            exam,
            &shares,
            first,
            stage_weeks,
            hours_per_week,
            request.today,
        ));
        let stage_total = f64::from(stage_weeks) * hours_per_week;
        stages.push(Stage {
            exam: exam.code.clone(),
            name: exam.name.clone(),
            hours: stage_total,
            weeks: stage_weeks,
            domain_hours: exam
                .domains
                .iter()
                .zip(&shares)
                .map(|(d, share)| DomainHours {
                    domain: d.number,
                    name: d.name.clone(),
                    hours: stage_total * share,
                })
                .collect(),
            adapted,
        });
    }
    let total_weeks = weeks.len() as u32;
    let total_hours = stages.iter().map(|s| s.hours).sum::<f64>();
    let finishes = request.today + Duration::weeks(i64::from(total_weeks));
    let months = f64::from(total_weeks) / 4.345;

    let mut warnings = Vec::new();
    if let Some(date) = request.exam_date {
        let available = ((date - request.today).whole_days() / 7).max(0) as u32;
        if available < total_weeks {
            let needed_pace = (total_hours / f64::from(available.max(1))).ceil();
            let pace_advice = if needed_pace <= MAX_HOURS_PER_WEEK {
                format!("study about {needed_pace} hours a week, or ")
            } else {
                String::new()
            };
            warnings.push(format!(
                "Your exam date {date} leaves {available} week(s), but this route needs {total_weeks} weeks \
                 ({total_hours:.0} hours) at {hours_per_week} hours a week: {pace_advice}move the exam to {finishes} or later."
            ));
        } else if available > total_weeks + 4 {
            warnings.push(format!(
                "Your exam date {date} is {available} weeks away and the plan needs {total_weeks}: \
                 start later, or spend the spare weeks on extra review and simulations."
            ));
        }
    }
    if hours_per_week > 40.0 {
        warnings.push(
            "More than 40 hours a week is a full-time load; retention drops without rest days."
                .into(),
        );
    }

    let exams_on_route = path
        .iter()
        .map(|e| format!("{} ({})", e.short_name, e.code))
        .collect::<Vec<_>>()
        .join(", then ");
    let why = match route {
        Route::Direct => format!("Your background fits {}: go straight to it.", target.code),
        Route::ViaAssociate => {
            format!(
                "The associate exam {associate} first builds the hands-on ground the \
                 professional level assumes."
            )
        }
        Route::FoundationFirst => {
            let gap = match (new_to_ml, new_to_aws) {
                (true, true) => "new to both ML and AWS",
                (true, false) => "new to ML",
                _ => "new to AWS",
            };
            format!("You are {gap}: build the foundation first.")
        }
    };
    let summary = format!(
        "{why} Route: {exams_on_route}. About {total_hours:.0} hours over {total_weeks} weeks \
         (about {months:.1} months) at {hours_per_week} hours a week."
    );

    Some(StudyPlan {
        target: target.code.clone(),
        route,
        summary,
        hours_per_week,
        stages,
        weeks,
        total_hours,
        finishes,
        warnings,
    })
}

/// Study hours one stage needs for this background (see the module table).
fn stage_hours(level: Level, ml: f64, aws: f64) -> f64 {
    match level.rank() {
        0 if ml < 0.5 && aws < 0.5 => 40.0,
        0 if ml >= 1.0 || aws >= 1.0 => 20.0,
        0 => 30.0,
        1 if ml < 1.0 || aws < 1.0 => 120.0,
        1 => 90.0,
        _ if ml < 2.0 => 160.0,
        _ => 140.0,
    }
}

/// The weeks of one stage: learning weeks walk the domains in order with hours in proportion to
/// their weights; review weeks and the exam week spread their hours over every domain by weight.
fn stage_weeks_plan(
    exam: &Exam,
    shares: &[f64],
    first: u32,
    count: u32,
    per_week: f64,
    today: Date,
) -> Vec<Week> {
    let review_weeks = match count {
        0..=3 => 0,
        4..=9 => 1,
        _ => 2,
    };
    let learn_weeks = count - review_weeks - 1;
    let learn_hours = f64::from(learn_weeks) * per_week;
    let by_weight = |hours: f64| -> Vec<DomainHours> {
        exam.domains
            .iter()
            .zip(shares)
            .map(|(d, share)| DomainHours {
                domain: d.number,
                name: d.name.clone(),
                hours: hours * share,
            })
            .collect()
    };

    // Sequential fill: the domains' learning hours laid end to end over the learning weeks.
    let mut remaining: Vec<DomainHours> = by_weight(learn_hours);
    let mut cursor = 0;
    let mut weeks = Vec::with_capacity(count as usize);
    for i in 0..count {
        let number = first + i;
        let starts = today + Duration::weeks(i64::from(number - 1));
        let mut milestones = Vec::new();
        let (kind, focus) = if i < learn_weeks {
            let mut capacity = per_week;
            let mut focus = Vec::new();
            while capacity > 1e-9 && cursor < remaining.len() {
                let take = remaining[cursor].hours.min(capacity);
                if take > 1e-9 {
                    focus.push(DomainHours {
                        hours: take,
                        ..remaining[cursor].clone()
                    });
                }
                remaining[cursor].hours -= take;
                capacity -= take;
                if remaining[cursor].hours <= 1e-9 {
                    cursor += 1;
                }
            }
            if i == 0 {
                milestones.push(format!(
                    "Read the {} exam guide; take a short diagnostic practice set in every domain",
                    exam.code
                ));
            }
            (WeekKind::Learn, focus)
        } else if i < count - 1 {
            (WeekKind::Review, by_weight(per_week))
        } else {
            (WeekKind::Exam, by_weight(per_week))
        };
        let first_simulation_week = if review_weeks > 0 {
            learn_weeks
        } else {
            count - 1
        };
        if i == first_simulation_week && kind != WeekKind::Exam {
            milestones.push(format!(
                "First full {}-question simulation under exam timing",
                exam.questions.total()
            ));
        }
        match kind {
            WeekKind::Review => milestones.push(
                "Review week: redo missed questions, drill the domains marked Needs improvement"
                    .into(),
            ),
            WeekKind::Exam => {
                if first_simulation_week == i {
                    milestones.push(format!(
                        "Full {}-question simulation early in the week",
                        exam.questions.total()
                    ));
                } else {
                    milestones
                        .push("Final simulation early in the week; light review after".into());
                }
                milestones.push(format!("Exam week: sit {}", exam.code));
            }
            WeekKind::Learn => {}
        }
        weeks.push(Week {
            number,
            starts,
            exam: exam.code.clone(),
            kind,
            focus,
            milestones,
        });
    }
    weeks
}

#[cfg(test)]
mod tests;
