//! The rules of GetMyCert as plain types and functions: exams and their blueprints, items and
//! their scoring, sittings' forms, spaced repetition, item response theory and the study-plan
//! advisor. No I/O lives here, so every rule is unit- and property-testable.
#![forbid(unsafe_code)]

pub mod account;
pub mod adaptive;
pub mod analysis;
pub mod attempt;
pub mod certification;
pub mod draw;
pub mod exam;
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures;
pub mod irt;
pub mod keyword;
pub mod plan;
pub mod progress;
pub mod question;
pub mod readiness;
pub mod review;
pub mod scoring;
pub mod simulation;

pub use account::Role;
pub use attempt::{FormItem, Mode};
pub use exam::{
    Confidence, Domain, Exam, ExamCode, ExamCodeError, ExamState, ExamStatus, Fact, Level,
    QuestionCounts, QuestionType,
};
pub use keyword::UnknownName;
pub use question::{
    Choice, Difficulty, ItemStatus, Mapping, Part, PartKind, Prompt, Question, QuestionId,
    ReportStatus,
};
