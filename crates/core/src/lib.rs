//! The rules of GetMyCert as plain types and functions: exams and their blueprints, and the
//! study-plan advisor. No I/O lives here, so every rule is unit- and property-testable.
#![forbid(unsafe_code)]

pub mod adaptive;
pub mod analysis;
pub mod draw;
pub mod exam;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod irt;
pub mod plan;
pub mod question;
pub mod readiness;
pub mod review;
pub mod scoring;
pub mod simulation;

pub use exam::{
    Confidence, Domain, Exam, ExamCode, ExamCodeError, ExamState, ExamStatus, Fact, Level,
    QuestionCounts, QuestionType,
};
pub use question::{
    Choice, Difficulty, ItemStatus, Mapping, Part, PartKind, Prompt, Question, QuestionId,
};
