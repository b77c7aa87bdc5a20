//! Bank-wide checks and figures: errors that make a bank unusable (duplicate ids, mappings to
//! exams, domains or tasks the catalog lacks) and warnings with figures that an author should
//! act on (near-duplicate stems, key positions, longest keys, blueprint shares, empty tasks,
//! short stems). Counts are of live items unless named.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde::Serialize;

use getmycert_core::{Difficulty, Exam, ExamCode, ItemStatus, PartKind, Question, QuestionType};

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
/// Allowed distance of a domain's share of live items from its weight, in percentage points.
pub const DOMAIN_SHARE_TOLERANCE: f64 = 2.0;

/// Figures for one exam (the `content stats` JSON).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ExamStats {
    pub live: usize,
    pub pilot: usize,
    pub draft: usize,
    pub domains: BTreeMap<String, usize>,
    pub tasks: BTreeMap<String, usize>,
    pub types: BTreeMap<String, usize>,
    pub difficulty: BTreeMap<String, usize>,
    /// Share of single/multiple parts whose key (a key) is the strictly longest option.
    pub key_longest_rate: f64,
    /// The same rate if keys were placed at random: keys / options, averaged.
    pub key_longest_chance: f64,
    pub key_positions: BTreeMap<String, usize>,
}

/// Figures for the whole bank.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Stats {
    pub exams: BTreeMap<String, ExamStats>,
    /// `[id, id, similarity]`, most similar first.
    pub near_duplicates: Vec<(String, String, f64)>,
}

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

fn pct(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
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

    // Per-exam figures.
    for exam in exams {
        let mapped: Vec<&ItemFile> = items
            .iter()
            .filter(|i| i.question.mapping_for(&exam.code).is_some())
            .collect();
        if mapped.is_empty() {
            continue;
        }
        let mut stats = ExamStats::default();
        for domain in &exam.domains {
            stats.domains.insert(domain.number.to_string(), 0);
            for (label, _) in domain.numbered_tasks() {
                stats.tasks.insert(label, 0);
            }
        }
        for kind in QuestionType::ALL {
            stats.types.insert(kind.as_str().into(), 0);
        }
        for d in Difficulty::ALL {
            stats.difficulty.insert(d.as_str().into(), 0);
        }
        let (mut longest, mut chance, mut choice_parts) = (0usize, 0.0f64, 0usize);
        let mut expected_positions: BTreeMap<char, f64> = BTreeMap::new();
        for item in &mapped {
            let q = &item.question;
            match q.status {
                ItemStatus::Live => stats.live += 1,
                ItemStatus::Pilot => stats.pilot += 1,
                ItemStatus::Draft => stats.draft += 1,
                ItemStatus::Retired => {}
            }
            if q.status != ItemStatus::Live {
                continue;
            }
            let Some(m) = q.mapping_for(&exam.code) else {
                continue;
            };
            *stats.domains.entry(m.domain.to_string()).or_default() += 1;
            *stats.tasks.entry(m.task_label()).or_default() += 1;
            *stats.types.entry(q.kind.as_str().into()).or_default() += 1;
            *stats
                .difficulty
                .entry(q.difficulty.as_str().into())
                .or_default() += 1;
            for part in q
                .parts
                .iter()
                .filter(|p| matches!(p.kind, PartKind::Single | PartKind::Multiple))
            {
                choice_parts += 1;
                let keys = part.keys();
                let n = part.options.len();
                for key in &keys {
                    *stats.key_positions.entry(key.to_string()).or_default() += 1;
                }
                for o in &part.options {
                    *expected_positions.entry(o.id).or_default() += keys.len() as f64 / n as f64;
                }
                chance += keys.len() as f64 / n as f64;
                let max_len = part
                    .options
                    .iter()
                    .map(|o| o.text.chars().count())
                    .max()
                    .unwrap_or(0);
                let at_max: Vec<_> = part
                    .options
                    .iter()
                    .filter(|o| o.text.chars().count() == max_len)
                    .collect();
                if at_max.len() == 1 && at_max[0].correct {
                    longest += 1;
                }
            }
        }
        if choice_parts > 0 {
            stats.key_longest_rate =
                (longest as f64 / choice_parts as f64 * 1000.0).round() / 1000.0;
            stats.key_longest_chance = (chance / choice_parts as f64 * 1000.0).round() / 1000.0;
        }
        let file = format!("content/questions ({})", exam.code);
        // Blueprint warnings count the items written for this exam: those whose first mapping
        // is this exam. Items mapped here as a second exam add coverage but are not expected
        // to follow this exam's weights.
        let mut primary_tasks: BTreeMap<String, usize> =
            stats.tasks.keys().map(|t| (t.clone(), 0)).collect();
        let mut primary_domains: BTreeMap<String, usize> =
            stats.domains.keys().map(|d| (d.clone(), 0)).collect();
        let mut primary_live = 0;
        for item in &mapped {
            let q = &item.question;
            match q.mappings.first() {
                Some(m) if q.status == ItemStatus::Live && m.exam == exam.code => {
                    primary_live += 1;
                    *primary_domains.entry(m.domain.to_string()).or_default() += 1;
                    *primary_tasks.entry(m.task_label()).or_default() += 1;
                }
                _ => {}
            }
        }
        if primary_live > 0 {
            for domain in &exam.domains {
                let n = primary_domains
                    .get(&domain.number.to_string())
                    .copied()
                    .unwrap_or(0);
                let share = pct(n, primary_live);
                if (share - f64::from(domain.weight)).abs() > DOMAIN_SHARE_TOLERANCE {
                    warn(
                        &mut report,
                        &file,
                        None,
                        format!(
                            "domain {} has {n} of {} live items ({share:.1}%) against a weight of {}%",
                            domain.number, primary_live, domain.weight
                        ),
                    );
                }
            }
            let empty: Vec<&String> = primary_tasks
                .iter()
                .filter(|(_, n)| **n == 0)
                .map(|(t, _)| t)
                .collect();
            if !empty.is_empty() {
                warn(
                    &mut report,
                    &file,
                    None,
                    format!(
                        "{} task statement(s) have no live items: {}",
                        empty.len(),
                        empty
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        if choice_parts >= 10 && stats.key_longest_rate > stats.key_longest_chance + 0.10 {
            warn(
                &mut report,
                &file,
                None,
                format!(
                    "the key is the longest option in {:.0}% of {choice_parts} single/multiple questions (chance: {:.0}%); lengthen the distractors",
                    stats.key_longest_rate * 100.0,
                    stats.key_longest_chance * 100.0
                ),
            );
        }
        let total_keys: usize = stats.key_positions.values().sum();
        if total_keys >= 20 {
            for (letter, expected) in &expected_positions {
                let observed = stats
                    .key_positions
                    .get(&letter.to_string())
                    .copied()
                    .unwrap_or(0) as f64;
                if (observed - expected).abs() > 2.0 * expected.sqrt() + 1.0 {
                    warn(
                        &mut report,
                        &file,
                        None,
                        format!(
                            "key position {letter} is used {observed:.0} times where balance would give about {expected:.0}"
                        ),
                    );
                }
            }
        }
        report.stats.exams.insert(exam.code.to_string(), stats);
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
