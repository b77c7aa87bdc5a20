//! Classical item analysis for authors: facility, corrected point-biserial discrimination, the
//! choice rate of every option, and flags that point at a bad question.
//!
//! Candidates answer different subsets of the bank, so a candidate's standing is their
//! **rest proportion**: the share right of the *other* items they answered (the item itself
//! left out, which is what "corrected" means). Discrimination is the Pearson correlation,
//! over the candidates who answered the item and at least one other, between the item's 0/1
//! score and the rest proportion.
//!
//! Flags, once an item has at least [`MIN_RESPONSES`] responses:
//! - **negative discrimination**: stronger candidates get it wrong more often than weaker ones;
//! - **dubious key**: a distractor chosen by at least [`MIN_CHOOSERS`] candidates whose mean rest
//!   proportion is higher than that of the candidates who chose the key (the key may be wrong);
//! - **too easy**: facility ≥ 0.95; **too hard**: facility ≤ 0.25.

use serde::{Deserialize, Serialize};

/// Responses an item needs before it is flagged.
pub const MIN_RESPONSES: usize = 20;
/// Candidates a distractor needs before it can make a key dubious.
pub const MIN_CHOOSERS: usize = 5;
const TOO_EASY: f64 = 0.95;
const TOO_HARD: f64 = 0.25;

/// One candidate's answer to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// Index of the candidate.
    pub person: usize,
    /// Index of the item (into the `items` given to [`analyse`]).
    pub item: usize,
    pub correct: bool,
    /// The option letters chosen (single and multiple; empty for other types).
    pub chosen: Vec<char>,
}

/// What [`analyse`] needs to know of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemShape {
    /// Option letters whose choice rates are reported (single and multiple; else empty).
    pub options: Vec<char>,
    /// The keys among them.
    pub keys: Vec<char>,
}

/// Why an item needs an author's look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "flag", rename_all = "kebab-case")]
pub enum Flag {
    NegativeDiscrimination,
    DubiousKey { option: char },
    TooEasy,
    TooHard,
}

impl Flag {
    /// A short label for pages.
    pub fn label(&self) -> String {
        match self {
            Flag::NegativeDiscrimination => "negative discrimination".into(),
            Flag::DubiousKey { option } => {
                format!("dubious key: strong candidates prefer {option}")
            }
            Flag::TooEasy => "too easy".into(),
            Flag::TooHard => "too hard".into(),
        }
    }
}

/// One option's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionStat {
    pub option: char,
    pub key: bool,
    /// Share of respondents who chose it.
    pub rate: f64,
    /// How many chose it.
    pub chosen: usize,
    /// Mean rest proportion of those who chose it.
    pub mean_rest: Option<f64>,
}

/// One item's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemAnalysis {
    pub responses: usize,
    /// Proportion correct.
    pub facility: Option<f64>,
    /// Corrected point-biserial correlation.
    pub discrimination: Option<f64>,
    pub options: Vec<OptionStat>,
    pub flags: Vec<Flag>,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Pearson correlation of paired values; `None` when either side does not vary.
fn correlation(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = (
        pairs.iter().map(|p| p.0).sum::<f64>() / n,
        pairs.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 1e-12 && syy > 1e-12).then(|| sxy / (sxx * syy).sqrt())
}

