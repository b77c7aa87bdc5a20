//! Readiness: how a candidate would likely score today, how sure we are, and the chance of a
//! pass — from their answers and the items' 2PL parameters.
//!
//! **The scale.** At ability θ the expected blueprint-weighted proportion correct on the exam
//! is `p(θ) = Σ_d w_d · mean_{i ∈ d} P_i(θ) / Σ_d w_d` over the exam's live items (its test
//! characteristic curve); the scaled score at θ is the report's mapping of that proportion
//! (`scoring::scaled::scaled_score`). `p(θ)` rises with θ, so θ_cut — where `p(θ)` reaches the
//! cut proportion (passing score / 1000) — is unique, found by bisection, and maps exactly to
//! the passing score.
//!
//! **The estimate.** The posterior of θ over the quadrature grid (standard normal prior) gives
//! the EAP θ and its SD; the estimated score is the scale at the EAP; the 80% interval is the
//! scale at the posterior's 10th and 90th percentiles; P(pass) is the posterior mass above
//! θ_cut. Each grid node's mass is spread evenly over its cell, so both are continuous.
//!
//! **Per domain**, the same posterior from that domain's answers alone gives the probability
//! that the candidate's ability in it is above θ_cut.
//!
//! Below [`MIN_RESPONSES`] answers there is no estimate: the result says how many more are
//! needed instead of guessing.

use serde::Serialize;

use crate::exam::Exam;
use crate::irt::{ItemParams, posterior_on_grid};
use crate::scoring::scaled::{cut_proportion, scaled_score};

/// Answers an exam needs before readiness is estimated.
pub const MIN_RESPONSES: usize = 20;
/// Answers a domain needs before its mastery is judged.
pub const MIN_DOMAIN_RESPONSES: usize = 5;

/// An item of the exam's bank: its domain and parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BankItem {
    pub domain: u8,
    pub params: ItemParams,
}

/// One of the candidate's answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    pub item: BankItem,
    pub correct: bool,
}

/// The exam's ability ↔ scaled-score mapping.
#[derive(Debug, Clone)]
pub struct Scale {
    /// (weight, items) per domain with items.
    domains: Vec<(f64, Vec<ItemParams>)>,
    passing: u32,
}

impl Scale {
    /// The mapping for `exam` over its bank (domains without items are left out).
    pub fn new(exam: &Exam, bank: &[BankItem]) -> Self {
        let domains = exam
            .domains
            .iter()
            .map(|d| {
                let items: Vec<ItemParams> = bank
                    .iter()
                    .filter(|i| i.domain == d.number)
                    .map(|i| i.params)
                    .collect();
                (f64::from(d.weight), items)
            })
            .filter(|(_, items)| !items.is_empty())
            .collect();
        Self {
            domains,
            passing: exam.passing_score.value,
        }
    }

    /// Expected blueprint-weighted proportion correct at `theta`.
    pub fn proportion(&self, theta: f64) -> f64 {
        let (mut sum, mut weights) = (0.0, 0.0);
        for (w, items) in &self.domains {
            let mean = items.iter().map(|i| i.p(theta)).sum::<f64>() / items.len() as f64;
            sum += w * mean;
            weights += w;
        }
        if weights > 0.0 { sum / weights } else { 0.0 }
    }

    /// The estimated scaled score at `theta`.
    pub fn scaled(&self, theta: f64) -> u32 {
        scaled_score(self.proportion(theta), self.passing)
    }

    /// The ability that maps to the passing score (clamped to [−6, 6]).
    pub fn theta_cut(&self) -> f64 {
        let target = cut_proportion(self.passing);
        let (mut lo, mut hi) = (-6.0, 6.0);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            if self.proportion(mid) < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo + hi) / 2.0
    }
}

/// A domain's mastery judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Mastery {
    /// P(ability above the cut) ≥ 0.7.
    Likely,
    Uncertain,
    /// P ≤ 0.3.
    Unlikely,
    /// Fewer than [`MIN_DOMAIN_RESPONSES`] answers.
    TooFewAnswers,
}

