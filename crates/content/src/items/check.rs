//! Bank-wide checks and figures: errors that make a bank unusable (duplicate ids, mappings to
//! exams, domains or tasks the catalog lacks) and warnings with figures that an author should
//! act on (near-duplicate stems, key positions, longest keys, blueprint shares, empty tasks,
//! short stems). Counts are of live items unless named.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use getmycert_core::{Exam, ExamCode, ItemStatus, PartKind, Question};

use super::figures::{self, Stats};
use crate::error::{ContentError, line_containing};

/// A parsed item with the file it came from.
#[derive(Debug, Clone)]
pub struct ItemFile {
    pub path: String,
    pub text: String,
    pub question: Question,
}

/// Stems at or above this Jaccard similarity (word trigrams) are reported as near-duplicates.
pub const NEAR_DUPLICATE_THRESHOLD: f64 = 0.5;
/// A stem (with its scenario) shorter than this cannot hold a scenario.
pub const MIN_STEM_WORDS: usize = 20;

/// What `content check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Item files read.
    pub items: usize,
    pub errors: Vec<ContentError>,
    pub warnings: Vec<ContentError>,
    pub stats: Stats,
}

/// Errors only: duplicate ids and mappings the catalog does not know. Cheap; run at start-up.
/// `declared` are the codes the catalog names by file, loaded or not.
pub fn bank_errors(items: &[ItemFile], exams: &[Exam], declared: &[ExamCode]) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for item in items {
        let id = item.question.id.as_str();
        if let Some(first) = seen.insert(id, &item.path) {
            errors.push(ContentError::new(
                &item.path,
                line_containing(&item.text, "id ="),
                format!("duplicate id `{id}`: already used by {first}"),
            ));
        }
        for m in &item.question.mappings {
            let line = line_containing(&item.text, &format!("\"{}\"", m.exam));
            let Some(exam) = exams.iter().find(|e| e.code == m.exam) else {
                // An exam whose catalog file failed to load is reported there, once.
                if !declared.contains(&m.exam) {
                    errors.push(ContentError::new(
                        &item.path,
                        line,
                        format!("unknown exam {}", m.exam),
                    ));
                }
                continue;
            };
            let task_line =
                line_containing(&item.text, &format!("\"{}\"", m.task_label())).or(line);
            match exam.domains.iter().find(|d| d.number == m.domain) {
                None => errors.push(ContentError::new(
                    &item.path,
                    task_line,
                    format!(
                        "{} has no domain {} (it has 1–{})",
                        exam.code,
                        m.domain,
                        exam.domains.len()
                    ),
                )),
                Some(d) if usize::from(m.task) > d.tasks.len() => errors.push(ContentError::new(
                    &item.path,
                    task_line,
                    format!(
                        "{} domain {} has no task {} (it has {}.1–{}.{})",
                        exam.code,
                        m.domain,
                        m.task_label(),
                        d.number,
                        d.number,
                        d.tasks.len()
                    ),
                )),
                Some(_) => {}
            }
        }
        if item
            .question
            .mappings
            .iter()
            .map(|m| &m.exam)
            .collect::<HashSet<_>>()
            .len()
            < item.question.mappings.len()
        {
            errors.push(ContentError::new(
                &item.path,
                line_containing(&item.text, "[[exams]]"),
                "an item maps to each exam once",
            ));
        }
    }
    errors
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(text: &str) -> HashSet<String> {
    let w = words(text);
    if w.len() < 3 {
        return w.into_iter().collect();
    }
    w.windows(3).map(|t| t.join(" ")).collect()
}

