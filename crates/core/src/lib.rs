//! The rules of GetMyCert as plain types and functions: exams and their blueprints, and the
//! study-plan advisor. No I/O lives here, so every rule is unit- and property-testable.
#![forbid(unsafe_code)]

pub mod exam;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod plan;

pub use exam::{
    Confidence, Domain, Exam, ExamCode, ExamCodeError, ExamState, ExamStatus, Fact, Level,
    QuestionCounts, QuestionType,
};