impl Mastery {
    pub fn label(self) -> &'static str {
        match self {
            Mastery::Likely => "Likely meets competencies",
            Mastery::Uncertain => "Uncertain",
            Mastery::Unlikely => "Needs improvement",
            Mastery::TooFewAnswers => "Too few answers yet",
        }
    }
}

/// One domain's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainReadiness {
    pub domain: u8,
    pub responses: usize,
    pub correct: usize,
    /// P(ability in this domain above the cut); absent below the minimum.
    pub p_mastery: Option<f64>,
    pub mastery: Mastery,
}

/// The estimate once there are enough answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    pub theta: f64,
    pub sd: f64,
    pub theta_cut: f64,
    pub scaled_score: u32,
    /// 80% interval of the scaled score.
    pub low: u32,
    pub high: u32,
    pub passing_score: u32,
    pub p_pass: f64,
    pub responses: usize,
    pub domains: Vec<DomainReadiness>,
}

/// Readiness, or why there is none yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Readiness {
    NotEnoughData { responses: usize, needed: usize },
    Estimate(Estimate),
}

/// The posterior of θ from `answers`.
fn posterior(answers: &[Answer]) -> (Vec<f64>, Vec<f64>) {
    let responses: Vec<Option<bool>> = answers.iter().map(|a| Some(a.correct)).collect();
    let items: Vec<ItemParams> = answers.iter().map(|a| a.item.params).collect();
    posterior_on_grid(&responses, &items)
}

/// P(θ < x) with each node's mass spread evenly over its cell.
fn cdf(nodes: &[f64], weights: &[f64], x: f64) -> f64 {
    let h = nodes.get(1).map_or(1.0, |n| n - nodes[0]);
    nodes
        .iter()
        .zip(weights)
        .map(|(t, w)| w * ((x - (t - h / 2.0)) / h).clamp(0.0, 1.0))
        .sum::<f64>()
        .clamp(0.0, 1.0)
}

