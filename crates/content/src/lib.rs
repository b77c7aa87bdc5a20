//! Content: the exam catalog, the certification path and the study guides, read from TOML
//! files (embedded in the binary, or a directory for authors), validated, and turned into
//! `core` types. Every error names the file, and the line or entry, that is wrong.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod error;
pub mod guides;
pub mod items;
pub mod markdown;
pub mod source;
#[cfg(feature = "testing")]
pub mod testing;

pub use catalog::{CertPath, PathStage};
pub use error::{ContentError, ContentErrors};
pub use guides::{
    Algorithm, AlgorithmFamily, FaqEntry, Guides, Role, Salary, Service, ServiceStatus,
};
pub use source::{ContentSource, SourceFile};

use getmycert_core::{Exam, ExamCode, Question};

use items::check::ItemFile;

/// Everything the site serves from content, validated.
#[derive(Debug, Clone)]
pub struct Content {
    /// Exams in path order (level, then code).
    pub exams: Vec<Exam>,
    /// Every item of the bank, drafts and retired ones included, in path order.
    pub questions: Vec<Question>,
    pub path: CertPath,
    pub guides: Guides,
}

impl Content {
    /// Loads and validates all content from `source`; all errors found are returned together.
    pub fn load(source: &ContentSource) -> Result<Self, ContentErrors> {
        let files = source.files()?;
        let mut errors = Vec::new();
        let exams = catalog::load_exams(&files, &mut errors);
        let known = catalog::declared_codes(&files);
        let path = catalog::load_path(&files, &known, &mut errors);
        let guides = guides::load(&files, &known, &mut errors);
        let items = load_items(&files, &mut errors);
        errors.extend(items::check::bank_errors(&items, &exams, &known));
        match (path, guides) {
            (Some(path), Some(guides)) if errors.is_empty() => Ok(Self {
                exams,
                questions: items.into_iter().map(|i| i.question).collect(),
                path,
                guides,
            }),
            _ => Err(ContentErrors(errors)),
        }
    }

    /// Every error, warning and figure for the content at `source` (`content check`, `stats`).
    pub fn check(source: &ContentSource) -> items::CheckReport {
        let files = match source.files() {
            Ok(files) => files,
            Err(e) => {
                return items::CheckReport {
                    errors: e.0,
                    ..Default::default()
                };
            }
        };
        let mut errors = Vec::new();
        let exams = catalog::load_exams(&files, &mut errors);
        let known = catalog::declared_codes(&files);
        catalog::load_path(&files, &known, &mut errors);
        guides::load(&files, &known, &mut errors);
        let items = load_items(&files, &mut errors);
        let mut report = items::check_bank(&items, &exams, &known);
        errors.append(&mut report.errors);
        report.errors = errors;
        report.items = items.len();
        report
    }

    /// The exam with this code.
    pub fn exam(&self, code: &ExamCode) -> Option<&Exam> {
        self.exams.iter().find(|e| &e.code == code)
    }
}

/// Parses every `questions/**/*.md` file; parse errors are collected.
pub fn load_items(files: &[SourceFile], errors: &mut Vec<ContentError>) -> Vec<ItemFile> {
    let mut items = Vec::new();
    for file in files {
        let rel = source::relative(&file.path);
        if !rel.starts_with("questions/") || !rel.ends_with(".md") {
            continue;
        }
        match items::parse_item(&file.path, &file.text) {
            Ok(question) => items.push(ItemFile {
                path: file.path.clone(),
                text: file.text.clone(),
                question,
            }),
            Err(mut e) => errors.append(&mut e),
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_content_is_valid_and_complete() {
        let content = Content::load(&ContentSource::Embedded).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(content.exams.len(), 9);
        assert!(content.exams.iter().all(|e| e.weight_total() == 100));
        assert_eq!(content.path.stages.len(), 3);
        assert!(content.guides.services.len() >= 40);
        let mls = content
            .exam(&ExamCode::parse("MLS-C01").expect("code"))
            .expect("MLS-C01 in the catalog");
        assert!(mls.minutes.is_unconfirmed());
        assert_eq!(
            mls.domains.iter().map(|d| d.weight).collect::<Vec<_>>(),
            [20, 24, 36, 20]
        );
    }

    #[test]
    fn exams_are_listed_in_path_order() {
        let content = Content::load(&ContentSource::Embedded).unwrap_or_else(|e| panic!("{e}"));
        let ranks: Vec<u8> = content.exams.iter().map(|e| e.level.rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    }
}
