//! Adaptive drills: the next item is the most informative at the candidate's current ability,
//! with exposure control from the first item, until the ability is known precisely enough.
//!
//! - **Exposure control from the first item**: everyone starts at the same ability, so pure
//!   maximum information would give everyone the same first items (randomesque selection
//!   among the top few barely helps). Selection is progressive instead: the first items are
//!   close to random, and the weight of information grows with each item served (see
//!   [`next_item`]); the start ability is also drawn per drill. An exposure ceiling
//!   ([`MAX_EXPOSURE`]) closes items already served in too many drills.
//! - **Stop**: when the posterior SD reaches the target (0.3 by default), or at the maximum
//!   count, or when the pool is used up.

use rand::Rng;
use rand_distr::{Distribution, Normal};

use crate::irt::{ItemParams, eap};

/// The drill length over which selection moves from random to maximum information.
pub const PROGRESSIVE_LENGTH: f64 = 15.0;
/// The posterior SD at which a drill stops by default.
pub const SE_TARGET: f64 = 0.3;
/// The most items a drill serves by default.
pub const MAX_ITEMS: usize = 40;
/// The exposure ceiling: no item is served in more than this share of drills (once there have
/// been [`EXPOSURE_WARMUP`] drills).
pub const MAX_EXPOSURE: f64 = 0.3;
/// Drills before the exposure ceiling applies (rates from a handful of drills mean little).
pub const EXPOSURE_WARMUP: usize = 20;
const START_SD: f64 = 0.75;

/// The ability the first item is chosen at.
pub fn start_theta(prior_mean: f64, rng: &mut impl Rng) -> f64 {
    Normal::new(prior_mean, START_SD)
        .map(|n| n.sample(rng))
        .unwrap_or(prior_mean)
        .clamp(-3.0, 3.0)
}

/// The next item, by the progressive method (Revuelta & Ponsoda, 1998): each unused item
/// scores `(1 − w)·U·I_max + w·I(θ)` with `U` uniform on [0, 1), `I_max` the highest
/// information on offer and `w = served / PROGRESSIVE_LENGTH` (at most 1). The first items are
/// close to random (no item is everyone's first), later ones close to maximum information.
/// `closed` marks the items not to serve (already served, or over the exposure ceiling: see
/// [`closed_items`]); `served` is how many items the drill has served.
pub fn next_item(
    pool: &[ItemParams],
    closed: &[bool],
    served: usize,
    theta: f64,
    rng: &mut impl Rng,
) -> Option<usize> {
    let used = closed;
    let w = (served as f64 / PROGRESSIVE_LENGTH).min(1.0);
    let open: Vec<(usize, f64)> = pool
        .iter()
        .enumerate()
        .filter(|(i, _)| !used.get(*i).copied().unwrap_or(false))
        .map(|(i, p)| (i, p.information(theta)))
        .collect();
    let max = open.iter().map(|(_, info)| *info).fold(0.0, f64::max);
    open.into_iter()
        .map(|(i, info)| ((1.0 - w) * rng.random::<f64>() * max + w * info, i))
        .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)))
        .map(|(_, i)| i)
}

/// The items a drill may not serve next: those it served, and those whose exposure rate (the
/// share of drills that served them) has reached `max_rate` — unless that would leave
/// nothing, in which case only the served ones.
pub fn closed_items(served: &[bool], rates: &[f64], max_rate: f64) -> Vec<bool> {
    let closed: Vec<bool> = served
        .iter()
        .zip(rates.iter().chain(std::iter::repeat(&0.0)))
        .map(|(s, r)| *s || *r >= max_rate)
        .collect();
    if closed.iter().all(|c| *c) {
        served.to_vec()
    } else {
        closed
    }
}

/// Where a drill stands after its answers: ability, SD and whether it is done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub theta: f64,
    pub sd: f64,
    pub done: bool,
}

/// The drill's state after `answers` (item parameters and correctness).
pub fn progress(answers: &[(ItemParams, bool)], se_target: f64, max_items: usize) -> Progress {
    let responses: Vec<Option<bool>> = answers.iter().map(|(_, c)| Some(*c)).collect();
    let items: Vec<ItemParams> = answers.iter().map(|(p, _)| *p).collect();
    let ability = eap(&responses, &items);
    Progress {
        theta: ability.theta,
        sd: ability.sd,
        done: (!answers.is_empty() && ability.sd <= se_target) || answers.len() >= max_items,
    }
}

/// What simulated drills showed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DrillSimulation {
    pub candidates: usize,
    pub bank: usize,
    pub se_target: f64,
    /// Mean items served until the drill stopped.
    pub mean_items: f64,
    /// Share of drills that reached the SE target before the maximum count.
    pub reached_target: f64,
    /// The highest share of drills any one item appeared in.
    pub max_exposure: f64,
    /// RMSE of the final ability estimate against the true ability.
    pub rmse_theta: f64,
}

