//! A plan as calendar entries: one study block a day for each domain a week focuses on, and
//! the exam day. Each entry has an id that stays the same when the plan is asked for again
//! (with other hours or another date), so a calendar that imports it again updates its
//! entries instead of doubling them.

use time::{Date, Duration};

use super::{StudyPlan, WeekKind};

/// One calendar entry: a whole day.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyBlock {
    /// Stable across requests for the same target: week, exam and domain (or `exam-day`).
    pub uid: String,
    pub day: Date,
    pub title: String,
    pub description: String,
}

fn hours(h: f64) -> String {
    let rounded = (h * 2.0).round() / 2.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0} h")
    } else {
        format!("{rounded:.1} h")
    }
}

impl StudyPlan {
    /// The plan's study blocks in order, then the exam on `exam_day` (the date the candidate
    /// gave, else the day the plan finishes).
    pub fn blocks(&self, exam_day: Option<Date>) -> Vec<StudyBlock> {
        let target = self.target.as_str();
        let mut blocks = Vec::new();
        for week in &self.weeks {
            let kind = match week.kind {
                WeekKind::Learn => "Learn",
                WeekKind::Review => "Review",
                WeekKind::Exam => "Exam week",
            };
            let notes = week.milestones.join("\n");
            for (i, focus) in week.focus.iter().enumerate() {
                blocks.push(StudyBlock {
                    uid: format!(
                        "{target}-week{}-{}-domain{}@getmycert",
                        week.number,
                        week.exam.as_str(),
                        focus.domain
                    ),
                    day: week.starts + Duration::days(i as i64 % 7),
                    title: format!(
                        "{} · {kind}: domain {} ({})",
                        week.exam.as_str(),
                        focus.domain,
                        hours(focus.hours)
                    ),
                    description: format!(
                        "Week {} of your plan for {target}: {} of study on {}.{}{}",
                        week.number,
                        hours(focus.hours),
                        focus.name,
                        if notes.is_empty() { "" } else { "\n" },
                        notes
                    ),
                });
            }
        }
        blocks.push(StudyBlock {
            uid: format!("{target}-exam-day@getmycert"),
            day: exam_day.unwrap_or(self.finishes),
            title: format!("{target} exam"),
            description: format!(
                "The {target} exam{}.",
                if exam_day.is_some() {
                    ""
                } else {
                    " (the day your plan finishes; book it for this day or later)"
                }
            ),
        });
        blocks
    }
}
