//! The exam catalog (`catalog/<code>.toml`) and the certification path (`catalog/path.toml`).

use serde::Deserialize;
use time::Date;

use getmycert_core::{
    Confidence, Domain, Exam, ExamCode, ExamState, ExamStatus, Fact, Level, QuestionCounts,
    QuestionType,
};

use crate::error::{ContentError, line_containing, line_of};
use crate::markdown::to_html;
use crate::source::{SourceFile, relative};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    code: String,
    name: String,
    short_name: String,
    #[serde(default = "default_vendor")]
    vendor: String,
    level: Level,
    summary: String,
    question_types: Vec<QuestionType>,
    recommended_experience: String,
    recertification: String,
    #[serde(default)]
    recertified_by: Vec<String>,
    #[serde(default)]
    successors: Vec<String>,
    guide_url: Option<String>,
    #[serde(default)]
    sources: Vec<String>,
    status: RawStatus,
    questions: QuestionCounts,
    minutes: RawFact,
    passing_score: RawFact,
    price_usd: RawFact,
    domains: Vec<RawDomain>,
}

fn default_vendor() -> String {
    "AWS".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    state: ExamState,
    last_exam_day: Option<toml::value::Datetime>,
    available_since: Option<toml::value::Datetime>,
    #[serde(default)]
    confidence: Confidence,
    note: Option<String>,
}

/// A fact: a plain number (official) or a table with its confidence.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawFact {
    Plain(u32),
    Table {
        value: u32,
        #[serde(default)]
        confidence: Confidence,
        note: Option<String>,
    },
}

