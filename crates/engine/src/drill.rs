//! Adaptive drills: one item at a time, each chosen for the candidate's current ability
//! (`core::adaptive`), until the ability is known to the precision target or the cap is
//! reached. Feedback is immediate, as in practice.
//!
//! - The pool: live single-part items of the chosen domains; with none chosen, the candidate's
//!   two weakest domains by readiness (all domains until there is an estimate).
//! - The start ability is the candidate's readiness estimate (0 before there is one), drawn
//!   around as `core::adaptive::start_theta` says.
//! - The form grows: answering the last item appends the next one, unless the drill is done.
//!   The append is a compare-and-swap on the stored form, so two tabs cannot both add one.
//! - Exposure: every served item is counted per exam; from 20 drills on, items already served
//!   in 30% of drills are closed.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use getmycert_core::adaptive::{
    EXPOSURE_WARMUP, MAX_EXPOSURE, SE_TARGET, closed_items, next_item, progress, start_theta,
};
use getmycert_core::draw::{Candidate, Slot};
use getmycert_core::irt::ItemParams;
use getmycert_core::readiness::Readiness;
use getmycert_core::scoring::is_correct;
use getmycert_core::{Exam, FormItem, ItemStatus, QuestionId};
use getmycert_store::{AttemptRow, ResponseRow};

use crate::questions::Bank;
use crate::{Engine, EngineError, form};

/// How many of the weakest domains a drill works on when none is chosen.
const WEAKEST: usize = 2;

/// What a drill keeps in its attempt row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DrillSettings {
    pub se_target: f64,
    pub max_items: usize,
    pub domains: Vec<u8>,
    pub start_theta: f64,
}

/// Where a drill stands, for pages and the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DrillState {
    /// Current ability estimate (EAP) and its posterior SD.
    pub theta: f64,
    pub sd: f64,
    pub se_target: f64,
    pub max_items: usize,
    pub domains: Vec<u8>,
    /// The precision target or the cap is reached: no further item will be added.
    pub done: bool,
}

/// A drill item on offer.
struct Offer {
    candidate: Candidate,
    params: ItemParams,
}

impl Engine {
    /// The items a drill of `exam` may serve in `domains`.
    async fn drill_pool(
        &self,
        exam: &Exam,
        bank: &Bank,
        domains: &[u8],
    ) -> Result<Vec<Offer>, EngineError> {
        let parameters = self.parameters(exam).await?;
        Ok(bank
            .candidates
            .iter()
            .filter(|c| c.status == ItemStatus::Live && c.parts == 1)
            .filter(|c| domains.contains(&c.domain))
            .filter_map(|c| {
                let params = parameters.of(bank.question(&c.id)?, 0).0;
                Some(Offer {
                    candidate: c.clone(),
                    params,
                })
            })
            .collect())
    }

    /// Chooses the domains and the first item of a new drill from `bank` (the exam's draw
    /// candidates, already loaded by the caller).
    pub(crate) async fn start_drill(
        &self,
        exam: &Exam,
        owner: &str,
        bank: &Bank,
        chosen: &[u8],
        max_items: usize,
        seed: u64,
    ) -> Result<(Vec<Slot>, DrillSettings), EngineError> {
        let readiness = self.readiness(owner, exam.code.as_str()).await?.readiness;
        let estimate = match &readiness {
            Readiness::Estimate(e) => Some(e),
            Readiness::NotEnoughData { .. } => None,
        };
        let domains: Vec<u8> = match estimate {
            _ if !chosen.is_empty() => chosen.to_vec(),
            Some(e) => {
                let mut ranked: Vec<(f64, u8)> = e
                    .domains
                    .iter()
                    .map(|d| (d.p_mastery.unwrap_or(0.5), d.domain))
                    .collect();
                ranked.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
                ranked.iter().take(WEAKEST).map(|(_, d)| *d).collect()
            }
            None => exam.domains.iter().map(|d| d.number).collect(),
        };
        let prior = estimate.map_or(0.0, |e| e.theta);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let settings = DrillSettings {
            se_target: SE_TARGET,
            max_items,
            domains,
            start_theta: start_theta(prior, &mut rng),
        };
        let offers = self.drill_pool(exam, bank, &settings.domains).await?;
        let first = self
            .choose(exam, &offers, &[], settings.start_theta, &mut rng)
            .await?
            .ok_or_else(|| {
                EngineError::invalid(format!(
                    "{} has no live questions in the chosen domains for a drill",
                    exam.code
                ))
            })?;
        self.store()
            .count_drill_exposure(exam.code.as_str(), "")
            .await?;
        Ok((vec![first], settings))
    }

