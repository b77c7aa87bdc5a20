//! Drafts become items: each read question gets an id, an exam mapping and `status = "draft"`,
//! and is written in our Markdown format and parsed back, so what an import writes is exactly
//! what `content check` accepts. A question the item format cannot hold (no key, two keys in a
//! single-answer question, raw HTML…) is an error at its location.

use std::collections::BTreeSet;

use getmycert_content::items::{parse_item, write_item};
use getmycert_core::{
    Difficulty, Exam, ItemStatus, Mapping, PartKind, Question, QuestionId, QuestionType,
};

use crate::{Draft, ImportError};

/// An item ready to be written, and where its question was in the file.
#[derive(Debug, Clone)]
pub struct Item {
    pub question: Question,
    /// The file's text, in our Markdown format.
    pub text: String,
    /// Whether the item got the default task because the file named none the exam has.
    pub task_defaulted: bool,
}

/// Turns `drafts` into draft items of `exam`. `task` is the mapping for questions whose file
/// names no task of the exam (default: the exam's first task); `taken` holds the ids already
/// used in the bank, which new ids avoid. All drafts or none: every failure is returned.
pub fn assemble(
    drafts: &[Draft],
    exam: &Exam,
    task: Option<(u8, u8)>,
    taken: &BTreeSet<String>,
) -> Result<Vec<Item>, Vec<ImportError>> {
    let fallback = task.unwrap_or((1, 1));
    let mut used = taken.clone();
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for (n, draft) in drafts.iter().enumerate() {
        let found = draft
            .category
            .as_deref()
            .and_then(|c| task_in(c, exam))
            .or_else(|| draft.tags.iter().find_map(|t| task_in(t, exam)));
        let (domain, task) = found.unwrap_or(fallback);
        let id = unique_id(draft, exam, n + 1, &mut used);
        let kind = match (&draft.scenario, draft.parts.as_slice()) {
            (Some(_), parts) if parts.len() > 1 => QuestionType::CaseStudy,
            (_, [part]) => match part.kind {
                PartKind::Single => QuestionType::Single,
                PartKind::Multiple => QuestionType::Multiple,
                PartKind::Ordering => QuestionType::Ordering,
                PartKind::Matching => QuestionType::Matching,
            },
            _ => {
                errors.push(ImportError::new(
                    draft.location.clone(),
                    format!(
                        "a question holds one part, or a scenario and 2–4 parts; found {} part(s)",
                        draft.parts.len()
                    ),
                ));
                continue;
            }
        };
        let exam_tag = exam.code.as_str().to_ascii_lowercase();
        let mut tags: Vec<String> = Vec::new();
        for tag in &draft.tags {
            let tag = tag.trim();
            let ours = tag.eq_ignore_ascii_case(&exam_tag) || task_in(tag, exam).is_some();
            if !tag.is_empty() && !ours && !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        let scenario = match kind {
            QuestionType::CaseStudy => draft.scenario.clone(),
            _ => None,
        };
        let mut parts = draft.parts.clone();
        let single_part = kind != QuestionType::CaseStudy;
        if let (true, Some(scenario), Some(part)) =
            (single_part, &draft.scenario, parts.first_mut())
        {
            part.stem = format!("{scenario}\n\n{}", part.stem);
        }
        let question = Question {
            id,
            kind,
            mappings: vec![Mapping {
                exam: exam.code.clone(),
                domain,
                task,
            }],
            difficulty: Difficulty::Medium,
            status: ItemStatus::Draft,
            tags,
            references: Vec::new(),
            verified: None,
            scenario,
            parts,
        };
        let text = write_item(&question);
        let path = format!("{}.md", question.id);
        match parse_item(&path, &text) {
            Ok(parsed) => items.push(Item {
                question: parsed,
                text,
                task_defaulted: found.is_none(),
            }),
            Err(problems) => {
                for problem in problems {
                    errors.push(ImportError::new(
                        draft.location.clone(),
                        format!("cannot become an item: {}", problem.message),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

/// The exam's task written `D.T` (`2.1`), if the exam has it.
pub fn exam_task(label: &str, exam: &Exam) -> Option<(u8, u8)> {
    let (d, t) = label.split_once('.')?;
    let (d, t) = (d.parse::<u8>().ok()?, t.parse::<u8>().ok()?);
    exam.domains
        .iter()
        .any(|dom| dom.number == d && t >= 1 && usize::from(t) <= dom.tasks.len())
        .then_some((d, t))
}

/// The exam's task named by the last `D.T` token of `text` (`AIF-C01/1.2 …`, `task-1.2`).
fn task_in(text: &str, exam: &Exam) -> Option<(u8, u8)> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter_map(|token| exam_task(token.trim_matches('.'), exam))
        .next_back()
}

/// An id from the question's name (or its first words), unique among `used`.
fn unique_id(draft: &Draft, exam: &Exam, n: usize, used: &mut BTreeSet<String>) -> QuestionId {
    let from_title = draft.title.as_deref().map(slug).filter(|s| s.len() >= 3);
    let from_stem = || {
        let lead = draft
            .scenario
            .as_deref()
            .or_else(|| draft.parts.first().map(|p| p.stem.as_str()))
            .unwrap_or("");
        let words: Vec<&str> = lead.split_whitespace().take(8).collect();
        Some(slug(&words.join(" "))).filter(|s| s.len() >= 3)
    };
    let base = from_title
        .or_else(from_stem)
        .unwrap_or_else(|| format!("{}-imported-{n}", exam.code.as_str().to_ascii_lowercase()));
    let mut candidate = base.clone();
    let mut k = 2;
    while used.contains(&candidate) || QuestionId::parse(&candidate).is_err() {
        let suffix = format!("-{k}");
        let keep = base.len().min(100 - suffix.len());
        candidate = format!("{}{suffix}", base[..keep].trim_end_matches('-'));
        k += 1;
    }
    used.insert(candidate.clone());
    QuestionId::parse(&candidate).unwrap_or_else(|_| unreachable!("checked in the loop"))
}

/// Lowercase letters and digits with single dashes, at most 80 characters.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 80 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use getmycert_core::fixtures::sample_exam;
    use getmycert_core::{Choice, Level, Part};

    use super::*;
    use crate::Location;

    fn single(stem: &str, options: &[(&str, bool)]) -> Part {
        Part {
            kind: PartKind::Single,
            stem: stem.to_owned(),
            options: options
                .iter()
                .enumerate()
                .map(|(i, (text, correct))| Choice {
                    id: crate::letter(i),
                    text: (*text).to_owned(),
                    rationale: String::new(),
                    correct: *correct,
                })
                .collect(),
            prompts: Vec::new(),
            explanation: String::new(),
        }
    }

    fn draft(title: Option<&str>, category: Option<&str>, part: Part) -> Draft {
        Draft {
            location: Location::line(7),
            title: title.map(str::to_owned),
            category: category.map(str::to_owned),
            tags: Vec::new(),
            scenario: None,
            parts: vec![part],
        }
    }

    #[test]
    fn drafts_become_items_that_parse_with_ids_and_tasks() {
        let exam = sample_exam("AIF-C01", Level::Foundational, &[50, 50]);
        let part = single("Which is true?", &[("True", true), ("False", false)]);
        let drafts = [
            draft(
                Some("Pick One!"),
                Some("$course$/top/AIF-C01/2.1 Domain"),
                part.clone(),
            ),
            draft(Some("pick-one"), None, part.clone()),
            draft(None, Some("9.9"), part),
        ];
        let taken = BTreeSet::from(["which-is-true".to_owned()]);
        let items = assemble(&drafts, &exam, None, &taken).expect("assembles");
        let ids: Vec<&str> = items.iter().map(|i| i.question.id.as_str()).collect();
        assert_eq!(ids, ["pick-one", "pick-one-2", "which-is-true-2"]);
        assert_eq!(items[0].question.mappings[0].task_label(), "2.1");
        assert!(!items[0].task_defaulted);
        assert_eq!(items[2].question.mappings[0].task_label(), "1.1");
        assert!(items[2].task_defaulted);
        assert_eq!(exam_task("2.1", &exam), Some((2, 1)));
        for missing in ["3.1", "2.2", "2", "a.b", ""] {
            assert_eq!(exam_task(missing, &exam), None, "{missing}");
        }
        assert!(items.iter().all(|i| i.question.status == ItemStatus::Draft));
        assert!(items[0].text.contains("status = \"draft\""));
    }

    #[test]
    fn a_question_our_format_cannot_hold_is_an_error_at_its_line() {
        let exam = sample_exam("AIF-C01", Level::Foundational, &[100]);
        let two_keys = single("Which?", &[("a", true), ("b", true), ("c", false)]);
        let errors = assemble(
            &[draft(None, None, two_keys)],
            &exam,
            None,
            &BTreeSet::new(),
        )
        .expect_err("two keys in a single-answer question");
        assert_eq!(errors[0].location, Location::line(7));
        assert!(
            errors[0].message.contains("exactly one key"),
            "{}",
            errors[0]
        );
    }
}
