//! Simulated candidates for measuring the learning engine against known truth: 2PL response
//! matrices (θ ~ N(0, 1), a ~ lognormal(0, 0.3), b ~ N(0, 1)) for calibration accuracy, and
//! candidates of known ability answering k items for the honesty of P(pass).

use rand::Rng;
use rand::seq::SliceRandom;
use rand_distr::{Distribution, LogNormal, Normal};
use serde::Serialize;

use crate::exam::Exam;
use crate::irt::{ItemParams, Responses};
use crate::readiness::{Answer, BankItem, Readiness, Scale, readiness};

/// Item parameters drawn as a ~ lognormal(0, 0.3), b ~ N(0, 1).
pub fn items(n: usize, rng: &mut impl Rng) -> Vec<ItemParams> {
    let a = LogNormal::new(0.0, 0.3).expect("valid lognormal");
    let b = Normal::new(0.0, 1.0).expect("valid normal");
    (0..n)
        .map(|_| ItemParams {
            a: a.sample(rng),
            b: b.sample(rng),
        })
        .collect()
}

/// A complete 0/1 matrix of `persons` (θ ~ N(0, 1)) answering `items`.
pub fn matrix(persons: usize, items: &[ItemParams], rng: &mut impl Rng) -> Responses {
    let theta = Normal::new(0.0, 1.0).expect("valid normal");
    (0..persons)
        .map(|_| {
            let t: f64 = theta.sample(rng);
            items
                .iter()
                .map(|i| Some(rng.random::<f64>() < i.p(t)))
                .collect()
        })
        .collect()
}

/// Root mean squared difference.
pub fn rmse(estimates: &[f64], truth: &[f64]) -> f64 {
    let n = estimates.len().min(truth.len()).max(1) as f64;
    (estimates
        .iter()
        .zip(truth)
        .map(|(e, t)| (e - t).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}

/// How honest P(pass) was for simulated candidates after `k` answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassForecast {
    pub k: usize,
    pub candidates: usize,
    /// Share who would truly pass.
    pub pass_rate: f64,
    /// Mean squared error of P(pass) against the true outcome (0 perfect, 0.25 a coin).
    pub brier: f64,
    /// Expected calibration error over ten equal-width bins of P(pass).
    pub ece: f64,
    /// Among candidates told P(pass) ≥ 0.5, the share who would truly fail.
    pub false_pass_rate: f64,
    /// Candidates told P(pass) ≥ 0.5 who would truly fail, as a share of all.
    pub false_pass_share: f64,
}

/// `bank` spread over `exam`'s domains in proportion to their weights.
pub fn bank_for(exam: &Exam, params: &[ItemParams]) -> Vec<BankItem> {
    let total: u32 = exam.domains.iter().map(|d| u32::from(d.weight)).sum();
    let mut domains = Vec::new();
    for d in &exam.domains {
        let share = (params.len() as u32 * u32::from(d.weight)).div_ceil(total.max(1)) as usize;
        domains.extend(std::iter::repeat_n(d.number, share));
    }
    params
        .iter()
        .zip(domains.into_iter().chain(std::iter::repeat(1)))
        .map(|(p, domain)| BankItem { domain, params: *p })
        .collect()
}

/// Candidates θ ~ N(0, 1) answer `k` random items of `bank`; their P(pass) (with the true
/// parameters) is scored against whether their true ability reaches the passing score.
pub fn pass_forecast(
    exam: &Exam,
    bank: &[BankItem],
    k: usize,
    candidates: usize,
    rng: &mut impl Rng,
) -> PassForecast {
    let scale = Scale::new(exam, bank);
    let cut = scale.theta_cut();
    let theta = Normal::new(0.0, 1.0).expect("valid normal");
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    let (mut brier, mut passes, mut told_pass, mut false_pass) = (0.0, 0usize, 0usize, 0usize);
    let mut order: Vec<usize> = (0..bank.len()).collect();
    for _ in 0..candidates {
        let t: f64 = theta.sample(rng);
        order.shuffle(rng);
        let answers: Vec<Answer> = order
            .iter()
            .take(k)
            .map(|i| Answer {
                item: bank[*i],
                correct: rng.random::<f64>() < bank[*i].params.p(t),
            })
            .collect();
        let p = match readiness(exam, &scale, &answers) {
            Readiness::Estimate(e) => e.p_pass,
            Readiness::NotEnoughData { .. } => 0.5,
        };
        let passed = t >= cut;
        let outcome = f64::from(u8::from(passed));
        brier += (p - outcome).powi(2);
        passes += usize::from(passed);
        if p >= 0.5 {
            told_pass += 1;
            false_pass += usize::from(!passed);
        }
        let bin = &mut bins[((p * 10.0) as usize).min(9)];
        bin.0 += p;
        bin.1 += outcome;
        bin.2 += 1;
    }
    let n = candidates.max(1) as f64;
    let ece = bins
        .iter()
        .filter(|b| b.2 > 0)
        .map(|(p, o, c)| (*c as f64 / n) * ((p - o) / *c as f64).abs())
        .sum();
    PassForecast {
        k,
        candidates,
        pass_rate: passes as f64 / n,
        brier: brier / n,
        ece,
        false_pass_rate: if told_pass == 0 {
            0.0
        } else {
            false_pass as f64 / told_pass as f64
        },
        false_pass_share: false_pass as f64 / n,
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::exam::Level;
    use crate::fixtures::sample_exam;
    use crate::irt::calibrate;

    #[test]
    fn calibration_recovers_simulated_parameters() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let truth = items(20, &mut rng);
        let data = matrix(2000, &truth, &mut rng);
        let fit = calibrate(&data, 500, 1e-4).expect("fits");
        let a: Vec<f64> = fit.items.iter().map(|i| i.a).collect();
        let b: Vec<f64> = fit.items.iter().map(|i| i.b).collect();
        let ta: Vec<f64> = truth.iter().map(|i| i.a).collect();
        let tb: Vec<f64> = truth.iter().map(|i| i.b).collect();
        assert!(rmse(&a, &ta) < 0.15, "RMSE a {}", rmse(&a, &ta));
        assert!(rmse(&b, &tb) < 0.15, "RMSE b {}", rmse(&b, &tb));
    }

    #[test]
    fn more_answers_make_the_pass_forecast_sharper() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let exam = sample_exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20]);
        let bank = bank_for(&exam, &items(300, &mut rng));
        assert_eq!(bank.len(), 300);
        let short = pass_forecast(&exam, &bank, 20, 400, &mut rng);
        let long = pass_forecast(&exam, &bank, 100, 400, &mut rng);
        assert!(long.brier < short.brier, "{short:?} {long:?}");
        assert!(long.brier < 0.15 && long.ece < 0.1, "{long:?}");
    }
}