    /// The next item for a drill that served `served`, at ability `theta`; counted as exposed.
    async fn choose(
        &self,
        exam: &Exam,
        offers: &[Offer],
        served: &[QuestionId],
        theta: f64,
        rng: &mut ChaCha8Rng,
    ) -> Result<Option<Slot>, EngineError> {
        let exposure = self.store().drill_exposure(exam.code.as_str()).await?;
        let drills = exposure.get("").copied().unwrap_or(0).max(0) as f64;
        let rates: Vec<f64> = if drills < EXPOSURE_WARMUP as f64 {
            Vec::new()
        } else {
            offers
                .iter()
                .map(|o| {
                    exposure.get(o.candidate.id.as_str()).copied().unwrap_or(0) as f64 / drills
                })
                .collect()
        };
        let used: Vec<bool> = offers
            .iter()
            .map(|o| served.contains(&o.candidate.id))
            .collect();
        let pool: Vec<ItemParams> = offers.iter().map(|o| o.params).collect();
        let closed = closed_items(&used, &rates, MAX_EXPOSURE);
        let Some(i) = next_item(&pool, &closed, served.len(), theta, rng) else {
            return Ok(None);
        };
        let c = &offers[i].candidate;
        self.store
            .count_drill_exposure(exam.code.as_str(), c.id.as_str())
            .await?;
        Ok(Some(Slot {
            id: c.id.clone(),
            hash: c.hash.clone(),
            part: 0,
            scored: true,
            domain: c.domain,
            task: c.task,
        }))
    }

    /// The drill's state from its answers so far.
    pub(crate) async fn drill_state(
        &self,
        row: &AttemptRow,
        items: &[FormItem],
        saved: &[ResponseRow],
    ) -> Result<DrillState, EngineError> {
        let settings: DrillSettings = row
            .settings
            .as_deref()
            .map(serde_json::from_str)
            .transpose()?
            .ok_or_else(|| EngineError::Internal(format!("drill {} has no settings", row.id)))?;
        let exam = self.exam(&row.exam_code)?;
        let parameters = self.parameters(exam).await?;
        let mut answers = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (response, _) = form::saved_response(saved, i + 1)?;
            let Some(response) = response else { continue };
            let (revision, p) = self.revision(item).await?;
            let correct = is_correct(
                &revision.question.parts[p],
                Some(&item.to_original(&response)),
            );
            answers.push((parameters.of(&revision.question, item.part).0, correct));
        }
        let p = progress(&answers, settings.se_target, settings.max_items);
        Ok(DrillState {
            theta: p.theta,
            sd: p.sd,
            se_target: settings.se_target,
            max_items: settings.max_items,
            domains: settings.domains,
            done: p.done,
        })
    }

    /// After item `n` of a drill is answered: when it is the last one and the drill is not
    /// done, appends the next item.
    pub(crate) async fn drill_step(
        &self,
        owner: &str,
        row: &AttemptRow,
        items: &[FormItem],
        n: usize,
    ) -> Result<(), EngineError> {
        if n != items.len() {
            return Ok(());
        }
        let saved = self.store().responses(&row.id).await?;
        let state = self.drill_state(row, items, &saved).await?;
        if state.done {
            return Ok(());
        }
        let exam = self.exam(&row.exam_code)?;
        let bank = self.bank(exam, owner).await?;
        let offers = self.drill_pool(exam, &bank, &state.domains).await?;
        let served: Vec<QuestionId> = items.iter().map(|i| i.id.clone()).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(row.seed as u64 ^ (n as u64).wrapping_mul(0x9e37));
        let Some(slot) = self
            .choose(exam, &offers, &served, state.theta, &mut rng)
            .await?
        else {
            return Ok(());
        };
        let options = bank.options(&slot.id, 0);
        let mut grown = items.to_vec();
        grown.push(FormItem::from_slot(slot, options, &mut rng));
        let after = serde_json::to_string(&grown)?;
        // Lost the race to another request: that one added the item.
        self.store
            .extend_attempt(&row.id, &row.items, &after)
            .await?;
        Ok(())
    }
}