fn jaccard(a: &HashSet<String>, b: &HashSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Errors, warnings and figures for a parsed bank.
pub fn check_bank(items: &[ItemFile], exams: &[Exam], declared: &[ExamCode]) -> CheckReport {
    let mut report = CheckReport {
        items: items.len(),
        errors: bank_errors(items, exams, declared),
        ..CheckReport::default()
    };
    let warn = |report: &mut CheckReport, file: &str, line: Option<usize>, message: String| {
        report.warnings.push(ContentError::new(file, line, message));
    };

    // Short stems.
    for item in items
        .iter()
        .filter(|i| i.question.status != ItemStatus::Retired)
    {
        let q = &item.question;
        let lead_words = words(q.lead()).len();
        if lead_words < MIN_STEM_WORDS {
            warn(
                &mut report,
                &item.path,
                Some(first_body_line(&item.text)),
                format!(
                    "the stem has {lead_words} words (under {MIN_STEM_WORDS}): too short to hold a scenario"
                ),
            );
        }
    }

    // Matching answers in prompt order (1=A, 2=B, …) give the answer away.
    for item in items
        .iter()
        .filter(|i| i.question.status != ItemStatus::Retired)
    {
        for part in item
            .question
            .parts
            .iter()
            .filter(|p| p.kind == PartKind::Matching)
        {
            let diagonal = part
                .prompts
                .iter()
                .enumerate()
                .all(|(i, p)| p.answer == (b'A' + i as u8) as char);
            if diagonal {
                warn(
                    &mut report,
                    &item.path,
                    line_containing(&item.text, "## Prompts"),
                    "matching answers follow the prompt order (1=A, 2=B, …); reorder the options"
                        .into(),
                );
            }
        }
    }

    // Options are shuffled in simulations, so a rationale or explanation that cites a letter
    // ("unlike option B") would point at the wrong option.
    for item in items
        .iter()
        .filter(|i| i.question.status != ItemStatus::Retired)
    {
        for part in &item.question.parts {
            let texts = part
                .options
                .iter()
                .map(|o| o.rationale.as_str())
                .chain([part.explanation.as_str()]);
            if texts.into_iter().any(cites_letter) {
                warn(
                    &mut report,
                    &item.path,
                    None,
                    "a rationale or the explanation cites an option by letter; options are shuffled in simulations, so name the option instead".into(),
                );
            }
        }
    }

    // Near-duplicate stems among items still served or being written.
    let candidates: Vec<(&ItemFile, HashSet<String>)> = items
        .iter()
        .filter(|i| i.question.status != ItemStatus::Retired)
        .map(|i| {
            let q = &i.question;
            let text = format!(
                "{} {}",
                q.lead(),
                q.parts.first().map_or("", |p| p.stem.as_str())
            );
            (i, shingles(&text))
        })
        .collect();
    for (i, (a, sa)) in candidates.iter().enumerate() {
        for (b, sb) in &candidates[i + 1..] {
            let sim = jaccard(sa, sb);
            if sim >= NEAR_DUPLICATE_THRESHOLD {
                report.stats.near_duplicates.push((
                    a.question.id.to_string(),
                    b.question.id.to_string(),
                    (sim * 1000.0).round() / 1000.0,
                ));
                warn(
                    &mut report,
                    &b.path,
                    None,
                    format!(
                        "near-duplicate stem: {} and {} are {:.0}% alike",
                        a.question.id,
                        b.question.id,
                        sim * 100.0
                    ),
                );
            }
        }
    }
    report
        .stats
        .near_duplicates
        .sort_by(|x, y| y.2.total_cmp(&x.2));

    // Per-exam figures, and the warnings they call for.
    for exam in exams {
        if let Some((stats, messages)) = figures::exam_figures(exam, items) {
            let file = format!("content/questions ({})", exam.code);
            for message in messages {
                warn(&mut report, &file, None, message);
            }
            report.stats.exams.insert(exam.code.to_string(), stats);
        }
    }
    report
}

/// Whether `text` refers to an option by its letter ("option B", "options A and C").
fn cites_letter(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|w| {
        // "options. A practical…" ends a sentence; only "option A" inside one counts.
        if !w[0].ends_with(|c: char| c.is_alphanumeric()) {
            return false;
        }
        let noun = w[0]
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        let letter = w[1].trim_matches(|c: char| !c.is_alphanumeric());
        matches!(noun.as_str(), "option" | "options" | "answer" | "choice")
            && letter.len() == 1
            && letter.chars().all(|c| ('A'..='F').contains(&c))
    })
}

fn first_body_line(text: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "+++")
        .map_or(1, |(i, _)| i + 2)
}

/// Tags used in the bank, for filters.
pub fn all_tags(items: &[Question]) -> BTreeSet<String> {
    items.iter().flat_map(|q| q.tags.iter().cloned()).collect()
}