/// Analyses every item; `observations` hold at most one answer per (person, item).
pub fn analyse(items: &[ItemShape], observations: &[Observation]) -> Vec<ItemAnalysis> {
    let persons = observations.iter().map(|o| o.person + 1).max().unwrap_or(0);
    let mut right = vec![0usize; persons];
    let mut answered = vec![0usize; persons];
    for o in observations {
        answered[o.person] += 1;
        right[o.person] += usize::from(o.correct);
    }
    let rest = |o: &Observation| -> Option<f64> {
        let others = answered[o.person].checked_sub(1).filter(|n| *n > 0)?;
        Some((right[o.person] - usize::from(o.correct)) as f64 / others as f64)
    };
    let mut by_item: Vec<Vec<&Observation>> = vec![Vec::new(); items.len()];
    for o in observations {
        if let Some(list) = by_item.get_mut(o.item) {
            list.push(o);
        }
    }
    items
        .iter()
        .zip(by_item)
        .map(|(shape, seen)| {
            let n = seen.len();
            let facility = mean(seen.iter().map(|o| f64::from(u8::from(o.correct))));
            let pairs: Vec<(f64, f64)> = seen
                .iter()
                .filter_map(|o| Some((f64::from(u8::from(o.correct)), rest(o)?)))
                .collect();
            let discrimination = correlation(&pairs);
            let options: Vec<OptionStat> = shape
                .options
                .iter()
                .map(|letter| {
                    let choosers: Vec<&&Observation> =
                        seen.iter().filter(|o| o.chosen.contains(letter)).collect();
                    OptionStat {
                        option: *letter,
                        key: shape.keys.contains(letter),
                        rate: if n == 0 {
                            0.0
                        } else {
                            choosers.len() as f64 / n as f64
                        },
                        chosen: choosers.len(),
                        mean_rest: mean(choosers.iter().filter_map(|o| rest(o))),
                    }
                })
                .collect();
            let mut flags = Vec::new();
            if n >= MIN_RESPONSES {
                if discrimination.is_some_and(|r| r < 0.0) {
                    flags.push(Flag::NegativeDiscrimination);
                }
                let key_rest = mean(seen.iter().filter(|o| o.correct).filter_map(|o| rest(o)));
                for o in options
                    .iter()
                    .filter(|o| !o.key && o.chosen >= MIN_CHOOSERS)
                {
                    if let (Some(d), Some(k)) = (o.mean_rest, key_rest)
                        && d > k
                    {
                        flags.push(Flag::DubiousKey { option: o.option });
                    }
                }
                match facility {
                    Some(p) if p >= TOO_EASY => flags.push(Flag::TooEasy),
                    Some(p) if p <= TOO_HARD => flags.push(Flag::TooHard),
                    _ => {}
                }
            }
            ItemAnalysis {
                responses: n,
                facility,
                discrimination,
                options,
                flags,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Simulated candidates of spread ability answering `items` 4-option items: item `j` is
    /// answered right with a probability rising with ability, except where `miskeyed` says the
    /// stated key is wrong (strong candidates then pick C, the real answer).
    fn simulate(persons: usize, items: usize, miskeyed: Option<usize>) -> Vec<Observation> {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut out = Vec::new();
        for person in 0..persons {
            let ability: f64 = rng.random_range(-2.0..2.0);
            for item in 0..items {
                let p_true = 1.0 / (1.0 + (-(1.5 * ability)).exp());
                let knows = rng.random::<f64>() < p_true;
                let chosen = match (miskeyed == Some(item), knows) {
                    (false, true) => 'A',
                    (true, true) => 'C',
                    (_, false) => ['A', 'B', 'C', 'D'][rng.random_range(0..4)],
                };
                out.push(Observation {
                    person,
                    item,
                    correct: chosen == 'A',
                    chosen: vec![chosen],
                });
            }
        }
        out
    }

    fn shapes(n: usize) -> Vec<ItemShape> {
        vec![
            ItemShape {
                options: vec!['A', 'B', 'C', 'D'],
                keys: vec!['A'],
            };
            n
        ]
    }

    #[test]
    fn a_miskeyed_item_is_caught_and_good_items_are_not_flagged() {
        let results = analyse(&shapes(10), &simulate(400, 10, Some(3)));
        let bad = &results[3];
        assert!(
            bad.flags.contains(&Flag::DubiousKey { option: 'C' }),
            "{bad:?}"
        );
        assert!(bad.flags.contains(&Flag::NegativeDiscrimination), "{bad:?}");
        for (j, item) in results.iter().enumerate().filter(|(j, _)| *j != 3) {
            assert!(item.flags.is_empty(), "item {j}: {item:?}");
            let r = item.discrimination.expect("varies");
            assert!(r > 0.2, "item {j}: discrimination {r}");
            let total: f64 = item.options.iter().map(|o| o.rate).sum();
            assert!((total - 1.0).abs() < 1e-9, "single choice rates sum to 1");
        }
    }

    #[test]
    fn too_few_responses_raise_no_flag_and_extremes_do() {
        let few = analyse(&shapes(2), &simulate(5, 2, Some(0)));
        assert!(few.iter().all(|i| i.flags.is_empty()));
        let everyone_right: Vec<Observation> = (0..30)
            .map(|person| Observation {
                person,
                item: 0,
                correct: true,
                chosen: vec!['A'],
            })
            .collect();
        let easy = analyse(&shapes(1), &everyone_right);
        assert_eq!(easy[0].facility, Some(1.0));
        assert_eq!(easy[0].discrimination, None, "no variance, no correlation");
        assert_eq!(easy[0].flags, vec![Flag::TooEasy]);
    }

    proptest! {
        #[test]
        fn figures_stay_in_their_ranges(seed in 0u64..500, persons in 1usize..40) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let observations: Vec<Observation> = (0..persons)
                .flat_map(|person| (0..5).map(move |item| (person, item)))
                .filter(|_| rng.random::<f64>() < 0.7)
                .map(|(person, item)| {
                    let c = ['A', 'B', 'C', 'D'][(seed as usize + person * 3 + item) % 4];
                    Observation { person, item, correct: c == 'A', chosen: vec![c] }
                })
                .collect();
            for item in analyse(&shapes(5), &observations) {
                if let Some(p) = item.facility { prop_assert!((0.0..=1.0).contains(&p)); }
                if let Some(r) = item.discrimination { prop_assert!((-1.0 - 1e-9..=1.0 + 1e-9).contains(&r)); }
                for o in &item.options { prop_assert!((0.0..=1.0).contains(&o.rate)); }
            }
        }
    }
}