impl From<RawFact> for Fact<u32> {
    fn from(raw: RawFact) -> Self {
        match raw {
            RawFact::Plain(value) => Fact::official(value),
            RawFact::Table {
                value,
                confidence,
                note,
            } => Fact {
                value,
                confidence,
                note,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    number: u8,
    name: String,
    weight: u8,
    tasks: Vec<String>,
}

/// Parses TOML, turning a syntax or shape error into a content error with its line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
) -> Result<T, ContentError> {
    toml::from_str(&file.text).map_err(|e| {
        let line = e.span().map(|s| line_of(&file.text, s.start));
        ContentError::new(&file.path, line, e.message().trim().to_owned())
    })
}

fn to_date(
    raw: Option<toml::value::Datetime>,
    file: &SourceFile,
    field: &str,
    errors: &mut Vec<ContentError>,
) -> Option<Date> {
    let raw = raw?;
    match raw.date {
        Some(d) if raw.time.is_none() => {
            let month = time::Month::try_from(d.month).ok();
            match month.and_then(|m| Date::from_calendar_date(i32::from(d.year), m, d.day).ok()) {
                Some(date) => Some(date),
                None => {
                    errors.push(ContentError::new(
                        &file.path,
                        line_containing(&file.text, field),
                        format!("`{field}` is not a calendar date"),
                    ));
                    None
                }
            }
        }
        _ => {
            errors.push(ContentError::new(
                &file.path,
                line_containing(&file.text, field),
                format!("`{field}` must be a date such as 2026-03-31, without a time"),
            ));
            None
        }
    }
}

/// Whether `file` is an exam file (`catalog/<code>.toml`).
fn is_exam_file(file: &SourceFile) -> bool {
    let rel = relative(&file.path);
    rel.starts_with("catalog/") && rel.ends_with(".toml") && rel != "catalog/path.toml"
}

/// The exam codes the catalog declares by file name, even where a file fails to parse, so a
/// broken exam file is reported once rather than again by every reference to its exam.
pub(crate) fn declared_codes(files: &[SourceFile]) -> Vec<ExamCode> {
    files
        .iter()
        .filter(|f| is_exam_file(f))
        .filter_map(|f| {
            let stem = relative(&f.path)
                .trim_start_matches("catalog/")
                .trim_end_matches(".toml");
            ExamCode::parse(stem).ok()
        })
        .collect()
}

/// Loads every `catalog/*.toml` except `path.toml`; errors are collected, bad exams skipped.
pub(crate) fn load_exams(files: &[SourceFile], errors: &mut Vec<ContentError>) -> Vec<Exam> {
    let mut exams: Vec<(Exam, &SourceFile)> = Vec::new();
    for file in files {
        if !is_exam_file(file) {
            continue;
        }
        match parse_toml::<RawExam>(file).map(|raw| build_exam(raw, file, errors)) {
            Ok(Some(exam)) => {
                if let Some((_, first)) = exams.iter().find(|(e, _)| e.code == exam.code) {
                    errors.push(ContentError::new(
                        &file.path,
                        line_containing(&file.text, "code"),
                        format!("exam {} is already defined in {}", exam.code, first.path),
                    ));
                } else {
                    exams.push((exam, file));
                }
            }
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    if exams.is_empty() && errors.is_empty() {
        errors.push(ContentError::new(
            "content/catalog",
            None,
            "the catalog holds no exam (expected catalog/<code>.toml files)",
        ));
    }
    // Cross-references: every named exam must exist.
    let known = declared_codes(files);
    for (exam, file) in &exams {
        for (field, codes) in [
            ("recertified_by", &exam.recertified_by),
            ("successors", &exam.successors),
        ] {
            for code in codes.iter().filter(|c| !known.contains(c)) {
                errors.push(ContentError::new(
                    &file.path,
                    line_containing(&file.text, field),
                    format!("exam {}: {field} names unknown exam {code}", exam.code),
                ));
            }
        }
    }
    let mut exams: Vec<Exam> = exams.into_iter().map(|(e, _)| e).collect();
    exams.sort_by(|a, b| (a.level.rank(), &a.code).cmp(&(b.level.rank(), &b.code)));
    exams
}

fn build_exam(raw: RawExam, file: &SourceFile, errors: &mut Vec<ContentError>) -> Option<Exam> {
    let before = errors.len();
    let mut err = |needle: &str, message: String| {
        errors.push(ContentError::new(
            &file.path,
            line_containing(&file.text, needle),
            message,
        ));
    };
    let code = match ExamCode::parse(&raw.code) {
        Ok(code) => code,
        Err(e) => {
            err("code", e.to_string());
            return None;
        }
    };
    let stem = relative(&file.path)
        .trim_start_matches("catalog/")
        .trim_end_matches(".toml");
    if stem != code.slug() {
        err(
            "code",
            format!("exam {code}: the file must be named {}.toml", code.slug()),
        );
    }
    let mut codes = |field: &str, raw: &[String]| -> Vec<ExamCode> {
        raw.iter()
            .filter_map(|c| match ExamCode::parse(c) {
                Ok(c) => Some(c),
                Err(e) => {
                    err(field, format!("exam {code}: {field}: {e}"));
                    None
                }
            })
            .collect()
    };
    let recertified_by = codes("recertified_by", &raw.recertified_by);
    let successors = codes("successors", &raw.successors);

    let total: u32 = raw.domains.iter().map(|d| u32::from(d.weight)).sum();
    if total != 100 {
        let listed = raw
            .domains
            .iter()
            .map(|d| d.weight.to_string())
            .collect::<Vec<_>>()
            .join(" + ");
        err(
            "weight",
            format!("exam {code}: domain weights sum to {total} ({listed}), not 100"),
        );
    }
    if raw.domains.is_empty() {
        err("code", format!("exam {code}: no domains"));
    }
    for (i, domain) in raw.domains.iter().enumerate() {
        let needle = format!("name = \"{}\"", domain.name);
        if usize::from(domain.number) != i + 1 {
            err(
                &needle,
                format!(
                    "exam {code}: domain {} is listed in position {}; number domains 1, 2, 3… in order",
                    domain.number,
                    i + 1
                ),
            );
        }
        if domain.tasks.is_empty() {
            err(
                &needle,
                format!(
                    "exam {code}: domain {} has no task statements",
                    domain.number
                ),
            );
        }
        if domain.weight == 0 {
            err(
                &needle,
                format!("exam {code}: domain {} has weight 0", domain.number),
            );
        }
    }
    let passing: Fact<u32> = raw.passing_score.into();
    if !(100..=1000).contains(&passing.value) {
        err(
            "passing_score",
            format!(
                "exam {code}: passing score {} is outside 100–1000",
                passing.value
            ),
        );
    }
    if raw.questions.scored == 0 {
        err(
            "scored",
            format!("exam {code}: an exam needs scored questions"),
        );
    }
    if raw.question_types.is_empty() {
        err(
            "question_types",
            format!("exam {code}: list the question types"),
        );
    }
    let last_exam_day = to_date(raw.status.last_exam_day, file, "last_exam_day", errors);
    let available_since = to_date(raw.status.available_since, file, "available_since", errors);
    if raw.status.state != ExamState::Active && last_exam_day.is_none() {
        errors.push(ContentError::new(
            &file.path,
            line_containing(&file.text, "state"),
            format!("exam {code}: a retiring or retired exam needs last_exam_day"),
        ));
    }
    if errors.len() > before {
        return None;
    }
    Some(Exam {
        code,
        name: raw.name,
        short_name: raw.short_name,
        vendor: raw.vendor,
        level: raw.level,
        summary: raw.summary,
        status: ExamStatus {
            state: raw.status.state,
            last_exam_day,
            available_since,
            confidence: raw.status.confidence,
            note: raw.status.note,
        },
        questions: raw.questions,
        minutes: raw.minutes.into(),
        passing_score: passing,
        price_usd: raw.price_usd.into(),
        question_types: raw.question_types,
        recommended_experience: raw.recommended_experience,
        recertification: raw.recertification,
        recertified_by,
        successors,
        guide_url: raw.guide_url,
        sources: raw.sources,
        domains: raw
            .domains
            .into_iter()
            .map(|d| Domain {
                number: d.number,
                name: d.name,
                weight: d.weight,
                tasks: d.tasks,
            })
            .collect(),
    })
}

/// The certification path as a roadmap of stages.
#[derive(Debug, Clone)]
pub struct CertPath {
    pub title: String,
    pub intro_html: String,
    pub stages: Vec<PathStage>,
}

/// One stage of the path, its Markdown already rendered to safe HTML.
#[derive(Debug, Clone)]
pub struct PathStage {
    pub name: String,
    pub best_for_html: String,
    pub prerequisites_html: String,
    pub study_time: String,
    pub exams: Vec<ExamCode>,
    pub alternatives: Vec<ExamCode>,
    pub note_html: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPath {
    title: String,
    intro: String,
    stages: Vec<RawStage>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStage {
    name: String,
    best_for: String,
    prerequisites: String,
    study_time: String,
    exams: Vec<String>,
    #[serde(default)]
    alternatives: Vec<String>,
    note: Option<String>,
}

/// Resolves codes against the catalog, reporting unknown ones with the entry that names them.
pub(crate) fn known_codes(
    raw: &[String],
    known: &[ExamCode],
    file: &SourceFile,
    entry: &str,
    errors: &mut Vec<ContentError>,
) -> Vec<ExamCode> {
    raw.iter()
        .filter_map(|c| {
            let line = line_containing(&file.text, &format!("\"{c}\""));
            match ExamCode::parse(c) {
                Ok(code) if known.contains(&code) => Some(code),
                Ok(code) => {
                    errors.push(ContentError::new(
                        &file.path,
                        line,
                        format!("{entry}: unknown exam {code}"),
                    ));
                    None
                }
                Err(e) => {
                    errors.push(ContentError::new(&file.path, line, format!("{entry}: {e}")));
                    None
                }
            }
        })
        .collect()
}

pub(crate) fn load_path(
    files: &[SourceFile],
    known: &[ExamCode],
    errors: &mut Vec<ContentError>,
) -> Option<CertPath> {
    let Some(file) = files
        .iter()
        .find(|f| relative(&f.path) == "catalog/path.toml")
    else {
        errors.push(ContentError::new(
            "content/catalog/path.toml",
            None,
            "missing: the certification path",
        ));
        return None;
    };
    let raw: RawPath = match parse_toml(file) {
        Ok(raw) => raw,
        Err(e) => {
            errors.push(e);
            return None;
        }
    };
    let stages = raw
        .stages
        .into_iter()
        .map(|s| {
            let entry = format!("stage \"{}\"", s.name);
            PathStage {
                exams: known_codes(&s.exams, known, file, &entry, errors),
                alternatives: known_codes(&s.alternatives, known, file, &entry, errors),
                best_for_html: to_html(&s.best_for),
                prerequisites_html: to_html(&s.prerequisites),
                study_time: s.study_time,
                note_html: s.note.as_deref().map(to_html),
                name: s.name,
            }
        })
        .collect();
    Some(CertPath {
        title: raw.title,
        intro_html: to_html(&raw.intro),
        stages,
    })
}
