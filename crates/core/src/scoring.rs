//! Scoring one response to one part: all or nothing, as AWS scores every item type; an
//! unanswered part is wrong; there is no penalty for guessing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::question::{Part, PartKind};

/// A candidate's answer to one part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Response {
    /// Single and multiple: the chosen option letters.
    Selected { selected: Vec<char> },
    /// Ordering: the step letters in the chosen order.
    Order { order: Vec<char> },
    /// Matching: prompt number → option letter.
    Matches { matches: BTreeMap<u8, char> },
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