/// The `q` quantile of the posterior (bisection on the continuous CDF).
fn quantile(nodes: &[f64], weights: &[f64], q: f64) -> f64 {
    let h = nodes.get(1).map_or(1.0, |n| n - nodes[0]);
    let (mut lo, mut hi) = (nodes[0] - h, nodes[nodes.len() - 1] + h);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if cdf(nodes, weights, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    (lo + hi) / 2.0
}

fn mean_sd(nodes: &[f64], weights: &[f64]) -> (f64, f64) {
    let mean: f64 = nodes.iter().zip(weights).map(|(t, w)| t * w).sum();
    let var: f64 = nodes
        .iter()
        .zip(weights)
        .map(|(t, w)| (t - mean).powi(2) * w)
        .sum();
    (mean, var.sqrt())
}

/// The candidate's readiness for `exam` from `answers` (one per item, the latest).
pub fn readiness(exam: &Exam, scale: &Scale, answers: &[Answer]) -> Readiness {
    if answers.len() < MIN_RESPONSES {
        return Readiness::NotEnoughData {
            responses: answers.len(),
            needed: MIN_RESPONSES,
        };
    }
    let cut = scale.theta_cut();
    let (nodes, weights) = posterior(answers);
    let (theta, sd) = mean_sd(&nodes, &weights);
    let domains = exam
        .domains
        .iter()
        .map(|d| {
            let mine: Vec<Answer> = answers
                .iter()
                .filter(|a| a.item.domain == d.number)
                .copied()
                .collect();
            let p_mastery = (mine.len() >= MIN_DOMAIN_RESPONSES).then(|| {
                let (n, w) = posterior(&mine);
                1.0 - cdf(&n, &w, cut)
            });
            DomainReadiness {
                domain: d.number,
                responses: mine.len(),
                correct: mine.iter().filter(|a| a.correct).count(),
                p_mastery,
                mastery: match p_mastery {
                    None => Mastery::TooFewAnswers,
                    Some(p) if p >= 0.7 => Mastery::Likely,
                    Some(p) if p <= 0.3 => Mastery::Unlikely,
                    Some(_) => Mastery::Uncertain,
                },
            }
        })
        .collect();
    Readiness::Estimate(Estimate {
        theta,
        sd,
        theta_cut: cut,
        scaled_score: scale.scaled(theta),
        low: scale.scaled(quantile(&nodes, &weights, 0.1)),
        high: scale.scaled(quantile(&nodes, &weights, 0.9)),
        passing_score: exam.passing_score.value,
        p_pass: 1.0 - cdf(&nodes, &weights, cut),
        responses: answers.len(),
        domains,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::exam::Level;
    use crate::fixtures::sample_exam;

    fn bank(n: usize) -> Vec<BankItem> {
        (0..n)
            .map(|i| BankItem {
                domain: (i % 4) as u8 + 1,
                params: ItemParams {
                    a: 0.8 + (i % 5) as f64 * 0.2,
                    b: -2.0 + 4.0 * (i as f64) / n as f64,
                },
            })
            .collect()
    }

    fn exam() -> Exam {
        sample_exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20])
    }

    fn answers(items: &[BankItem], right: usize) -> Vec<Answer> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| Answer {
                item: *item,
                correct: i < right,
            })
            .collect()
    }

    #[test]
    fn the_cut_ability_maps_to_the_passing_score() {
        let exam = exam();
        let scale = Scale::new(&exam, &bank(200));
        let cut = scale.theta_cut();
        assert_eq!(scale.scaled(cut), exam.passing_score.value);
        assert!(scale.scaled(cut - 0.5) < exam.passing_score.value);
        assert!(scale.scaled(cut + 0.5) > exam.passing_score.value);
    }

    #[test]
    fn too_few_answers_give_no_estimate() {
        let exam = exam();
        let items = bank(200);
        let scale = Scale::new(&exam, &items);
        assert_eq!(
            readiness(&exam, &scale, &answers(&items[..19], 19)),
            Readiness::NotEnoughData {
                responses: 19,
                needed: 20
            }
        );
    }

    #[test]
    fn a_strong_record_is_likely_to_pass_and_a_weak_one_is_not() {
        let exam = exam();
        let all = bank(200);
        let scale = Scale::new(&exam, &all);
        // 60 items across the difficulty range (every other one, from the 40th).
        let items: Vec<BankItem> = all.iter().skip(40).step_by(2).take(60).copied().collect();
        let Readiness::Estimate(strong) = readiness(&exam, &scale, &answers(&items, 57)) else {
            panic!("enough answers")
        };
        let Readiness::Estimate(weak) = readiness(&exam, &scale, &answers(&items, 15)) else {
            panic!("enough answers")
        };
        assert!(strong.p_pass > 0.8, "{strong:?}");
        assert!(weak.p_pass < 0.2, "{weak:?}");
        assert!(strong.low <= strong.scaled_score && strong.scaled_score <= strong.high);
        assert_eq!(
            strong.domains.iter().map(|d| d.responses).sum::<usize>(),
            60
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn more_right_answers_never_lower_the_estimate(n in 20usize..80, seed in 0usize..1000) {
            let exam = exam();
            let items: Vec<BankItem> = bank(200).into_iter().cycle().skip(seed % 200).take(n).collect();
            let scale = Scale::new(&exam, &bank(200));
            let mut previous: Option<Estimate> = None;
            for right in 0..=n {
                let Readiness::Estimate(e) = readiness(&exam, &scale, &answers(&items, right)) else {
                    panic!("enough answers")
                };
                prop_assert!((0.0..=1.0).contains(&e.p_pass));
                prop_assert!(e.low <= e.scaled_score && e.scaled_score <= e.high, "{:?}", e);
                if let Some(p) = &previous {
                    prop_assert!(e.theta >= p.theta - 1e-9);
                    prop_assert!(e.p_pass >= p.p_pass - 1e-9);
                }
                previous = Some(e);
            }
        }
    }
}
