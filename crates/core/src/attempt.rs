//! A sitting's fixed form and the answers given to it, in plain values: the modes of a sitting,
//! the items of a form with their option orders, the mapping between the display letters a
//! candidate sees and the item's own letters, and the check of a response's shape.
//!
//! Option ids shown to the candidate are display letters (A, B, … in the shuffled order), never
//! the item's own letters, so nothing on the page hints at an ordering key.

use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::draw::{Slot, permutation};
use crate::keyword::keyword_enum;
use crate::question::{Part, PartKind, QuestionId};
use crate::scoring::Response;

keyword_enum! {
    /// What kind of sitting.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "lowercase")]
    pub enum Mode {
        /// A timed simulation: real counts, minutes and blueprint; no feedback until submitted.
        Exam = "exam",
        /// A practice set with immediate feedback.
        Practice = "practice",
        /// Everything this identity got wrong and has not since answered right.
        Missed = "missed",
        /// The spaced-repetition queue: items whose cards are due, most overdue first.
        Review = "review",
        /// An adaptive drill: each next item chosen for the current ability, until it is known
        /// precisely enough.
        Drill = "drill",
    }
}

impl Mode {
    /// Whether answers get feedback as they are given (every mode but the simulation, which
    /// reveals nothing until it is submitted).
    pub fn gives_feedback(self) -> bool {
        self != Mode::Exam
    }

    /// How the history names a sitting of this mode.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Exam => "Simulation",
            Mode::Practice => "Practice",
            Mode::Missed => "Missed questions",
            Mode::Review => "Review",
            Mode::Drill => "Adaptive drill",
        }
    }
}

/// One item of a form as an attempt keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormItem {
    pub id: QuestionId,
    /// The revision served (its content hash).
    pub hash: String,
    /// The part of the question (case studies have several).
    pub part: usize,
    pub scored: bool,
    pub domain: u8,
    pub task: u8,
    /// Display position → index into the part's options.
    pub order: Vec<usize>,
}

impl FormItem {
    /// The slot with its `options` options in a fresh random order.
    pub fn from_slot(slot: Slot, options: usize, rng: &mut impl Rng) -> Self {
        FormItem {
            order: permutation(options, rng),
            id: slot.id,
            hash: slot.hash,
            part: slot.part,
            scored: slot.scored,
            domain: slot.domain,
            task: slot.task,
        }
    }

    /// The display letters of this item's options, in display order.
    pub fn display_ids(&self) -> Vec<char> {
        (0..self.order.len()).map(letter).collect()
    }

    /// A response in display ids → the same response in the item's own letters.
    pub fn to_original(&self, response: &Response) -> Response {
        let map = |c: &char| -> char {
            let display = (*c as u8).wrapping_sub(b'A') as usize;
            self.order.get(display).map_or('?', |o| letter(*o))
        };
        match response {
            Response::Selected { selected } => Response::Selected {
                selected: selected.iter().map(map).collect(),
            },
            Response::Order { order } => Response::Order {
                order: order.iter().map(map).collect(),
            },
            Response::Matches { matches } => Response::Matches {
                matches: matches.iter().map(|(p, c)| (*p, map(c))).collect(),
            },
        }
    }

    /// The display id of the option whose own letter is `original` (`?` if there is none).
    pub fn to_display(&self, original: char) -> char {
        let index = (original as u8).wrapping_sub(b'A') as usize;
        self.order
            .iter()
            .position(|o| *o == index)
            .map_or('?', letter)
    }

    /// The part's key in display ids, in the response's own shape.
    pub fn key(&self, part: &Part) -> Response {
        match part.kind {
            PartKind::Single | PartKind::Multiple => {
                let mut selected: Vec<char> = part
                    .keys()
                    .into_iter()
                    .map(|k| self.to_display(k))
                    .collect();
                selected.sort_unstable();
                Response::Selected { selected }
            }
            PartKind::Ordering => Response::Order {
                order: part.options.iter().map(|o| self.to_display(o.id)).collect(),
            },
            PartKind::Matching => Response::Matches {
                matches: part
                    .prompts
                    .iter()
                    .map(|p| (p.id, self.to_display(p.answer)))
                    .collect(),
            },
        }
    }

    /// Checks a response (in display ids) against the part's shape.
    pub fn validate(&self, part: &Part, response: &Response) -> Result<(), ResponseError> {
        let ids = self.display_ids();
        let listed = || ids.iter().collect::<String>();
        match (part.kind, response) {
            (PartKind::Single | PartKind::Multiple, Response::Selected { selected }) => {
                if let Some(c) = selected.iter().find(|c| !ids.contains(c)) {
                    return Err(ResponseError::UnknownOption(*c, listed()));
                }
                let mut unique = selected.clone();
                unique.sort_unstable();
                unique.dedup();
                if unique.len() != selected.len() {
                    return Err(ResponseError::SelectedTwice);
                }
                if part.kind == PartKind::Single && selected.len() > 1 {
                    return Err(ResponseError::OneOnly);
                }
                Ok(())
            }
            (PartKind::Ordering, Response::Order { order }) => {
                let mut sorted = order.clone();
                sorted.sort_unstable();
                if sorted != ids {
                    return Err(ResponseError::NotAnOrder(listed()));
                }
                Ok(())
            }
            (PartKind::Matching, Response::Matches { matches }) => {
                for (prompt, option) in matches {
                    if !part.prompts.iter().any(|p| p.id == *prompt) {
                        return Err(ResponseError::UnknownPrompt(*prompt));
                    }
                    if !ids.contains(option) {
                        return Err(ResponseError::UnknownOption(*option, listed()));
                    }
                }
                Ok(())
            }
            (kind, _) => Err(ResponseError::WrongShape(kind)),
        }
    }
}

