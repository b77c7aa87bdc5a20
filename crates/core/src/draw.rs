//! Drawing an exam form from the bank, as the real exams are assembled: scored items per domain
//! in proportion to the blueprint weights (largest-remainder rounding), spread over the task
//! statements, preferring items the candidate has never seen, then the least recently seen;
//! unscored slots carry pilot items, topped up with unused live items that still do not count.
//! A seed replays the same form.

use std::collections::{BTreeMap, HashSet};

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::exam::Exam;
use crate::question::{ItemStatus, QuestionId};

/// What the draw needs to know of one bank item for one exam.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: QuestionId,
    pub hash: String,
    pub status: ItemStatus,
    pub domain: u8,
    pub task: u8,
    /// Scored parts: 1, or a case study's sub-questions.
    pub parts: usize,
    /// When this candidate last saw the item (any monotone stamp); `None` if never.
    pub last_seen: Option<i64>,
}

/// One slot of a form: a part of an item, scored or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub id: QuestionId,
    pub hash: String,
    /// 0-based part (case-study sub-question) of the item.
    pub part: usize,
    pub scored: bool,
    pub domain: u8,
    pub task: u8,
}

/// Why no form can be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawError {
    #[error(
        "domain {domain} needs {needed} scored questions but the bank has {available} live ones for it"
    )]
    NotEnoughInDomain {
        domain: u8,
        needed: usize,
        available: usize,
    },
    #[error("the form needs {needed} questions but the bank has {available} for this exam")]
    NotEnoughItems { needed: usize, available: usize },
}

/// Splits `total` over `weights` by largest remainder: the counts sum to `total` and each is
/// within one of its exact share.
pub fn apportion(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u32 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights
        .iter()
        .map(|w| total as f64 * f64::from(*w) / f64::from(sum))
        .collect();
    let mut counts: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    let short = total - counts.iter().sum::<usize>();
    for i in order.into_iter().take(short) {
        counts[i] += 1;
    }
    counts
}

/// Orders candidates: never seen first, then least recently seen; ties broken at random.
fn by_freshness(items: &mut [&Candidate], rng: &mut ChaCha8Rng) {
    items.shuffle(rng);
    items.sort_by_key(|c| c.last_seen.map_or((0, 0), |t| (1, t)));
}

/// Picks up to `needed` slots from `pool`, round-robin over task statements so that the form
/// covers every task before repeating one. Case studies are taken whole or not at all.
fn pick_spread(pool: &[&Candidate], needed: usize, rng: &mut ChaCha8Rng) -> Vec<Candidate> {
    let mut by_task: BTreeMap<u8, Vec<&Candidate>> = BTreeMap::new();
    for c in pool {
        by_task.entry(c.task).or_default().push(c);
    }
    for items in by_task.values_mut() {
        by_freshness(items, rng);
    }
    let mut tasks: Vec<u8> = by_task.keys().copied().collect();
    tasks.shuffle(rng);
    let mut chosen = Vec::new();
    let mut filled = 0;
    let mut progress = true;
    while filled < needed && progress {
        progress = false;
        for task in &tasks {
            let Some(items) = by_task.get_mut(task) else {
                continue;
            };
            if let Some(pos) = items.iter().position(|c| c.parts <= needed - filled) {
                let c = items.remove(pos);
                filled += c.parts;
                chosen.push(c.clone());
                progress = true;
                if filled == needed {
                    break;
                }
            }
        }
    }
    // Taken in turn, single questions can leave a case study that no longer fits (three
    // singles of five, a three-part case left): trade just enough singles for it.
    if filled < needed {
        let short = needed - filled;
        let stranded = by_task
            .values()
            .flatten()
            .filter(|c| c.parts > short)
            .min_by_key(|c| c.parts);
        if let Some(case) = stranded {
            let free = case.parts - short;
            let singles: Vec<usize> = (0..chosen.len())
                .rev()
                .filter(|&i| chosen[i].parts == 1)
                .take(free)
                .collect();
            if singles.len() == free {
                // Highest index first, so each removal leaves the others in place.
                for i in singles {
                    chosen.remove(i);
                }
                chosen.push((*case).clone());
            }
        }
    }
    chosen
}

