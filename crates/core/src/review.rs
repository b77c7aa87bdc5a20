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

use crate::keyword::keyword_enum;

keyword_enum! {
    /// How well an item was recalled.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum Grade {
        Again = "again",
        Hard = "hard",
        Good = "good",
        Easy = "easy",
    }
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
/// last review; `desired_retention` in (0, 1), 0.9 by default; `parameters` the candidate's own
/// FSRS parameters, or empty for the defaults.
pub fn schedule(
    memory: Option<Memory>,
    grade: Grade,
    elapsed_days: u32,
    desired_retention: f32,
    parameters: &[f32],
) -> Result<Scheduled, ScheduleError> {
    if !(0.7..=0.99).contains(&desired_retention) {
        return Err(ScheduleError(format!(
            "desired retention {desired_retention} is outside 0.70–0.99"
        )));
    }
    let fsrs = fsrs::FSRS::new(parameters).map_err(|e| ScheduleError(e.to_string()))?;
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

/// Reviews a candidate needs before their own FSRS parameters are fitted.
pub const MIN_REVIEWS_FOR_FIT: usize = 400;

impl Grade {
    /// FSRS's rating: 1 Again … 4 Easy.
    pub fn rating(self) -> u32 {
        match self {
            Grade::Again => 1,
            Grade::Hard => 2,
            Grade::Good => 3,
            Grade::Easy => 4,
        }
    }
}

/// Fits a candidate's FSRS parameters to their review history: per card, its reviews in order
/// as (grade, days since the card's previous review; 0 for the first). `Ok(None)` below
/// [`MIN_REVIEWS_FOR_FIT`] reviews. Slow (model training): run it off the request path.
pub fn fit_parameters(cards: &[Vec<(Grade, u32)>]) -> Result<Option<Vec<f32>>, ScheduleError> {
    if cards.iter().map(Vec::len).sum::<usize>() < MIN_REVIEWS_FOR_FIT {
        return Ok(None);
    }
    let mut train_set = Vec::new();
    for reviews in cards {
        let all: Vec<fsrs::FSRSReview> = reviews
            .iter()
            .enumerate()
            .map(|(i, (g, days))| fsrs::FSRSReview {
                rating: g.rating(),
                delta_t: if i == 0 { 0 } else { *days },
            })
            .collect();
        // One training item per review after the first: its history and the review itself.
        for end in 2..=all.len() {
            if all[end - 1].delta_t > 0 {
                train_set.push(fsrs::FSRSItem {
                    reviews: all[..end].to_vec(),
                });
            }
        }
    }
    let parameters = fsrs::compute_parameters(fsrs::ComputeParametersInput {
        train_set,
        enable_short_term: false,
        ..Default::default()
    })
    .map_err(|e| ScheduleError(e.to_string()))?;
    Ok(Some(parameters))
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
        let first = schedule(None, Grade::Good, 0, 0.9, &[]).expect("new card");
        let good = schedule(
            Some(first.memory),
            Grade::Good,
            first.interval_days,
            0.9,
            &[],
        )
        .expect("good");
        let again = schedule(
            Some(first.memory),
            Grade::Again,
            first.interval_days,
            0.9,
            &[],
        )
        .expect("again");
        assert!(
            good.interval_days > first.interval_days,
            "{good:?} after {first:?}"
        );
        assert!(again.interval_days < good.interval_days);
        assert!(again.memory.stability < good.memory.stability);
        assert!(schedule(None, Grade::Good, 0, 0.5, &[]).is_err());
    }

    /// A learner who recalls with probability exp(−t / 8) after t days (stability ~8 days),
    /// reviewed at growing intervals.
    fn history(cards: usize) -> Vec<Vec<(Grade, u32)>> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        (0..cards)
            .map(|_| {
                let mut reviews = vec![(Grade::Good, 0)];
                for days in [1u32, 3, 7, 15, 30] {
                    let recalled = rng.random::<f64>() < (-(f64::from(days)) / 8.0).exp();
                    reviews.push((if recalled { Grade::Good } else { Grade::Again }, days));
                }
                reviews
            })
            .collect()
    }

    #[test]
    fn parameters_are_fitted_once_there_are_enough_reviews() {
        assert_eq!(fit_parameters(&history(10)).expect("few"), None);
        let fitted = fit_parameters(&history(100))
            .expect("fits")
            .expect("600 reviews are enough");
        assert_eq!(fitted.len(), fsrs::DEFAULT_PARAMETERS.len());
        assert!(fitted.iter().all(|w| w.is_finite()));
        assert_ne!(fitted.as_slice(), fsrs::DEFAULT_PARAMETERS.as_slice());
        let own = schedule(None, Grade::Good, 0, 0.9, &fitted).expect("schedules with them");
        assert!(own.interval_days >= 1);
    }

    proptest! {
        #[test]
        fn better_grades_never_give_shorter_intervals(
            stability in 0.5f32..100.0, difficulty in 1.0f32..10.0, elapsed in 0u32..120, retention in 0.8f32..0.95,
        ) {
            let memory = Some(Memory { stability, difficulty });
            let days: Vec<u32> = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy]
                .iter()
                .map(|g| schedule(memory, *g, elapsed, retention, &[]).expect("schedules").interval_days)
                .collect();
            prop_assert!(days.windows(2).all(|w| w[0] <= w[1]), "{:?}", days);
        }

        #[test]
        fn higher_desired_retention_never_lengthens_the_interval(stability in 1.0f32..100.0, difficulty in 1.0f32..10.0) {
            let memory = Some(Memory { stability, difficulty });
            let low = schedule(memory, Grade::Good, 10, 0.8, &[]).expect("0.8").interval_days;
            let high = schedule(memory, Grade::Good, 10, 0.95, &[]).expect("0.95").interval_days;
            prop_assert!(high <= low, "{high} > {low}");
        }
    }
}
