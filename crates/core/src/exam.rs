//! Exams as the catalog describes them: code, level, status, counts, timing, passing score and
//! the weighted domains with their task statements.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

/// An exam code such as `MLS-C01`: three to four upper-case letters, a dash, a letter and two
/// digits. Parsed case-insensitively and always held in upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExamCode(String);

/// Why a string is not an exam code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not an exam code (expected letters, a dash, a letter and two digits, e.g. MLS-C01)"
)]
pub struct ExamCodeError(pub String);

impl ExamCode {
    /// Parses `mls-c01` or `MLS-C01`.
    pub fn parse(raw: &str) -> Result<Self, ExamCodeError> {
        let upper = raw.trim().to_ascii_uppercase();
        let valid = match upper.split_once('-') {
            Some((prefix, version)) => {
                (2..=4).contains(&prefix.len())
                    && prefix.bytes().all(|b| b.is_ascii_uppercase())
                    && version.len() == 3
                    && version.as_bytes()[0].is_ascii_uppercase()
                    && version.bytes().skip(1).all(|b| b.is_ascii_digit())
            }
            None => false,
        };
        if valid {
            Ok(Self(upper))
        } else {
            Err(ExamCodeError(raw.to_owned()))
        }
    }

    /// The code as written in the catalog, e.g. `MLS-C01`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as it appears in URLs, e.g. `mls-c01`.
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }
}

impl fmt::Display for ExamCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for ExamCode {
    type Err = ExamCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ExamCode {
    type Error = ExamCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ExamCode> for String {
    fn from(code: ExamCode) -> Self {
        code.0
    }
}

/// The certification level, which sets the usual passing score and study effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Foundational,
    Associate,
    Professional,
    Specialty,
}

impl Level {
    /// A label for people, e.g. "Associate".
    pub fn label(self) -> &'static str {
        match self {
            Level::Foundational => "Foundational",
            Level::Associate => "Associate",
            Level::Professional => "Professional",
            Level::Specialty => "Specialty",
        }
    }

    /// The rank of the level on the path: 0 foundational, 1 associate, 2 professional/specialty.
    pub fn rank(self) -> u8 {
        match self {
            Level::Foundational => 0,
            Level::Associate => 1,
            Level::Professional | Level::Specialty => 2,
        }
    }
}

/// The item types an exam uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    Single,
    Multiple,
    Ordering,
    Matching,
    CaseStudy,
}

impl QuestionType {
    /// Every type, in the order pages list them.
    pub const ALL: [QuestionType; 5] = [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::Ordering,
        QuestionType::Matching,
        QuestionType::CaseStudy,
    ];

    /// The name used in content files, stats and URLs, e.g. `case-study`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multiple => "multiple",
            QuestionType::Ordering => "ordering",
            QuestionType::Matching => "matching",
            QuestionType::CaseStudy => "case-study",
        }
    }

    /// A label for people, e.g. "Multiple response".
    pub fn label(self) -> &'static str {
        match self {
            QuestionType::Single => "Multiple choice (one answer)",
            QuestionType::Multiple => "Multiple response",
            QuestionType::Ordering => "Ordering",
            QuestionType::Matching => "Matching",
            QuestionType::CaseStudy => "Case study",
        }
    }
}

/// How well a catalog fact is sourced.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Read in AWS's own text.
    #[default]
    Official,
    /// Only in secondary sources, which agree.
    Secondary,
    /// Sources disagree or none is official: shown as approximate, never as certain.
    Unconfirmed,
}

/// A catalog fact with how well it is sourced and an optional note on the sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact<T> {
    pub value: T,
    pub confidence: Confidence,
    pub note: Option<String>,
}

impl<T> Fact<T> {
    /// An officially sourced fact with no note.
    pub fn official(value: T) -> Self {
        Self {
            value,
            confidence: Confidence::Official,
            note: None,
        }
    }

    /// Whether the fact must be shown as approximate.
    pub fn is_unconfirmed(&self) -> bool {
        self.confidence == Confidence::Unconfirmed
    }
}

impl<T: fmt::Display> Fact<T> {
    /// The fact as a person reads it, with `unit` after the value: "90 minutes",
    /// "130 minutes (secondary sources)", "about 180 minutes — unconfirmed".
    pub fn describe(&self, unit: &str) -> String {
        let sep = if unit.is_empty() { "" } else { " " };
        match self.confidence {
            Confidence::Official => format!("{}{sep}{unit}", self.value),
            Confidence::Secondary => format!("{}{sep}{unit} (secondary sources)", self.value),
            Confidence::Unconfirmed => format!("about {}{sep}{unit} — unconfirmed", self.value),
        }
    }
}

