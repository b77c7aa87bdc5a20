//! Content: the exam catalog, the certification path and the study guides, read from TOML
//! files (embedded in the binary, or a directory for authors), validated, and turned into
//! `core` types. Every error names the file, and the line or entry, that is wrong.
#![forbid(unsafe_code)]

pub mod catalog;
pub mod error;
pub mod guides;
pub mod markdown;
pub mod source;

pub use catalog::{CertPath, PathStage};
pub use error::{ContentError, ContentErrors};
pub use guides::{
    Algorithm, AlgorithmFamily, FaqEntry, Guides, Role, Salary, Service, ServiceStatus,
};
pub use source::{ContentSource, SourceFile};

use getmycert_core::{Exam, ExamCode};

/// Everything the site serves from content, validated.
#[derive(Debug, Clone)]
pub struct Content {
    /// Exams in path order (level, then code).
    pub exams: Vec<Exam>,
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
        match (path, guides) {
            (Some(path), Some(guides)) if errors.is_empty() => Ok(Self {
                exams,
                path,
                guides,
            }),
            _ => Err(ContentErrors(errors)),
        }
    }

    /// The exam with this code.
    pub fn exam(&self, code: &ExamCode) -> Option<&Exam> {
        self.exams.iter().find(|e| &e.code == code)
    }
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
