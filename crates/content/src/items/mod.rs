//! Question items: the Markdown format (`docs/content-format.md`), its parser and writer, and
//! the bank-wide checks behind `content check` and `content stats`.

pub mod check;
pub mod figures;
pub mod parse;
pub mod write;

pub use check::{CheckReport, check_bank};
pub use figures::{ExamStats, Stats};
pub use parse::parse_item;
pub use write::write_item;
