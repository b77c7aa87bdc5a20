//! Questions (items): the bank's unit. An item maps to one or more (exam, domain, task), has a
//! type, and holds one scored part — or, for a case study, a shared scenario and 2–4 parts,
//! each scored on its own.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::exam::{ExamCode, QuestionType};
use crate::keyword::keyword_enum;

/// A stable item id: 3–100 characters of lowercase letters, digits and single dashes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct QuestionId(String);

/// Why a string is not a question id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a question id (3–100 lowercase letters, digits and single dashes)")]
pub struct QuestionIdError(pub String);

impl QuestionId {
    pub fn parse(raw: &str) -> Result<Self, QuestionIdError> {
        let ok = (3..=100).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(QuestionIdError(raw.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for QuestionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for QuestionId {
    type Error = QuestionIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<QuestionId> for String {
    fn from(id: QuestionId) -> Self {
        id.0
    }
}

/// How hard the item is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }
}

keyword_enum! {
    /// Where the item is in its life.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum ItemStatus {
        /// Being written; never served.
        Draft = "draft",
        /// Served in unscored slots while it is calibrated.
        Pilot = "pilot",
        /// Served and scored.
        Live = "live",
        /// No longer served; kept for the responses that point at it.
        Retired = "retired",
    }
}

keyword_enum! {
    /// Where a learner's report on a question stands.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    pub enum ReportStatus {
        /// Waiting for an author.
        Open = "open",
        /// The author agreed and will fix the item.
        Accepted = "accepted",
        /// The author found the item right as it is.
        Rejected = "rejected",
    }
}

/// The exam, domain and task statement an item tests.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Mapping {
    pub exam: ExamCode,
    pub domain: u8,
    pub task: u8,
}

impl Mapping {
    /// The task as written in exam guides, e.g. `3.2`.
    pub fn task_label(&self) -> String {
        format!("{}.{}", self.domain, self.task)
    }
}

keyword_enum! {
    /// How one scored part is answered.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "lowercase")]
    pub enum PartKind {
        Single = "single",
        Multiple = "multiple",
        Ordering = "ordering",
        Matching = "matching",
    }
}

/// An answer option (or, in an ordering part, a step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The letter: `A`, `B`, …
    pub id: char,
    /// Markdown.
    pub text: String,
    /// Why the option is right or wrong; Markdown.
    pub rationale: String,
    /// A key of a single or multiple part; always false elsewhere.
    pub correct: bool,
}

/// A prompt of a matching part and the option it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Prompt {
    /// 1-based number.
    pub id: u8,
    /// Markdown.
    pub text: String,
    pub answer: char,
}

/// One scored unit: the item itself, or one case-study sub-question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub kind: PartKind,
    /// Markdown.
    pub stem: String,
    /// Options; for ordering, the steps in the correct order.
    pub options: Vec<Choice>,
    /// Matching only.
    pub prompts: Vec<Prompt>,
    /// Markdown.
    pub explanation: String,
}

impl Part {
    /// How many options a single or multiple part asks for.
    pub fn select(&self) -> usize {
        self.options.iter().filter(|o| o.correct).count()
    }

    /// The keys' letters, in order.
    pub fn keys(&self) -> Vec<char> {
        self.options
            .iter()
            .filter(|o| o.correct)
            .map(|o| o.id)
            .collect()
    }
}

/// An item of the bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    pub kind: QuestionType,
    pub mappings: Vec<Mapping>,
    pub difficulty: Difficulty,
    pub status: ItemStatus,
    pub tags: Vec<String>,
    pub references: Vec<String>,
    pub verified: Option<Date>,
    /// The shared scenario of a case study; Markdown.
    pub scenario: Option<String>,
    /// One part, or 2–4 for a case study.
    pub parts: Vec<Part>,
}

impl Question {
    /// The mapping of this item to `exam`, if any.
    pub fn mapping_for(&self, exam: &ExamCode) -> Option<&Mapping> {
        self.mappings.iter().find(|m| &m.exam == exam)
    }

    /// The text a reader first meets: the scenario of a case study, else the stem.
    pub fn lead(&self) -> &str {
        self.scenario
            .as_deref()
            .unwrap_or_else(|| self.parts.first().map_or("", |p| p.stem.as_str()))
    }
}

/// Spells a count the way exam stems do: "Select TWO."
pub fn select_phrase(n: usize) -> String {
    let word = match n {
        2 => "TWO",
        3 => "THREE",
        4 => "FOUR",
        5 => "FIVE",
        _ => return format!("Select {n}."),
    };
    format!("Select {word}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_ids_are_slugs() {
        assert!(QuestionId::parse("mls-pipe-mode-2").is_ok());
        for bad in [
            "",
            "ab",
            "Upper",
            "with space",
            "-lead",
            "trail-",
            "double--dash",
            "under_score",
        ] {
            assert!(QuestionId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn selection_counts_are_spelled_like_the_exam() {
        assert_eq!(select_phrase(2), "Select TWO.");
        assert_eq!(select_phrase(3), "Select THREE.");
    }
}
