//! Interop: question banks in the formats other tools use. Imports read GIFT, Moodle XML,
//! Aiken and QTI 3.0 into drafts of our items; exports write live items as GIFT, Moodle XML,
//! Aiken, a QTI 3.0 content package, or an Anki deck. Every format module has the same shape:
//! `parse` (bytes or text → [`Parsed`]) and `export` (items → [`Export`]).
//!
//! Imports are all or nothing: a malformed file is one [`ImportError`] with its line, and a
//! question type we cannot represent is an [`Unsupported`] entry with its location, which the
//! caller turns into a refusal unless the author asked to skip them.
#![forbid(unsafe_code)]

use std::fmt;

use getmycert_core::{Exam, ExamCode, ItemStatus, Part, Question, QuestionId};

pub mod aiken;
pub mod anki;
pub mod draft;
pub mod gift;
pub mod moodle;
pub mod qti;
pub mod text;

/// A place in an imported file: the 1-based line, and for a package the file inside it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file inside a package (QTI), if any.
    pub file: Option<String>,
    /// 1-based line.
    pub line: usize,
}

impl Location {
    pub fn line(line: usize) -> Self {
        Self { file: None, line }
    }

    pub fn in_file(file: impl Into<String>, line: usize) -> Self {
        Self {
            file: Some(file.into()),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}, line {}", self.line),
            None => write!(f, "line {}", self.line),
        }
    }
}

/// Why a file cannot be imported: malformed, or a question we cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{location}: {message}")]
pub struct ImportError {
    pub location: Location,
    pub message: String,
}

impl ImportError {
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        Self {
            location,
            message: message.into(),
        }
    }
}

/// A question of a type our items cannot represent (essay, numerical, short answer, cloze…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    pub location: Location,
    /// The format's own name for the type: `essay`, `numerical`, `shortanswer`, …
    pub kind: String,
    /// The question's name in the file, if it has one.
    pub title: Option<String>,
}

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} question", self.location, self.kind)?;
        if let Some(title) = &self.title {
            write!(f, " `{title}`")?;
        }
        write!(f, " is not supported")
    }
}

/// One question as read from a file, before it becomes an item (see [`draft::assemble`]).
/// Texts are Markdown. Rationales and the explanation are empty where the file has no
/// feedback; option letters are A, B, C… in file order and prompts are numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Where the question starts.
    pub location: Location,
    /// Its name in the file (GIFT `::title::`, Moodle `<name>`, QTI `identifier`), if any.
    pub title: Option<String>,
    /// Where the file filed it (GIFT `$CATEGORY`, Moodle category, QTI section), if anywhere;
    /// a trailing task number such as `1.2` maps the item to that task.
    pub category: Option<String>,
    pub tags: Vec<String>,
    /// A case study's shared scenario.
    pub scenario: Option<String>,
    /// One part, or 2–4 for a case study.
    pub parts: Vec<Part>,
}

/// What a parser read from a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Parsed {
    pub drafts: Vec<Draft>,
    pub unsupported: Vec<Unsupported>,
}

/// An item an export could not write, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    pub id: QuestionId,
    pub reason: String,
}

impl fmt::Display for LeftOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.id, self.reason)
    }
}

/// An export: the file's bytes and the items it left out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Export {
    pub bytes: Vec<u8>,
    pub left_out: Vec<LeftOut>,
}

/// The formats of `content import` and `content export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Gift,
    MoodleXml,
    Aiken,
    Qti3,
    Anki,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Gift,
        Format::MoodleXml,
        Format::Aiken,
        Format::Qti3,
        Format::Anki,
    ];

    /// The name on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Gift => "gift",
            Format::MoodleXml => "moodle-xml",
            Format::Aiken => "aiken",
            Format::Qti3 => "qti3",
            Format::Anki => "anki",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Whether `content import` reads this format (Anki decks are export only).
    pub fn imports(self) -> bool {
        self != Format::Anki
    }

    /// The file extension of an export.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Gift | Format::Aiken | Format::Anki => "txt",
            Format::MoodleXml => "xml",
            Format::Qti3 => "zip",
        }
    }

    /// The media type of an export.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Gift | Format::Aiken | Format::Anki => "text/plain; charset=utf-8",
            Format::MoodleXml => "application/xml",
            Format::Qti3 => "application/zip",
        }
    }

    /// Reads a file of this format. Anki decks cannot be imported.
    pub fn parse_file(self, bytes: &[u8]) -> Result<Parsed, ImportError> {
        let text = || {
            std::str::from_utf8(bytes).map_err(|e| {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1;
                ImportError::new(Location::line(line), "the file is not UTF-8 text")
            })
        };
        match self {
            Format::Gift => gift::parse(text()?),
            Format::MoodleXml => moodle::parse(text()?),
            Format::Aiken => aiken::parse(text()?),
            Format::Qti3 => qti::parse(bytes),
            Format::Anki => Err(ImportError::new(
                Location::line(1),
                "Anki decks are exported only; import GIFT, Moodle XML, Aiken or QTI 3.0",
            )),
        }
    }

    /// Writes `questions` (live items of `exam`, in bank order) in this format.
    pub fn export(self, exam: &Exam, questions: &[Question]) -> Export {
        match self {
            Format::Gift => gift::export(exam, questions),
            Format::MoodleXml => moodle::export(exam, questions),
            Format::Aiken => aiken::export(exam, questions),
            Format::Qti3 => qti::export(exam, questions),
            Format::Anki => anki::export(exam, questions),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Each key's percentage when `n` answers share 100%, as a value of Moodle's grade list
/// (`question_bank::fraction_options`; Moodle's GIFT and XML imports refuse other values),
/// written to five decimals as Moodle writes it. `None` past ten: the list has no equal share.
pub(crate) fn moodle_share(n: usize) -> Option<&'static str> {
    Some(match n {
        1 => "100",
        2 => "50",
        3 => "33.33333",
        4 => "25",
        5 => "20",
        6 => "16.66667",
        7 => "14.28571",
        8 => "12.5",
        9 => "11.11111",
        10 => "10",
        _ => return None,
    })
}

/// The part's options as our letters: `A`, `B`, … (helper for parsers).
pub fn letter(index: usize) -> char {
    (b'A' + (index as u8).min(25)) as char
}

/// Whether an export of `exam` holds `question`: a live item mapped to the exam.
pub fn is_exportable(question: &Question, exam: &ExamCode) -> bool {
    question.status == ItemStatus::Live && question.mapping_for(exam).is_some()
}

/// What an export of `exam` holds: its live items, in bank order.
pub fn exportable(questions: &[Question], exam: &ExamCode) -> Vec<Question> {
    questions
        .iter()
        .filter(|q| is_exportable(q, exam))
        .cloned()
        .collect()
}

/// The exam's domain and task of `question`, written `1.2` (exports file items under it).
pub fn task_of(exam: &Exam, question: &Question) -> Option<String> {
    question.mapping_for(&exam.code).map(|m| m.task_label())
}
