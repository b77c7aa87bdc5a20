//! The adaptive part of the plan: a learner with history gets each domain's hours re-weighted
//! toward what they have not mastered yet, never below a floor.
//!
//! For each domain, `need = 1 − P(mastery)` (0.5 where readiness cannot tell yet), and the
//! domain's share of the hours is its blueprint weight × (0.5 + need), normalised so that the
//! shares sum to one; no share falls below half its blueprint weight (the domain is still
//! examined), the difference taken from the others in proportion. A domain mastered better than
//! the weighted average therefore gets less than its blueprint share, one mastered worse gets
//! more, and a learner whose domains stand level gets the blueprint itself.

/// No domain's share falls below this fraction of its blueprint weight.
pub const FLOOR: f64 = 0.5;

/// Shares (summing to 1) of domains with blueprint `weights` (any positive scale) and mastery
/// probabilities `mastery` (aligned; `None` where readiness cannot tell yet).
pub fn shares(weights: &[f64], mastery: &[Option<f64>]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return vec![0.0; weights.len()];
    }
    let blueprint: Vec<f64> = weights.iter().map(|w| w / total).collect();
    let raw: Vec<f64> = blueprint
        .iter()
        .zip(mastery.iter().chain(std::iter::repeat(&None)))
        .map(|(w, p)| w * (0.5 + (1.0 - p.unwrap_or(0.5).clamp(0.0, 1.0))))
        .collect();
    let sum: f64 = raw.iter().sum();
    let mut shares: Vec<f64> = raw.iter().map(|r| r / sum).collect();
    // Raise the shares under their floor; take the difference from the rest in proportion,
    // until none is under (each round fixes at least one more domain at its floor).
    let mut fixed = vec![false; shares.len()];
    loop {
        let under: Vec<usize> = (0..shares.len())
            .filter(|&i| !fixed[i] && shares[i] < FLOOR * blueprint[i] - 1e-12)
            .collect();
        if under.is_empty() {
            break;
        }
        for &i in &under {
            fixed[i] = true;
            shares[i] = FLOOR * blueprint[i];
        }
        let taken: f64 = (0..shares.len())
            .filter(|&i| fixed[i])
            .map(|i| shares[i])
            .sum();
        let free: f64 = (0..shares.len())
            .filter(|&i| !fixed[i])
            .map(|i| shares[i])
            .sum();
        if free <= 0.0 {
            break;
        }
        for i in (0..shares.len()).filter(|&i| !fixed[i]) {
            shares[i] *= (1.0 - taken) / free;
        }
    }
    shares
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn weights_and_mastery() -> impl Strategy<Value = (Vec<f64>, Vec<Option<f64>>)> {
        (2usize..7).prop_flat_map(|n| {
            (
                prop::collection::vec(1u8..40, n)
                    .prop_map(|w| w.into_iter().map(f64::from).collect()),
                prop::collection::vec(prop::option::weighted(0.8, 0.0f64..=1.0), n),
            )
        })
    }

    proptest! {
        #[test]
        fn the_shares_spend_the_whole_budget((weights, mastery) in weights_and_mastery()) {
            let shares = shares(&weights, &mastery);
            prop_assert!((shares.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{shares:?}");
        }

        #[test]
        fn no_share_drops_below_its_floor((weights, mastery) in weights_and_mastery()) {
            let total: f64 = weights.iter().sum();
            for (share, w) in shares(&weights, &mastery).iter().zip(&weights) {
                prop_assert!(*share >= FLOOR * w / total - 1e-9, "{share} under the floor of {w}/{total}");
            }
        }

        #[test]
        fn the_best_mastered_domain_gets_less_than_its_weight(
            (weights, mut mastery) in weights_and_mastery(),
            best in 0usize..7,
        ) {
            let best = best % weights.len();
            // One domain clearly better mastered than every other.
            let top = mastery.iter().map(|p| p.unwrap_or(0.5)).fold(0.0f64, f64::max);
            mastery[best] = Some((top + 0.2).min(1.0));
            prop_assume!(mastery.iter().enumerate().any(|(i, p)| i != best && p.unwrap_or(0.5) < mastery[best].unwrap_or(0.5) - 1e-6));
            let total: f64 = weights.iter().sum();
            let shares = shares(&weights, &mastery);
            prop_assert!(shares[best] < weights[best] / total, "{shares:?} {weights:?} {mastery:?}");
        }
    }

    #[test]
    fn level_mastery_keeps_the_blueprint() {
        let weights = [20.0, 24.0, 28.0, 14.0, 14.0];
        let shares = shares(&weights, &[Some(0.6); 5]);
        for (s, w) in shares.iter().zip(weights) {
            assert!((s - w / 100.0).abs() < 1e-12);
        }
        // The weak domain gains, the strong ones give.
        let shares = super::shares(
            &weights,
            &[Some(0.9), Some(0.9), Some(0.1), Some(0.9), Some(0.9)],
        );
        assert!(shares[2] > 0.28 && shares[0] < 0.20, "{shares:?}");
    }
}
