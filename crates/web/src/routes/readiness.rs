//! Readiness as pages show it (the exam page in full, the home page in one line).

use getmycert_core::readiness::Readiness;
use getmycert_engine::readiness::ReadinessView;

use crate::AppState;

/// One domain's line.
pub(super) struct DomainShown {
    pub name: String,
    pub answers: String,
    pub mastery: &'static str,
    pub chance: String,
}

/// A visitor's readiness for one exam, in words and figures.
pub(super) struct ReadinessShown {
    pub exam: String,
    /// Answers so far.
    pub responses: usize,
    /// Answers still needed before there is an estimate (0 once there is one).
    pub needed: usize,
    pub score: u32,
    pub low: u32,
    pub high: u32,
    pub passing: u32,
    /// "62%".
    pub p_pass: String,
    pub domains: Vec<DomainShown>,
    /// "provisional" while most answers rest on uncalibrated items.
    pub provisional: bool,
}

fn percent(p: f64) -> String {
    match (p * 100.0).round() {
        x if x < 1.0 && p > 0.0 => "under 1%".into(),
        x if x > 99.0 && p < 1.0 => "over 99%".into(),
        x => format!("{x:.0}%"),
    }
}

/// A readiness view in words and figures.
pub(super) fn shown(state: &AppState, view: ReadinessView) -> ReadinessShown {
    let exam = state
        .content()
        .exams
        .iter()
        .find(|e| e.code.as_str() == view.exam);
    let name_of = |d: u8| {
        exam.and_then(|e| e.domains.iter().find(|x| x.number == d))
            .map(|x| format!("{d}. {}", x.name))
            .unwrap_or_else(|| d.to_string())
    };
    let mut shown = ReadinessShown {
        exam: view.exam.clone(),
        responses: 0,
        needed: 0,
        score: 0,
        low: 0,
        high: 0,
        passing: exam.map_or(0, |e| e.passing_score.value),
        p_pass: String::new(),
        domains: Vec::new(),
        provisional: view.calibrated_share < 0.5,
    };
    match view.readiness {
        Readiness::NotEnoughData { responses, needed } => {
            shown.responses = responses;
            shown.needed = needed - responses;
        }
        Readiness::Estimate(e) => {
            shown.responses = e.responses;
            shown.score = e.scaled_score;
            shown.low = e.low;
            shown.high = e.high;
            shown.p_pass = percent(e.p_pass);
            shown.domains = e
                .domains
                .iter()
                .map(|d| DomainShown {
                    name: name_of(d.domain),
                    answers: format!("{} of {} right", d.correct, d.responses),
                    mastery: d.mastery.label(),
                    chance: d.p_mastery.map(percent).unwrap_or_else(|| "—".into()),
                })
                .collect();
        }
    }
    shown
}
