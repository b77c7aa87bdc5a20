//! The arithmetic of the progress page: ISO weeks, active study time from answer times, and the
//! interval of a simulation's scaled score.

use time::{Date, Duration, OffsetDateTime};

use crate::scoring::scaled::scaled_score;

/// The Monday that starts `day`'s week (ISO weeks).
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// A pause longer than this between two answers ends a study stretch.
pub const IDLE: Duration = Duration::minutes(10);
/// What the first answer of a stretch counts for (reading the question before answering it).
pub const FIRST_ANSWER: Duration = Duration::minutes(1);

/// Active study time from answer times in order: within a stretch, the time between answers
/// counts; a pause longer than [`IDLE`] is not study and starts a new stretch, whose first
/// answer counts [`FIRST_ANSWER`].
pub fn active_time(times: &[OffsetDateTime]) -> Duration {
    let mut total = Duration::ZERO;
    let mut previous: Option<OffsetDateTime> = None;
    for &t in times {
        total += match previous {
            Some(p) if t - p <= IDLE && t >= p => t - p,
            _ => FIRST_ANSWER,
        };
        previous = Some(t);
    }
    total
}

/// z for a two-sided 80% interval, as the readiness estimate uses.
const Z80: f64 = 1.281_551_565_545;

/// The 80% interval of a simulation's scaled score: Wilson's interval of its (blueprint-
/// weighted) proportion correct over `n` scored items, mapped to the scale as the score itself
/// is. A 65-item form at 70% spans about ±60 points.
pub fn score_interval(proportion: f64, n: u32, passing_score: u32) -> (u32, u32) {
    if n == 0 {
        return (
            scaled_score(0.0, passing_score),
            scaled_score(1.0, passing_score),
        );
    }
    let p = proportion.clamp(0.0, 1.0);
    let n = f64::from(n);
    let z2 = Z80 * Z80;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z80 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    (
        scaled_score(centre - half, passing_score),
        scaled_score(centre + half, passing_score),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(date!(2026 - 12 - 03)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 11 - 30)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2026 - 12 - 06)), date!(2026 - 11 - 30));
        assert_eq!(week_start(date!(2027 - 01 - 01)), date!(2026 - 12 - 28));
    }

    #[test]
    fn active_time_counts_stretches_not_pauses() {
        assert_eq!(active_time(&[]), Duration::ZERO);
        let t = datetime!(2026-12-03 10:00 UTC);
        // Three answers two minutes apart, then an hour's pause, then one more.
        let times = [
            t,
            t + Duration::minutes(2),
            t + Duration::minutes(4),
            t + Duration::minutes(64),
        ];
        assert_eq!(active_time(&times), Duration::minutes(1 + 2 + 2 + 1));
        // A pause of exactly IDLE still counts.
        assert_eq!(active_time(&[t, t + IDLE]), FIRST_ANSWER + IDLE);
    }

    #[test]
    fn a_score_interval_holds_the_score_and_narrows_with_more_items() {
        let score = scaled_score(0.7, 700);
        let (low, high) = score_interval(0.7, 65, 700);
        assert!(low < score && score < high, "{low} {score} {high}");
        let (low2, high2) = score_interval(0.7, 650, 700);
        assert!(high2 - low2 < high - low);
        let (low, high) = score_interval(1.0, 65, 700);
        assert!(low < 1000 && high == 1000, "{low} {high}");
        assert_eq!(score_interval(0.5, 0, 700), (100, 1000));
    }
}
