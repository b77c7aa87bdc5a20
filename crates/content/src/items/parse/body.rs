//! The Markdown body of an item: the sections of a scored part (options, steps, prompts with
//! their rationales, the explanation) and a case study's scenario and sub-questions.

use getmycert_core::{Choice, Part, PartKind, Prompt, QuestionType};

use super::{Errors, Line, is_fence, join, sections};

/// What a part is declared to be: its type, how many keys it selects, and whether the item is
/// a draft (drafts may lack rationales and an explanation, and may have fewer options).
#[derive(Debug, Clone, Copy)]
pub(super) struct Shape {
    pub kind: QuestionType,
    pub select: Option<usize>,
    pub draft: bool,
}

/// The fewest options (steps, prompts) a part of `kind` has: a servable item's rule, or the
/// least that still makes a question for a draft.
fn fewest(kind: PartKind, draft: bool) -> usize {
    match (kind, draft) {
        (PartKind::Single, false) => 4,
        (PartKind::Multiple, false) => 5,
        (PartKind::Ordering | PartKind::Matching, false) => 3,
        (PartKind::Multiple, true) => 3,
        (_, true) => 2,
    }
}

/// Parses the sections of one scored part. `level` is the heading level of its sections (2 for
/// an item, 3 inside a case-study question); `who` prefixes messages ("sub-question 2: ").
pub(super) fn parse_part(
    lines: &[Line],
    shape: Shape,
    end_line: usize,
    level: usize,
    who: &str,
    errors: &mut Errors,
) -> Option<Part> {
    let Shape {
        kind,
        select,
        draft,
    } = shape;
    let (lead, sections) = sections(lines, level);
    let stem = join(&lead);
    let first_line = lines.first().map_or(end_line, |(n, _)| *n);
    if stem.is_empty() {
        errors.at(
            first_line,
            format!("{who}the stem is empty: write the question before the first heading"),
        );
    }
    let kind = match kind {
        QuestionType::Single => PartKind::Single,
        QuestionType::Multiple => PartKind::Multiple,
        QuestionType::Ordering => PartKind::Ordering,
        QuestionType::Matching => PartKind::Matching,
        QuestionType::CaseStudy => return None,
    };
    let wanted: &[&str] = match kind {
        PartKind::Single | PartKind::Multiple => &["Options", "Explanation"],
        PartKind::Ordering => &["Steps", "Explanation"],
        PartKind::Matching => &["Prompts", "Options", "Explanation"],
    };
    let hashes = "#".repeat(level);
    for (n, title, _) in &sections {
        if !wanted.contains(&title.as_str()) {
            errors.at(
                *n,
                format!(
                    "{who}unexpected heading `{hashes} {title}`; this item type has {}",
                    wanted
                        .iter()
                        .map(|w| format!("`{hashes} {w}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let find = |title: &str| sections.iter().find(|(_, t, _)| t == title);
    let mut missing = false;
    for title in wanted {
        if find(title).is_none() {
            errors.at(
                end_line,
                format!("{who}missing the `{hashes} {title}` section"),
            );
            missing = true;
        }
    }
    let explanation = find("Explanation")
        .map(|(_, _, body)| join(body))
        .unwrap_or_default();
    if let Some((n, _, _)) = find("Explanation").filter(|_| explanation.is_empty() && !draft) {
        errors.at(*n, format!("{who}the explanation is empty"));
    }
    if missing {
        return None;
    }

    let list_title = if kind == PartKind::Ordering {
        "Steps"
    } else {
        "Options"
    };
    let (list_line, _, list_body) = find(list_title)?;
    let entries = parse_list(list_body, *list_line, who, errors);
    let before = errors.list.len();
    let mut options = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let expected = (b'A' + i as u8) as char;
        if entry.label != expected.to_string() {
            errors.at(
                entry.line,
                format!(
                    "{who}options are lettered A, B, C… in order: expected {expected}, found `{}`",
                    entry.label
                ),
            );
            continue;
        }
        let noun = if kind == PartKind::Ordering {
            "step"
        } else {
            "option"
        };
        if entry.rationale.is_empty() && !draft {
            errors.at(
                entry.line,
                format!("{who}{noun} {expected} has no rationale (add an indented `Why:` line)"),
            );
        }
        if entry.text.is_empty() {
            errors.at(entry.line, format!("{who}{noun} {expected} has no text"));
        }
        if entry.matches.is_some() {
            errors.at(
                entry.line,
                format!("{who}`Match:` belongs under a prompt, not under {noun} {expected}"),
            );
        }
        let correct = match (kind, entry.checkbox) {
            (PartKind::Single | PartKind::Multiple, Some(checked)) => checked,
            (PartKind::Single | PartKind::Multiple, None) => {
                errors.at(
                    entry.line,
                    format!("{who}option {expected} needs a `[ ]` or `[x]` marker"),
                );
                false
            }
            (_, Some(_)) => {
                errors.at(
                    entry.line,
                    format!("{who}{noun} {expected} takes no `[ ]`/`[x]` marker in this item type"),
                );
                false
            }
            (_, None) => false,
        };
        options.push(Choice {
            id: expected,
            text: entry.text.clone(),
            rationale: entry.rationale.clone(),
            correct,
        });
    }
    let keys = options.iter().filter(|o| o.correct).count();
    let n = options.len();
    match kind {
        PartKind::Single => {
            if keys != 1 {
                errors.at(
                    *list_line,
                    format!(
                        "{who}a single-answer question needs exactly one key `[x]`; found {keys}"
                    ),
                );
            }
            let least = fewest(kind, draft);
            if n < least {
                errors.at(
                    *list_line,
                    format!(
                        "{who}a single-answer question needs at least {least} options; found {n}"
                    ),
                );
            }
        }
        PartKind::Multiple => {
            match select {
                None => errors.at(*list_line, format!("{who}a multiple-response question must say how many to select (`select = N`)")),
                Some(s) if s < 2 => errors.at(*list_line, format!("{who}select must be at least 2; use a single-answer question for one key")),
                Some(s) if s != keys => errors.at(*list_line, format!("{who}select = {s} but {keys} option(s) are marked `[x]`")),
                Some(_) => {}
            }
            let least = fewest(kind, draft).max(select.unwrap_or(0) + 1);
            if n < least {
                errors.at(
                    *list_line,
                    format!(
                        "{who}a multiple-response question needs at least {least} options; found {n}"
                    ),
                );
            }
        }
        PartKind::Ordering => {
            let least = fewest(kind, draft);
            if n < least || (n > 5 && !draft) {
                errors.at(
                    *list_line,
                    format!("{who}an ordering question has {least} to 5 steps; found {n}"),
                );
            }
        }
        PartKind::Matching => {}
    }

    let mut prompts = Vec::new();
    if kind == PartKind::Matching {
        let (prompt_line, _, prompt_body) = find("Prompts")?;
        let entries = parse_list(prompt_body, *prompt_line, who, errors);
        let least = fewest(kind, draft);
        let n = entries.len();
        if n < least || (n > 7 && !draft) {
            errors.at(
                *prompt_line,
                format!("{who}a matching question has {least} to 7 prompts; found {n}"),
            );
        }
        for (i, entry) in entries.iter().enumerate() {
            let expected = i + 1;
            if entry.label != expected.to_string() {
                errors.at(entry.line, format!("{who}prompts are numbered 1, 2, 3… in order: expected {expected}, found `{}`", entry.label));
                continue;
            }
            if entry.checkbox.is_some() || !entry.rationale.is_empty() {
                errors.at(
                    entry.line,
                    format!("{who}prompt {expected} takes only text and a `Match:` line"),
                );
            }
            let answer = match entry.matches.as_deref() {
                None => {
                    errors.at(
                        entry.line,
                        format!("{who}prompt {expected} has no `Match:` line naming its option"),
                    );
                    continue;
                }
                Some(m) => m,
            };
            match answer
                .chars()
                .next()
                .filter(|c| answer.len() == 1 && options.iter().any(|o| o.id == *c))
            {
                Some(letter) => prompts.push(Prompt {
                    id: expected as u8,
                    text: entry.text.clone(),
                    answer: letter,
                }),
                None => errors.at(
                    entry.line,
                    format!(
                        "{who}prompt {expected} matches `{answer}`, which is not an option letter"
                    ),
                ),
            }
        }
    }
    if errors.list.len() > before {
        return None;
    }
    Some(Part {
        kind,
        stem,
        options,
        prompts,
        explanation,
    })
}

/// One list entry: `- [x] B. text` / `- B. text` / `- 2. text`, then indented lines.
#[derive(Debug)]
struct Entry {
    line: usize,
    checkbox: Option<bool>,
    label: String,
    text: String,
    rationale: String,
    matches: Option<String>,
}

fn parse_list(lines: &[Line], heading_line: usize, who: &str, errors: &mut Errors) -> Vec<Entry> {
    #[derive(PartialEq)]
    enum Field {
        Text,
        Why,
    }
    let mut entries: Vec<Entry> = Vec::new();
    let mut field = Field::Text;
    let mut fenced = false;
    let mut text_lines: Vec<Vec<String>> = Vec::new();
    let mut why_lines: Vec<Vec<String>> = Vec::new();
    for &(n, line) in lines {
        if let Some(rest) = line.strip_prefix("- ").filter(|_| !fenced) {
            let (checkbox, rest) = if let Some(r) = rest.strip_prefix("[ ] ") {
                (Some(false), r)
            } else if let Some(r) = rest
                .strip_prefix("[x] ")
                .or_else(|| rest.strip_prefix("[X] "))
            {
                (Some(true), r)
            } else {
                (None, rest)
            };
            let Some((label, text)) = rest
                .split_once(". ")
                .or_else(|| rest.strip_suffix('.').map(|l| (l, "")))
            else {
                errors.at(n, format!("{who}a list entry starts `- A. text` (options, steps) or `- 1. text` (prompts)"));
                continue;
            };
            entries.push(Entry {
                line: n,
                checkbox,
                label: label.trim().to_owned(),
                text: String::new(),
                rationale: String::new(),
                matches: None,
            });
            text_lines.push(vec![text.to_owned()]);
            why_lines.push(Vec::new());
            field = Field::Text;
            continue;
        }
        if line.trim().is_empty() {
            if let (Some(t), Some(w)) = (text_lines.last_mut(), why_lines.last_mut()) {
                match field {
                    Field::Text => t.push(String::new()),
                    Field::Why => w.push(String::new()),
                }
            }
            continue;
        }
        let Some(content) = line.strip_prefix("  ") else {
            errors.at(n, format!("{who}unexpected text in the list; continue an entry on lines indented by two spaces"));
            continue;
        };
        if entries.is_empty() {
            errors.at(n, format!("{who}text before the first list entry"));
            continue;
        }
        if is_fence(content) {
            fenced = !fenced;
        }
        if !fenced {
            if let Some(rest) = content.strip_prefix("Why:") {
                field = Field::Why;
                if let Some(w) = why_lines.last_mut() {
                    w.push(rest.trim().to_owned());
                }
                continue;
            }
            if let Some(rest) = content.strip_prefix("Match:") {
                if let Some(entry) = entries.last_mut() {
                    entry.matches = Some(rest.trim().to_owned());
                }
                continue;
            }
        }
        match field {
            Field::Text => text_lines.last_mut().map(|t| t.push(content.to_owned())),
            Field::Why => why_lines.last_mut().map(|w| w.push(content.to_owned())),
        };
    }
    if entries.is_empty() {
        errors.at(heading_line, format!("{who}the list is empty"));
    }
    for ((entry, text), why) in entries.iter_mut().zip(text_lines).zip(why_lines) {
        entry.text = text.join("\n").trim().to_owned();
        entry.rationale = why.join("\n").trim().to_owned();
    }
    entries
}

pub(super) fn parse_case_study(
    body: &[Line],
    draft: bool,
    errors: &mut Errors,
) -> (Option<String>, Vec<Part>) {
    let (lead, questions) = sections(body, 2);
    let scenario = join(&lead);
    let first = body.first().map_or(1, |(n, _)| *n);
    if scenario.is_empty() {
        errors.at(
            first,
            "a case study starts with its scenario before the first `## Question` heading",
        );
    }
    if !(2..=4).contains(&questions.len()) {
        let line = questions.first().map_or(first, |(n, _, _)| *n);
        errors.at(
            line,
            format!(
                "a case study has 2 to 4 sub-questions (`## Question N`); found {}",
                questions.len()
            ),
        );
    }
    let mut parts = Vec::new();
    for (i, (n, title, lines)) in questions.iter().enumerate() {
        let number = i + 1;
        let who = format!("sub-question {number}: ");
        let rest = title.strip_prefix("Question ").map(str::trim);
        let (label, select) = match rest.map(|r| {
            r.split_once('(')
                .map_or((r, None), |(l, s)| (l.trim(), Some(s)))
        }) {
            Some((label, select)) => (label, select),
            None => {
                errors.at(
                    *n,
                    format!("expected `## Question {number}`, found `## {title}`"),
                );
                continue;
            }
        };
        if label != number.to_string() {
            errors.at(
                *n,
                format!("sub-questions are numbered in order: expected `## Question {number}`"),
            );
        }
        let (kind, select) = match select {
            None => (QuestionType::Single, None),
            Some(s) => match s
                .trim_end_matches(')')
                .trim()
                .strip_prefix("select ")
                .and_then(|k| k.trim().parse::<usize>().ok())
            {
                Some(k) => (QuestionType::Multiple, Some(k)),
                None => {
                    errors.at(*n, format!("{who}write `(select N)` after the heading for a multiple-response sub-question"));
                    continue;
                }
            },
        };
        let end = lines.last().map_or(*n, |(l, _)| *l);
        let shape = Shape {
            kind,
            select,
            draft,
        };
        if let Some(part) = parse_part(lines, shape, end, 3, &who, errors) {
            parts.push(part);
        }
    }
    (Some(scenario).filter(|s| !s.is_empty()), parts)
}
