//! Study guides: services, algorithm families, careers and the FAQ (`guides/*.toml`).

use serde::Deserialize;

use getmycert_core::ExamCode;

use crate::catalog::{known_codes, parse_toml};
use crate::error::ContentError;
use crate::markdown::to_html;
use crate::source::{SourceFile, relative};

/// All guides, validated.
#[derive(Debug, Clone)]
pub struct Guides {
    pub services: Vec<Service>,
    pub algorithms: Vec<AlgorithmFamily>,
    pub careers: Vec<Role>,
    pub faq: Vec<FaqEntry>,
}

/// Whether a service can still be adopted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ServiceStatus {
    Active,
    ClosedToNewCustomers,
    Discontinued,
    Renamed,
}

impl ServiceStatus {
    /// A label for people; empty for active services.
    pub fn label(self) -> &'static str {
        match self {
            ServiceStatus::Active => "",
            ServiceStatus::ClosedToNewCustomers => "Closed to new customers",
            ServiceStatus::Discontinued => "Discontinued",
            ServiceStatus::Renamed => "Renamed",
        }
    }
}

/// An AWS service or feature a candidate must know.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub category: String,
    pub summary: String,
    #[serde(default, rename = "exams")]
    raw_exams: Vec<String>,
    #[serde(skip)]
    pub exams: Vec<ExamCode>,
    pub url: String,
    pub status: ServiceStatus,
    pub status_note: Option<String>,
}

/// A family of ML algorithms with examples.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlgorithmFamily {
    pub name: String,
    #[serde(rename = "summary")]
    summary_md: String,
    #[serde(skip)]
    pub summary_html: String,
    pub algorithms: Vec<Algorithm>,
}

/// One algorithm: when to choose it, its key hyperparameters and trade-offs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Algorithm {
    pub name: String,
    pub sagemaker: Option<String>,
    pub when: String,
    #[serde(default)]
    pub hyperparameters: Vec<String>,
    pub tradeoffs: String,
}

/// A role on the certification path with salary figures as sources reported them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub title: String,
    pub summary: String,
    #[serde(default, rename = "exams")]
    raw_exams: Vec<String>,
    #[serde(skip)]
    pub exams: Vec<ExamCode>,
    #[serde(default)]
    pub salaries: Vec<Salary>,
}

/// A reported salary figure and who reported it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Salary {
    pub figure: String,
    pub source: String,
    pub year: u16,
    pub url: String,
}

/// A question and its answer, rendered from Markdown.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    pub question: String,
    #[serde(rename = "answer")]
    answer_md: String,
    #[serde(skip)]
    pub answer_html: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServicesFile {
    services: Vec<Service>,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlgorithmsFile {
    families: Vec<AlgorithmFamily>,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CareersFile {
    roles: Vec<Role>,
}
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FaqFile {
    entries: Vec<FaqEntry>,
}

fn load_one<T: serde::de::DeserializeOwned>(
    files: &[SourceFile],
    name: &str,
    errors: &mut Vec<ContentError>,
) -> Option<(T, SourceFile)> {
    let Some(file) = files.iter().find(|f| relative(&f.path) == name) else {
        errors.push(ContentError::new(
            &format!("content/{name}"),
            None,
            "missing",
        ));
        return None;
    };
    match parse_toml(file) {
        Ok(value) => Some((value, file.clone())),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn require_https(url: &str, file: &SourceFile, entry: &str, errors: &mut Vec<ContentError>) {
    if !url.starts_with("https://") {
        let line = crate::error::line_containing(&file.text, url);
        errors.push(ContentError::new(
            &file.path,
            line,
            format!("{entry}: url must start with https://"),
        ));
    }
}

pub(crate) fn load(
    files: &[SourceFile],
    known: &[ExamCode],
    errors: &mut Vec<ContentError>,
) -> Option<Guides> {
    let services =
        load_one::<ServicesFile>(files, "guides/services.toml", errors).map(|(f, file)| {
            f.services
                .into_iter()
                .map(|mut s| {
                    let entry = format!("service \"{}\"", s.name);
                    s.exams = known_codes(&s.raw_exams, known, &file, &entry, errors);
                    require_https(&s.url, &file, &entry, errors);
                    s
                })
                .collect::<Vec<_>>()
        });
    let algorithms =
        load_one::<AlgorithmsFile>(files, "guides/algorithms.toml", errors).map(|(f, _)| {
            f.families
                .into_iter()
                .map(|mut family| {
                    family.summary_html = to_html(&family.summary_md);
                    family
                })
                .collect::<Vec<_>>()
        });
    let careers = load_one::<CareersFile>(files, "guides/careers.toml", errors).map(|(f, file)| {
        f.roles
            .into_iter()
            .map(|mut role| {
                let entry = format!("role \"{}\"", role.title);
                role.exams = known_codes(&role.raw_exams, known, &file, &entry, errors);
                for salary in &role.salaries {
                    require_https(&salary.url, &file, &entry, errors);
                }
                role
            })
            .collect::<Vec<_>>()
    });
    let faq = load_one::<FaqFile>(files, "guides/faq.toml", errors).map(|(f, _)| {
        f.entries
            .into_iter()
            .map(|mut entry| {
                entry.answer_html = to_html(&entry.answer_md);
                entry
            })
            .collect::<Vec<_>>()
    });
    Some(Guides {
        services: services?,
        algorithms: algorithms?,
        careers: careers?,
        faq: faq?,
    })
}