/// Simulates `candidates` drills (θ ~ N(0, 1)) on `bank`.
pub fn simulate(
    bank: &[ItemParams],
    candidates: usize,
    se_target: f64,
    max_items: usize,
    rng: &mut impl Rng,
) -> DrillSimulation {
    let mut exposure = vec![0usize; bank.len()];
    let (mut served, mut reached, mut squared) = (0usize, 0usize, 0.0);
    let normal = Normal::new(0.0, 1.0).expect("a valid normal");
    for drill in 0..candidates {
        let truth: f64 = normal.sample(rng);
        let rates: Vec<f64> = if drill < EXPOSURE_WARMUP {
            Vec::new()
        } else {
            exposure.iter().map(|e| *e as f64 / drill as f64).collect()
        };
        let mut used = vec![false; bank.len()];
        let mut answers: Vec<(ItemParams, bool)> = Vec::new();
        let mut theta = start_theta(0.0, rng);
        let state = loop {
            let closed = closed_items(&used, &rates, MAX_EXPOSURE);
            let Some(i) = next_item(bank, &closed, answers.len(), theta, rng) else {
                break progress(&answers, se_target, max_items);
            };
            used[i] = true;
            exposure[i] += 1;
            let correct = rng.random::<f64>() < bank[i].p(truth);
            answers.push((bank[i], correct));
            let state = progress(&answers, se_target, max_items);
            theta = state.theta;
            if state.done {
                break state;
            }
        };
        served += answers.len();
        reached += usize::from(state.sd <= se_target);
        squared += (state.theta - truth).powi(2);
    }
    let n = candidates.max(1) as f64;
    DrillSimulation {
        candidates,
        bank: bank.len(),
        se_target,
        mean_items: served as f64 / n,
        reached_target: reached as f64 / n,
        max_exposure: exposure.iter().copied().max().unwrap_or(0) as f64 / n,
        rmse_theta: (squared / n).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn bank(n: usize, rng: &mut impl Rng) -> Vec<ItemParams> {
        let b = Normal::new(0.0_f64, 1.0).expect("normal");
        let log_a = Normal::new(0.0_f64, 0.3).expect("normal");
        (0..n)
            .map(|_| ItemParams {
                a: log_a.sample(rng).exp(),
                b: b.sample(rng),
            })
            .collect()
    }

    #[test]
    fn the_most_informative_items_are_chosen_and_never_twice() {
        let pool = vec![
            ItemParams { a: 1.0, b: -3.0 },
            ItemParams { a: 2.0, b: 0.0 },
            ItemParams { a: 1.0, b: 3.0 },
        ];
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut used = vec![false; 3];
        let mut order = Vec::new();
        while let Some(i) = next_item(&pool, &used, order.len(), 0.0, &mut rng) {
            used[i] = true;
            order.push(i);
        }
        assert_eq!(order.len(), 3, "every item once: {order:?}");
        // Once the drill is long enough, the most informative item is chosen.
        let wide: Vec<ItemParams> = (0..50)
            .map(|i| ItemParams {
                a: 1.0,
                b: -2.5 + 0.1 * f64::from(i),
            })
            .collect();
        let mut late = vec![false; 50];
        late[..16].iter_mut().for_each(|u| *u = true);
        for _ in 0..20 {
            let i = next_item(&wide, &late, 16, 0.0, &mut rng).expect("an item");
            assert_eq!(i, 25, "b = 0 is the most informative at θ = 0");
        }
    }

    #[test]
    fn drills_reach_the_target_and_spread_exposure() {
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let items = bank(300, &mut rng);
        let result = simulate(&items, 400, SE_TARGET, MAX_ITEMS, &mut rng);
        assert!(result.reached_target > 0.9, "{result:?}");
        assert!(result.mean_items < 30.0, "{result:?}");
        assert!(result.max_exposure <= 0.35, "{result:?}");
        assert!(result.rmse_theta < 0.45, "{result:?}");
    }

    #[test]
    fn over_exposed_items_are_closed_unless_nothing_else_is_left() {
        assert_eq!(
            closed_items(&[true, false, false], &[0.0, 0.5, 0.1], 0.3),
            vec![true, true, false]
        );
        assert_eq!(
            closed_items(&[true, false], &[0.0, 0.5], 0.3),
            vec![true, false],
            "an over-exposed item is better than none"
        );
    }

    #[test]
    fn a_drill_stops_at_the_maximum_count() {
        let answers = vec![(ItemParams { a: 0.3, b: 0.0 }, true); 5];
        assert!(progress(&answers, 0.01, 5).done);
        assert!(!progress(&answers[..4], 0.01, 5).done);
        assert!(!progress(&[], 0.3, 5).done);
    }
}