fn slots(c: &Candidate, scored: bool) -> impl Iterator<Item = Slot> + '_ {
    (0..c.parts).map(move |part| Slot {
        id: c.id.clone(),
        hash: c.hash.clone(),
        part,
        scored,
        domain: c.domain,
        task: c.task,
    })
}

/// Draws a full exam form: `exam.questions.scored` scored slots by blueprint and
/// `exam.questions.unscored` unscored slots, in a random order (case-study parts stay together).
pub fn draw_exam(exam: &Exam, bank: &[Candidate], seed: u64) -> Result<Vec<Slot>, DrawError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scored_total = exam.questions.scored as usize;
    let weights: Vec<u32> = exam.domains.iter().map(|d| u32::from(d.weight)).collect();
    let targets = apportion(scored_total, &weights);
    let mut groups: Vec<Vec<Slot>> = Vec::new();
    let mut used: HashSet<QuestionId> = HashSet::new();
    for (domain, needed) in exam.domains.iter().zip(targets) {
        let pool: Vec<&Candidate> = bank
            .iter()
            .filter(|c| c.status == ItemStatus::Live && c.domain == domain.number)
            .collect();
        let chosen = pick_spread(&pool, needed, &mut rng);
        let got: usize = chosen.iter().map(|c| c.parts).sum();
        if got < needed {
            let available = pool.iter().map(|c| c.parts).sum();
            return Err(DrawError::NotEnoughInDomain {
                domain: domain.number,
                needed,
                available,
            });
        }
        for c in &chosen {
            groups.push(slots(c, true).collect());
        }
        used.extend(chosen.iter().map(|c| c.id.clone()));
    }
    // Unscored slots: pilots first (freshest first), then unused live items.
    let unscored_total = exam.questions.unscored as usize;
    let mut pilots: Vec<&Candidate> = bank
        .iter()
        .filter(|c| c.status == ItemStatus::Pilot)
        .collect();
    by_freshness(&mut pilots, &mut rng);
    let mut extra: Vec<&Candidate> = bank
        .iter()
        .filter(|c| c.status == ItemStatus::Live && !used.contains(&c.id))
        .collect();
    by_freshness(&mut extra, &mut rng);
    let mut filled = 0;
    for c in pilots.into_iter().chain(extra) {
        if filled == unscored_total {
            break;
        }
        if c.parts <= unscored_total - filled {
            filled += c.parts;
            groups.push(slots(c, false).collect());
        }
    }
    if filled < unscored_total {
        let available = bank.iter().map(|c| c.parts).sum();
        return Err(DrawError::NotEnoughItems {
            needed: scored_total + unscored_total,
            available,
        });
    }
    groups.shuffle(&mut rng);
    Ok(groups.into_iter().flatten().collect())
}

/// Draws a practice set of `count` live items from `bank` (already filtered to the chosen
/// domains or tasks), spread over task statements, freshest first; every item is scored.
pub fn draw_practice(bank: &[Candidate], count: usize, seed: u64) -> Result<Vec<Slot>, DrawError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pool: Vec<&Candidate> = bank
        .iter()
        .filter(|c| c.status == ItemStatus::Live)
        .collect();
    let chosen = pick_spread(&pool, count, &mut rng);
    let got: usize = chosen.iter().map(|c| c.parts).sum();
    if got < count {
        return Err(DrawError::NotEnoughItems {
            needed: count,
            available: pool.iter().map(|c| c.parts).sum(),
        });
    }
    let mut groups: Vec<Vec<Slot>> = chosen.iter().map(|c| slots(c, true).collect()).collect();
    groups.shuffle(&mut rng);
    Ok(groups.into_iter().flatten().collect())
}

/// A random permutation of `n` option positions, for shuffling options once per attempt.
pub fn permutation(n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

#[cfg(test)]
mod tests;
