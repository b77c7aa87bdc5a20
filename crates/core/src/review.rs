//! Spaced repetition of questions: one card per (candidate, item), scheduled by FSRS (the
//! `fsrs` crate with its default parameters until a candidate's own are fitted).
//!
//! The grade of an answer:
//! - wrong → **Again**;
//! - right after changing the answer, or slower than twice the expected time → **Hard**;
//! - right in under half the expected time → **Easy**;
//! - otherwise right → **Good**.
//!
//! The expected time is the exam's average time per question (minutes / questions).

use serde::{Deserialize, Serialize};

/// How well an item was recalled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grade {
    Again,
    Hard,
    Good,
    Easy,
}

/// The grade of one answer (see the module doc).
pub fn grade(correct: bool, seconds: f64, expected_seconds: f64, changed_answer: bool) -> Grade {
    match correct {
        false => Grade::Again,
        true if changed_answer || seconds > 2.0 * expected_seconds => Grade::Hard,
        true if seconds < 0.5 * expected_seconds => Grade::Easy,
        true => Grade::Good,
    }
}

/// A card's memory: FSRS stability (days) and difficulty (1–10).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Memory {
    pub stability: f32,
    pub difficulty: f32,
}

/// The next state of a card after a review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scheduled {
    pub memory: Memory,
    /// Whole days until the card is due again (at least 1).
    pub interval_days: u32,
}

/// Why scheduling failed (bad parameters or retention).
#[derive(Debug, thiserror::Error)]
#[error("scheduling failed: {0}")]
pub struct ScheduleError(String);

/// Schedules a card after a review: `memory` is `None` for a new card; `elapsed_days` since the
/// last review; `desired_retention` in (0, 1), 0.9 by default.
pub fn schedule(
    memory: Option<Memory>,
    grade: Grade,
    elapsed_days: u32,
    desired_retention: f32,
) -> Result<Scheduled, ScheduleError> {
    if !(0.7..=0.99).contains(&desired_retention) {
        return Err(ScheduleError(format!(
            "desired retention {desired_retention} is outside 0.70–0.99"
        )));
    }
    let fsrs = fsrs::FSRS::new(&[]).map_err(|e| ScheduleError(e.to_string()))?;
    let current = memory.map(|m| fsrs::MemoryState {
        stability: m.stability,
        difficulty: m.difficulty,
    });
    let next = fsrs
        .next_states(current, desired_retention, elapsed_days)
        .map_err(|e| ScheduleError(e.to_string()))?;
    let state = match grade {
        Grade::Again => next.again,
        Grade::Hard => next.hard,
        Grade::Good => next.good,
        Grade::Easy => next.easy,
    };
    Ok(Scheduled {
        memory: Memory {
            stability: state.memory.stability,
            difficulty: state.memory.difficulty,
        },
        interval_days: state.interval.round().max(1.0) as u32,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_grade_rule_reads_correctness_time_and_changes() {
        assert_eq!(grade(false, 10.0, 90.0, false), Grade::Again);
        assert_eq!(grade(true, 30.0, 90.0, false), Grade::Easy);
        assert_eq!(grade(true, 60.0, 90.0, false), Grade::Good);
        assert_eq!(grade(true, 200.0, 90.0, false), Grade::Hard);
        assert_eq!(
            grade(true, 30.0, 90.0, true),
            Grade::Hard,
            "a changed answer is not easy"
        );
    }

    #[test]
    fn a_lapse_comes_back_sooner_than_a_success() {
        let first = schedule(None, Grade::Good, 0, 0.9).expect("new card");
        let good =
            schedule(Some(first.memory), Grade::Good, first.interval_days, 0.9).expect("good");
        let again =
            schedule(Some(first.memory), Grade::Again, first.interval_days, 0.9).expect("again");
        assert!(
            good.interval_days > first.interval_days,
            "{good:?} after {first:?}"
        );
        assert!(again.interval_days < good.interval_days);
        assert!(again.memory.stability < good.memory.stability);
        assert!(schedule(None, Grade::Good, 0, 0.5).is_err());
    }

    proptest! {
        #[test]
        fn better_grades_never_give_shorter_intervals(
            stability in 0.5f32..100.0, difficulty in 1.0f32..10.0, elapsed in 0u32..120, retention in 0.8f32..0.95,
        ) {
            let memory = Some(Memory { stability, difficulty });
            let days: Vec<u32> = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy]
                .iter()
                .map(|g| schedule(memory, *g, elapsed, retention).expect("schedules").interval_days)
                .collect();
            prop_assert!(days.windows(2).all(|w| w[0] <= w[1]), "{:?}", days);
        }

        #[test]
        fn higher_desired_retention_never_lengthens_the_interval(stability in 1.0f32..100.0, difficulty in 1.0f32..10.0) {
            let memory = Some(Memory { stability, difficulty });
            let low = schedule(memory, Grade::Good, 10, 0.8).expect("0.8").interval_days;
            let high = schedule(memory, Grade::Good, 10, 0.95).expect("0.95").interval_days;
            prop_assert!(high <= low, "{high} > {low}");
        }
    }
}
