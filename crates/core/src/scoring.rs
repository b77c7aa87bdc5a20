//! Scoring one response to one part: all or nothing, as AWS scores every item type; an
//! unanswered part is wrong; there is no penalty for guessing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::question::{Part, PartKind};

/// A candidate's answer to one part. In JSON: `{"selected": ["B"]}`, `{"order": ["C", "A", "B"]}`
/// or `{"matches": {"1": "C", "2": "A"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged, try_from = "RawResponse")]
pub enum Response {
    /// Single and multiple: the chosen option letters.
    Selected { selected: Vec<char> },
    /// Ordering: the step letters in the chosen order.
    Order { order: Vec<char> },
    /// Matching: prompt number → option letter.
    Matches { matches: BTreeMap<u8, char> },
}

/// The wire form of a response: exactly one of the three fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResponse {
    selected: Option<Vec<char>>,
    order: Option<Vec<char>>,
    matches: Option<BTreeMap<String, char>>,
}

impl TryFrom<RawResponse> for Response {
    type Error = String;

    fn try_from(raw: RawResponse) -> Result<Self, Self::Error> {
        Self::from_fields(raw.selected, raw.order, raw.matches)
    }
}

impl Response {
    /// A response from its wire fields, of which exactly one is given; matching prompts are
    /// numbered.
    pub fn from_fields(
        selected: Option<Vec<char>>,
        order: Option<Vec<char>>,
        matches: Option<BTreeMap<String, char>>,
    ) -> Result<Self, String> {
        match (selected, order, matches) {
            (Some(selected), None, None) => Ok(Response::Selected { selected }),
            (None, Some(order), None) => Ok(Response::Order { order }),
            (None, None, Some(matches)) => matches
                .into_iter()
                .map(|(prompt, option)| {
                    prompt
                        .parse::<u8>()
                        .map(|p| (p, option))
                        .map_err(|_| format!("prompt id `{prompt}` is not a number"))
                })
                .collect::<Result<_, _>>()
                .map(|matches| Response::Matches { matches }),
            _ => Err("a response has exactly one of `selected`, `order` or `matches`".into()),
        }
    }
}

