use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

/// Simulates `persons` candidates with N(0,1) abilities answering `items`; `missing` is the
/// share of cells left unanswered.
fn simulate(
    items: &[ItemParams],
    persons: usize,
    missing: f64,
    seed: u64,
) -> (Responses, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut thetas = Vec::with_capacity(persons);
    let rows = (0..persons)
        .map(|_| {
            // Box–Muller for a standard normal ability.
            let (u1, u2): (f64, f64) = (rng.random::<f64>().max(1e-12), rng.random());
            let theta = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            thetas.push(theta);
            items
                .iter()
                .map(|item| {
                    (rng.random::<f64>() >= missing).then(|| rng.random::<f64>() < item.p(theta))
                })
                .collect()
        })
        .collect();
    (rows, thetas)
}

fn true_items() -> Vec<ItemParams> {
    (0..20)
        .map(|j| ItemParams {
            a: 0.6 + 0.08 * j as f64,
            b: -2.0 + 0.2 * j as f64,
        })
        .collect()
}

#[test]
fn calibration_recovers_known_parameters() {
    let truth = true_items();
    let (responses, _) = simulate(&truth, 3000, 0.2, 7);
    let fit = calibrate(&responses, 500, 1e-4).expect("calibrates");
    assert!(fit.converged, "{} iterations", fit.iterations);
    let rmse = |f: &dyn Fn(&ItemParams) -> f64| -> f64 {
        (truth
            .iter()
            .zip(&fit.items)
            .map(|(t, e)| (f(t) - f(e)).powi(2))
            .sum::<f64>()
            / truth.len() as f64)
            .sqrt()
    };
    let rmse_b = rmse(&|i| i.b);
    let rmse_a = rmse(&|i| i.a);
    assert!(rmse_b < 0.15, "RMSE of b {rmse_b}");
    assert!(rmse_a < 0.15, "RMSE of a {rmse_a}");
}

#[test]
fn eap_tracks_true_ability_with_an_honest_standard_deviation() {
    let truth = true_items();
    let (responses, thetas) = simulate(&truth, 500, 0.0, 11);
    let estimates: Vec<Ability> = responses.iter().map(|r| eap(r, &truth)).collect();
    let n = thetas.len() as f64;
    let mean_t = thetas.iter().sum::<f64>() / n;
    let mean_e = estimates.iter().map(|e| e.theta).sum::<f64>() / n;
    let cov: f64 = thetas
        .iter()
        .zip(&estimates)
        .map(|(t, e)| (t - mean_t) * (e.theta - mean_e))
        .sum::<f64>()
        / n;
    let sd_t = (thetas.iter().map(|t| (t - mean_t).powi(2)).sum::<f64>() / n).sqrt();
    let sd_e = (estimates
        .iter()
        .map(|e| (e.theta - mean_e).powi(2))
        .sum::<f64>()
        / n)
        .sqrt();
    assert!(
        cov / (sd_t * sd_e) > 0.85,
        "correlation {}",
        cov / (sd_t * sd_e)
    );
    // About 80 % of true abilities fall inside the estimate ± 1.28 SD.
    let inside = thetas
        .iter()
        .zip(&estimates)
        .filter(|(t, e)| (*t - e.theta).abs() <= 1.2816 * e.sd)
        .count();
    let share = inside as f64 / n;
    assert!(
        (0.72..=0.88).contains(&share),
        "80 % interval covers {share}"
    );
}

#[test]
fn more_right_answers_never_lower_the_estimate_and_no_answers_give_the_prior() {
    let items = true_items();
    let mut previous = f64::NEG_INFINITY;
    for right in 0..=items.len() {
        let row: Vec<Option<bool>> = (0..items.len()).map(|j| Some(j < right)).collect();
        let est = eap(&row, &items);
        assert!(
            est.theta >= previous,
            "{right} right: {} < {previous}",
            est.theta
        );
        previous = est.theta;
    }
    let none = eap(&vec![None; items.len()], &items);
    assert!(
        none.theta.abs() < 1e-9 && (none.sd - 1.0).abs() < 0.01,
        "{none:?}"
    );
}

#[test]
fn information_peaks_at_the_difficulty() {
    let item = ItemParams { a: 1.5, b: 0.7 };
    assert!((item.information(0.7) - 1.5 * 1.5 * 0.25).abs() < 1e-12);
    assert!(item.information(0.7) > item.information(0.0));
    assert!(item.information(0.7) > item.information(1.5));
    assert!((test_information(&[item, item], 0.7) - 2.0 * item.information(0.7)).abs() < 1e-12);
}

#[test]
fn bad_matrices_are_refused() {
    assert_eq!(calibrate(&vec![], 10, 1e-3), Err(IrtError::Empty));
    assert_eq!(
        calibrate(&vec![vec![Some(true), None], vec![Some(false)]], 10, 1e-3),
        Err(IrtError::Ragged {
            row: 2,
            expected: 2,
            found: 1
        })
    );
}

#[test]
fn unanswered_cells_carry_no_information() {
    let items = true_items();
    let (data, _) = simulate(&items, 400, 0.0, 17);
    let mut sparse = data.clone();
    for (i, row) in sparse.iter_mut().enumerate() {
        // Every third person skipped the first item; a column nobody answered is added.
        if i % 3 == 0 {
            row[0] = None;
        }
        row.push(None);
    }
    let full = calibrate(&data, 500, 1e-6).expect("full");
    let with_gaps = calibrate(&sparse, 500, 1e-6).expect("with gaps");
    assert_eq!(with_gaps.items.len(), items.len() + 1);
    // The added column stays at its priors' pull: a near 1, b within the prior's range.
    let extra = with_gaps.items[items.len()];
    assert!(
        (0.3..3.0).contains(&extra.a) && extra.b.abs() < 6.0,
        "{extra:?}"
    );
    // Items answered by everyone move only through the (slightly) changed first item.
    for j in 1..items.len() {
        let (x, y) = (full.items[j], with_gaps.items[j]);
        assert!(
            (x.a - y.a).abs() < 0.05 && (x.b - y.b).abs() < 0.05,
            "item {j}: {x:?} vs {y:?}"
        );
    }
}

mod properties {
    use proptest::prelude::*;

    use super::super::*;

    fn item() -> impl Strategy<Value = ItemParams> {
        (0.1f64..4.0, -4.0f64..4.0).prop_map(|(a, b)| ItemParams { a, b })
    }

    proptest! {
        #[test]
        fn probabilities_are_in_0_1_and_information_is_never_negative(item in item(), theta in -8.0f64..8.0) {
            let p = item.p(theta);
            prop_assert!((0.0..=1.0).contains(&p), "{p}");
            prop_assert!(item.information(theta) >= 0.0);
            prop_assert!(test_information(&[item, item], theta) >= 0.0);
        }

        #[test]
        fn one_more_right_answer_never_lowers_the_eap(
            items in proptest::collection::vec(item(), 3..30),
            right in proptest::collection::vec(any::<bool>(), 30),
            flip in 0usize..30,
        ) {
            let row: Vec<Option<bool>> = items.iter().zip(&right).map(|(_, r)| Some(*r)).collect();
            let flip = flip % items.len();
            let mut better = row.clone();
            better[flip] = Some(true);
            let before = eap(&row, &items);
            let after = eap(&better, &items);
            prop_assert!(after.theta >= before.theta - 1e-12, "{before:?} -> {after:?}");
            prop_assert!(before.sd > 0.0 && before.sd <= 1.0 + 1e-9);
        }
    }
}