/// The letter of the `i`-th option (0 → A).
pub fn letter(i: usize) -> char {
    (b'A' + i as u8) as char
}

/// What is wrong with a response's shape; the message says what to send instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResponseError {
    #[error("option `{0}` does not exist; options are {1}")]
    UnknownOption(char, String),
    #[error("an option is selected twice")]
    SelectedTwice,
    #[error("a single-answer question takes one option")]
    OneOnly,
    #[error("an order lists every step once: {0}")]
    NotAnOrder(String),
    #[error("prompt {0} does not exist")]
    UnknownPrompt(u8),
    #[error("a {} question takes {}", .0.as_str(), shape_of(*.0))]
    WrongShape(PartKind),
}

fn shape_of(kind: PartKind) -> &'static str {
    match kind {
        PartKind::Single | PartKind::Multiple => r#"{"selected": [option ids]}"#,
        PartKind::Ordering => r#"{"order": [option ids]}"#,
        PartKind::Matching => r#"{"matches": {prompt id: option id}}"#,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::question::{Choice, Prompt};

    fn item(order: Vec<usize>) -> FormItem {
        FormItem {
            id: QuestionId::parse("q-one").expect("an id"),
            hash: "h".into(),
            part: 0,
            scored: true,
            domain: 1,
            task: 1,
            order,
        }
    }

    fn part(kind: PartKind, keys: &[char], options: usize) -> Part {
        Part {
            kind,
            stem: "Which?".into(),
            options: (0..options)
                .map(|i| Choice {
                    id: letter(i),
                    text: format!("option {i}"),
                    rationale: "because".into(),
                    correct: keys.contains(&letter(i)),
                })
                .collect(),
            prompts: Vec::new(),
            explanation: String::new(),
        }
    }

    #[test]
    fn display_letters_map_to_the_items_own_letters_and_back() {
        // Display A shows option C, B shows A, C shows D, D shows B.
        let form = item(vec![2, 0, 3, 1]);
        let shown = Response::Selected {
            selected: vec!['A', 'D'],
        };
        assert_eq!(
            form.to_original(&shown),
            Response::Selected {
                selected: vec!['C', 'B']
            }
        );
        for own in ['A', 'B', 'C', 'D'] {
            let display = form.to_display(own);
            let back = form.to_original(&Response::Selected {
                selected: vec![display],
            });
            assert_eq!(
                back,
                Response::Selected {
                    selected: vec![own]
                }
            );
        }
        assert_eq!(form.to_display('Z'), '?');
    }

    #[test]
    fn the_key_is_given_in_display_letters() {
        let form = item(vec![2, 0, 3, 1]);
        let p = part(PartKind::Multiple, &['A', 'C'], 4);
        // Own A is shown as B, own C as A.
        assert_eq!(
            form.key(&p),
            Response::Selected {
                selected: vec!['A', 'B']
            }
        );
        let ordering = part(PartKind::Ordering, &[], 4);
        assert_eq!(
            form.key(&ordering),
            Response::Order {
                order: vec!['B', 'D', 'A', 'C']
            }
        );
    }

    #[test]
    fn responses_of_the_wrong_shape_are_refused_with_the_reason() {
        let form = item(vec![0, 1, 2, 3]);
        let single = part(PartKind::Single, &['B'], 4);
        let selected = |s: &[char]| Response::Selected {
            selected: s.to_vec(),
        };
        assert_eq!(form.validate(&single, &selected(&['B'])), Ok(()));
        assert_eq!(
            form.validate(&single, &selected(&['A', 'B'])),
            Err(ResponseError::OneOnly)
        );
        assert_eq!(
            form.validate(&single, &selected(&['E'])),
            Err(ResponseError::UnknownOption('E', "ABCD".into()))
        );
        let multiple = part(PartKind::Multiple, &['A', 'B'], 4);
        assert_eq!(
            form.validate(&multiple, &selected(&['A', 'A'])),
            Err(ResponseError::SelectedTwice)
        );
        let order = Response::Order {
            order: vec!['A', 'B'],
        };
        let e = form.validate(&single, &order).expect_err("wrong shape");
        assert_eq!(
            e.to_string(),
            r#"a single question takes {"selected": [option ids]}"#
        );
        let ordering = part(PartKind::Ordering, &[], 4);
        assert_eq!(
            form.validate(&ordering, &order),
            Err(ResponseError::NotAnOrder("ABCD".into()))
        );
        let mut matching = part(PartKind::Matching, &[], 4);
        matching.prompts = vec![Prompt {
            id: 1,
            text: "p".into(),
            answer: 'A',
        }];
        let matches = |p: u8, o: char| Response::Matches {
            matches: BTreeMap::from([(p, o)]),
        };
        assert_eq!(form.validate(&matching, &matches(1, 'C')), Ok(()));
        assert_eq!(
            form.validate(&matching, &matches(2, 'C')),
            Err(ResponseError::UnknownPrompt(2))
        );
        assert_eq!(
            form.validate(&matching, &matches(1, 'Q')),
            Err(ResponseError::UnknownOption('Q', "ABCD".into()))
        );
    }

    #[test]
    fn modes_parse_from_their_one_spelling() {
        assert_eq!("drill".parse::<Mode>(), Ok(Mode::Drill));
        assert!("Exam".parse::<Mode>().is_err());
        assert!(!Mode::Exam.gives_feedback());
        assert!(Mode::ALL.iter().filter(|m| m.gives_feedback()).count() == 4);
    }
}