/// Whether `response` earns the part's credit.
pub fn is_correct(part: &Part, response: Option<&Response>) -> bool {
    let Some(response) = response else {
        return false;
    };
    match (part.kind, response) {
        (PartKind::Single | PartKind::Multiple, Response::Selected { selected }) => {
            let mut chosen = selected.clone();
            chosen.sort_unstable();
            chosen.dedup();
            chosen == part.keys()
        }
        (PartKind::Ordering, Response::Order { order }) => {
            order.len() == part.options.len()
                && order
                    .iter()
                    .zip(&part.options)
                    .all(|(id, step)| *id == step.id)
        }
        (PartKind::Matching, Response::Matches { matches }) => {
            matches.len() == part.prompts.len()
                && part
                    .prompts
                    .iter()
                    .all(|p| matches.get(&p.id) == Some(&p.answer))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::{Choice, Prompt};

    fn choice(id: char, correct: bool) -> Choice {
        Choice {
            id,
            text: format!("option {id}"),
            rationale: "because".into(),
            correct,
        }
    }

    fn part(kind: PartKind, keys: &[char]) -> Part {
        Part {
            kind,
            stem: "stem".into(),
            options: ['A', 'B', 'C', 'D', 'E']
                .iter()
                .map(|c| choice(*c, keys.contains(c)))
                .collect(),
            prompts: vec![],
            explanation: String::new(),
        }
    }

    #[test]
    fn responses_read_from_json_in_each_shape_and_refuse_mixtures() {
        let parse = |s: &str| serde_json::from_str::<Response>(s);
        assert_eq!(
            parse(r#"{"selected": ["B", "D"]}"#).ok(),
            Some(Response::Selected {
                selected: vec!['B', 'D']
            })
        );
        assert_eq!(
            parse(r#"{"order": ["C", "A"]}"#).ok(),
            Some(Response::Order {
                order: vec!['C', 'A']
            })
        );
        assert_eq!(
            parse(r#"{"matches": {"1": "C", "2": "A"}}"#).ok(),
            Some(Response::Matches {
                matches: [(1, 'C'), (2, 'A')].into()
            })
        );
        assert!(parse(r#"{"selected": ["B"], "order": ["A"]}"#).is_err());
        assert!(parse(r#"{"matches": {"one": "C"}}"#).is_err());
        assert!(parse(r#"{"selected": ["BB"]}"#).is_err());
        let round = Response::Matches {
            matches: [(3, 'E')].into(),
        };
        assert_eq!(
            serde_json::to_string(&round).ok().as_deref(),
            Some(r#"{"matches":{"3":"E"}}"#)
        );
    }

    #[test]
    fn multiple_response_needs_every_key_and_nothing_else() {
        let p = part(PartKind::Multiple, &['B', 'D']);
        let sel = |s: &[char]| Response::Selected {
            selected: s.to_vec(),
        };
        assert!(is_correct(&p, Some(&sel(&['D', 'B']))));
        assert!(!is_correct(&p, Some(&sel(&['B']))));
        assert!(!is_correct(&p, Some(&sel(&['B', 'D', 'E']))));
        assert!(!is_correct(&p, None), "unanswered is wrong");
    }

    #[test]
    fn ordering_and_matching_are_all_or_nothing() {
        let ordering = part(PartKind::Ordering, &[]);
        let order = |o: &[char]| Response::Order { order: o.to_vec() };
        assert!(is_correct(
            &ordering,
            Some(&order(&['A', 'B', 'C', 'D', 'E']))
        ));
        assert!(!is_correct(
            &ordering,
            Some(&order(&['A', 'B', 'C', 'E', 'D']))
        ));
        assert!(!is_correct(&ordering, Some(&order(&['A', 'B', 'C', 'D']))));

        let mut matching = part(PartKind::Matching, &[]);
        matching.prompts = vec![
            Prompt {
                id: 1,
                text: "p1".into(),
                answer: 'B',
            },
            Prompt {
                id: 2,
                text: "p2".into(),
                answer: 'A',
            },
            Prompt {
                id: 3,
                text: "p3".into(),
                answer: 'B',
            },
        ];
        let all = Response::Matches {
            matches: [(1, 'B'), (2, 'A'), (3, 'B')].into(),
        };
        let one_wrong = Response::Matches {
            matches: [(1, 'B'), (2, 'C'), (3, 'B')].into(),
        };
        assert!(is_correct(&matching, Some(&all)));
        assert!(!is_correct(&matching, Some(&one_wrong)));
        assert!(!is_correct(
            &matching,
            Some(&Response::Selected {
                selected: vec!['A']
            })
        ));
    }
}

/// The estimated scaled score, pass/fail and per-domain verdicts of a submitted attempt.
///
/// AWS does not publish how raw performance maps to its 100–1000 scale, so this is an estimate,
/// documented in `docs/scoring.md`: the blueprint-weighted proportion correct `p` maps
/// piecewise-linearly onto the scale with the cut at `p = passing score / 1000` — 0 → 100,
/// cut → passing score, 1 → 1000 — which is monotone and puts the cut exactly at the pass mark.
pub mod scaled {
    use serde::{Deserialize, Serialize};

    use crate::exam::Exam;

    /// The lowest and highest scaled scores.
    pub const MIN: u32 = 100;
    pub const MAX: u32 = 1000;

    /// One scored part's outcome.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Outcome {
        pub domain: u8,
        pub correct: bool,
    }

    /// The per-domain feedback of a score report.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Verdict {
        #[serde(rename = "Meets competencies")]
        Meets,
        #[serde(rename = "Needs improvement")]
        NeedsImprovement,
    }

    impl Verdict {
        pub fn label(self) -> &'static str {
            match self {
                Verdict::Meets => "Meets competencies",
                Verdict::NeedsImprovement => "Needs improvement",
            }
        }
    }

    /// One domain's line of the report.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct DomainResult {
        pub domain: u8,
        pub name: String,
        pub weight: u8,
        pub correct: u32,
        pub total: u32,
        pub verdict: Verdict,
    }

    /// The score part of a report.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct Summary {
        pub scaled_score: u32,
        pub passed: bool,
        pub passing_score: u32,
        /// Always true: the scaled score is an estimate.
        pub estimate: bool,
        /// Blueprint-weighted proportion correct, 0–1.
        pub weighted_proportion: f64,
        pub correct: u32,
        pub total: u32,
        pub domains: Vec<DomainResult>,
    }

    /// The proportion that maps to the passing score.
    pub fn cut_proportion(passing_score: u32) -> f64 {
        f64::from(passing_score.clamp(MIN + 1, MAX - 1)) / f64::from(MAX)
    }

    /// Maps a weighted proportion correct to the 100–1000 scale (see the module doc).
    pub fn scaled_score(proportion: f64, passing_score: u32) -> u32 {
        let p = proportion.clamp(0.0, 1.0);
        let cut = cut_proportion(passing_score);
        let pass = f64::from(passing_score.clamp(MIN + 1, MAX - 1));
        let score = if p <= cut {
            f64::from(MIN) + (pass - f64::from(MIN)) * p / cut
        } else {
            pass + (f64::from(MAX) - pass) * (p - cut) / (1.0 - cut)
        };
        score.round() as u32
    }

    /// Scores the scored parts of an attempt against `exam`'s blueprint.
    pub fn summarize(exam: &Exam, outcomes: &[Outcome]) -> Summary {
        let passing = exam.passing_score.value;
        let cut = cut_proportion(passing);
        let mut domains = Vec::new();
        let (mut weighted, mut weight_seen) = (0.0, 0.0);
        for d in &exam.domains {
            let total = outcomes.iter().filter(|o| o.domain == d.number).count() as u32;
            let correct = outcomes
                .iter()
                .filter(|o| o.domain == d.number && o.correct)
                .count() as u32;
            if total > 0 {
                weighted += f64::from(d.weight) * f64::from(correct) / f64::from(total);
                weight_seen += f64::from(d.weight);
            }
            let share = if total == 0 {
                0.0
            } else {
                f64::from(correct) / f64::from(total)
            };
            domains.push(DomainResult {
                domain: d.number,
                name: d.name.clone(),
                weight: d.weight,
                correct,
                total,
                verdict: if total > 0 && share >= cut {
                    Verdict::Meets
                } else {
                    Verdict::NeedsImprovement
                },
            });
        }
        let proportion = if weight_seen > 0.0 {
            weighted / weight_seen
        } else {
            0.0
        };
        let scaled_score = scaled_score(proportion, passing);
        Summary {
            scaled_score,
            passed: scaled_score >= passing,
            passing_score: passing,
            estimate: true,
            weighted_proportion: proportion,
            correct: outcomes.iter().filter(|o| o.correct).count() as u32,
            total: outcomes.len() as u32,
            domains,
        }
    }

    #[cfg(test)]
    mod tests {
        use proptest::prelude::*;

        use super::*;
        use crate::exam::Level;
        use crate::fixtures::sample_exam;

        #[test]
        fn the_cut_maps_to_the_passing_score_and_the_ends_to_the_scale_ends() {
            for passing in [700, 720, 750] {
                assert_eq!(scaled_score(cut_proportion(passing), passing), passing);
                assert_eq!(scaled_score(0.0, passing), 100);
                assert_eq!(scaled_score(1.0, passing), 1000);
            }
        }

        #[test]
        fn a_summary_weights_domains_and_gives_verdicts() {
            let mut exam = sample_exam("MLS-C01", Level::Specialty, &[20, 24, 36, 20]);
            exam.passing_score.value = 750;
            let mut outcomes = Vec::new();
            for (domain, correct, total) in [(1, 10, 10), (2, 12, 12), (3, 9, 18), (4, 10, 10)] {
                for i in 0..total {
                    outcomes.push(Outcome {
                        domain,
                        correct: i < correct,
                    });
                }
            }
            let s = summarize(&exam, &outcomes);
            assert!(
                (s.weighted_proportion - 0.82).abs() < 1e-9,
                "{}",
                s.weighted_proportion
            );
            assert!(s.passed);
            assert!(s.estimate);
            assert_eq!((s.correct, s.total), (41, 50));
            assert_eq!(s.domains[2].verdict, Verdict::NeedsImprovement);
            assert_eq!(s.domains[0].verdict, Verdict::Meets);
            let none = summarize(&exam, &[]);
            assert_eq!((none.scaled_score, none.passed), (100, false));
        }

        proptest! {
            #[test]
            fn the_mapping_is_monotone_and_stays_on_the_scale(
                a in 0.0f64..=1.0, b in 0.0f64..=1.0, passing in 600u32..900,
            ) {
                let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                let (s_lo, s_hi) = (scaled_score(lo, passing), scaled_score(hi, passing));
                prop_assert!(s_lo <= s_hi);
                prop_assert!((100..=1000).contains(&s_lo) && (100..=1000).contains(&s_hi));
                let cut = cut_proportion(passing);
                if hi >= cut {
                    prop_assert!(s_hi >= passing, "{} at or above the cut scores {}", hi, s_hi);
                }
                if lo < cut - 0.005 {
                    prop_assert!(s_lo < passing, "{} below the cut scores {}", lo, s_lo);
                }
            }
        }
    }
}