/// Scored and unscored question counts of one sitting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCounts {
    pub scored: u32,
    pub unscored: u32,
}

impl QuestionCounts {
    /// All questions a candidate sees.
    pub fn total(&self) -> u32 {
        self.scored + self.unscored
    }
}

/// Whether an exam can still be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExamState {
    Active,
    Retiring,
    Retired,
}

/// The exam's status with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamStatus {
    pub state: ExamState,
    pub last_exam_day: Option<Date>,
    pub available_since: Option<Date>,
    pub confidence: Confidence,
    pub note: Option<String>,
}

impl ExamStatus {
    /// Whether a candidate can still sit the exam on `day`.
    pub fn bookable_on(&self, day: Date) -> bool {
        match (self.state, self.last_exam_day) {
            (ExamState::Retired, _) => false,
            (_, Some(last)) => day <= last,
            (_, None) => true,
        }
    }
}

/// One content domain of an exam's blueprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    /// 1-based domain number.
    pub number: u8,
    pub name: String,
    /// Share of the scored questions, in percent.
    pub weight: u8,
    /// Task statements in order; task `n` of domain `d` is numbered `d.n`.
    pub tasks: Vec<String>,
}

impl Domain {
    /// The task statements with their numbers, e.g. `("3.2", "Select the appropriate…")`.
    pub fn numbered_tasks(&self) -> impl Iterator<Item = (String, &str)> {
        self.tasks
            .iter()
            .enumerate()
            .map(move |(i, t)| (format!("{}.{}", self.number, i + 1), t.as_str()))
    }
}

/// An exam as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exam {
    pub code: ExamCode,
    pub name: String,
    pub short_name: String,
    pub vendor: String,
    pub level: Level,
    pub summary: String,
    pub status: ExamStatus,
    pub questions: QuestionCounts,
    pub minutes: Fact<u32>,
    pub passing_score: Fact<u32>,
    pub price_usd: Fact<u32>,
    pub question_types: Vec<QuestionType>,
    pub recommended_experience: String,
    pub recertification: String,
    pub recertified_by: Vec<ExamCode>,
    pub successors: Vec<ExamCode>,
    pub guide_url: Option<String>,
    pub sources: Vec<String>,
    pub domains: Vec<Domain>,
}

impl Exam {
    /// Whether a candidate can still sit the exam on `day`.
    pub fn bookable_on(&self, day: Date) -> bool {
        self.status.bookable_on(day)
    }

    /// Sum of the domain weights (100 in a valid catalog).
    pub fn weight_total(&self) -> u32 {
        self.domains.iter().map(|d| u32::from(d.weight)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exam_codes_parse_case_insensitively_and_print_upper_case() {
        let code = ExamCode::parse("mls-c01").expect("valid code");
        assert_eq!(code.as_str(), "MLS-C01");
        assert_eq!(code.slug(), "mls-c01");
        assert!(ExamCode::parse("AIF-C01").is_ok());
    }

    #[test]
    fn malformed_exam_codes_are_rejected() {
        for bad in [
            "", "MLS", "MLS-01", "MLSC01", "M-C01", "MLS-C1", "ML5-C01", "MLS-CC1",
        ] {
            assert!(ExamCode::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn facts_describe_their_confidence() {
        let minutes = Fact {
            value: 180,
            confidence: Confidence::Unconfirmed,
            note: None,
        };
        assert_eq!(
            minutes.describe("minutes"),
            "about 180 minutes — unconfirmed"
        );
        assert_eq!(Fact::official(90).describe("minutes"), "90 minutes");
        let price = Fact {
            value: 150,
            confidence: Confidence::Secondary,
            note: None,
        };
        assert_eq!(price.describe("USD"), "150 USD (secondary sources)");
    }

    #[test]
    fn retired_exams_cannot_be_booked() {
        let day = |s| Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"));
        let status = ExamStatus {
            state: ExamState::Retiring,
            last_exam_day: Some(day("2026-03-31").expect("date")),
            available_since: None,
            confidence: Confidence::Official,
            note: None,
        };
        assert!(status.bookable_on(day("2026-03-31").expect("date")));
        assert!(!status.bookable_on(day("2026-04-01").expect("date")));
        let retired = ExamStatus {
            state: ExamState::Retired,
            ..status
        };
        assert!(!retired.bookable_on(day("2025-01-01").expect("date")));
    }
}
