//! The item parser: TOML front matter between `+++` lines, then Markdown sections. Every error
//! names the file and the line, and one pass reports as many errors as it can.

use serde::Deserialize;
use time::Date;

use getmycert_core::{
    Choice, Difficulty, ExamCode, ItemStatus, Mapping, Part, PartKind, Prompt, Question,
    QuestionId, QuestionType,
};

use crate::error::{ContentError, line_of};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Front {
    id: String,
    #[serde(rename = "type")]
    kind: QuestionType,
    select: Option<usize>,
    difficulty: Difficulty,
    status: ItemStatus,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    verified: Option<toml::value::Datetime>,
    exams: Vec<FrontMapping>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMapping {
    exam: String,
    task: String,
}

/// A numbered line of the file.
type Line<'a> = (usize, &'a str);

struct Errors<'a> {
    file: &'a str,
    list: Vec<ContentError>,
}

impl Errors<'_> {
    fn at(&mut self, line: usize, message: impl Into<String>) {
        self.list
            .push(ContentError::new(self.file, Some(line), message));
    }
}

/// Parses one item file. `path` is used in messages and must end in `<id>.md`.
pub fn parse_item(path: &str, text: &str) -> Result<Question, Vec<ContentError>> {
    let mut errors = Errors {
        file: path,
        list: Vec::new(),
    };
    let lines: Vec<Line> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    if lines.first().map(|(_, l)| l.trim_end()) != Some("+++") {
        errors.at(
            1,
            "the file must start with a `+++` line opening the TOML front matter",
        );
        return Err(errors.list);
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|(_, l)| l.trim_end() == "+++")
    else {
        errors.at(1, "the front matter is not closed by a `+++` line");
        return Err(errors.list);
    };
    let close = close + 1;
    let front_text: String = lines[1..close]
        .iter()
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let front: Front = match toml::from_str(&front_text) {
        Ok(front) => front,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(&front_text, s.start) + 1);
            errors.at(line, format!("front matter: {}", e.message().trim()));
            return Err(errors.list);
        }
    };
    let front_line = |needle: &str| {
        lines[..close]
            .iter()
            .find(|(_, l)| l.trim_start().starts_with(needle))
            .map_or(1, |(n, _)| *n)
    };

    let id = match QuestionId::parse(&front.id) {
        Ok(id) => {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(path)
                .trim_end_matches(".md");
            if stem != id.as_str() {
                errors.at(
                    front_line("id"),
                    format!("id `{id}` must be the file name: rename the file to {id}.md"),
                );
            }
            Some(id)
        }
        Err(e) => {
            errors.at(front_line("id"), e.to_string());
            None
        }
    };
    let mut mappings = Vec::new();
    if front.exams.is_empty() {
        errors.at(
            front_line("id"),
            "map the item to at least one exam with [[exams]]",
        );
    }
    for m in &front.exams {
        let line = front_line(&format!("exam = \"{}\"", m.exam));
        let exam = ExamCode::parse(&m.exam)
            .map_err(|e| errors.at(line, e.to_string()))
            .ok();
        let task = m
            .task
            .split_once('.')
            .and_then(|(d, t)| Some((d.parse::<u8>().ok()?, t.parse::<u8>().ok()?)))
            .filter(|(d, t)| *d > 0 && *t > 0);
        if task.is_none() {
            errors.at(
                front_line(&format!("task = \"{}\"", m.task)),
                format!("task `{}` must be written like 3.2", m.task),
            );
        }
        if let (Some(exam), Some((domain, task))) = (exam, task) {
            mappings.push(Mapping { exam, domain, task });
        }
    }
    if !front.references.iter().any(|r| r.starts_with("https://")) {
        errors.at(
            front_line("references"),
            "add at least one https reference to official documentation",
        );
    }
    for reference in &front.references {
        if !reference.starts_with("https://") && !reference.starts_with("http://") {
            errors.at(
                front_line("references"),
                format!("reference `{reference}` is not a URL"),
            );
        }
    }
    let verified = front.verified.and_then(|d| match (d.date, d.time) {
        (Some(date), None) => time::Month::try_from(date.month)
            .ok()
            .and_then(|m| Date::from_calendar_date(i32::from(date.year), m, date.day).ok()),
        _ => None,
    });
    if front.verified.is_some() && verified.is_none() {
        errors.at(
            front_line("verified"),
            "verified must be a date such as 2026-11-26",
        );
    }

    let body = &lines[close + 1..];
    let (scenario, parts) = if front.kind == QuestionType::CaseStudy {
        if front.select.is_some() {
            errors.at(front_line("select"), "a case study sets `(select N)` on each sub-question heading, not in the front matter");
        }
        parse_case_study(body, &mut errors)
    } else {
        let end = body.last().map_or(close + 1, |(n, _)| *n);
        let part = parse_part(body, front.kind, front.select, end, 2, "", &mut errors);
        (None, part.into_iter().collect())
    };
    if front.kind != QuestionType::Multiple
        && front.kind != QuestionType::CaseStudy
        && front.select.is_some()
    {
        errors.at(
            front_line("select"),
            "`select` belongs to multiple-response items only",
        );
    }
    check_markdown(body, &mut errors);

    match id {
        Some(id) if errors.list.is_empty() => Ok(Question {
            id,
            kind: front.kind,
            mappings,
            difficulty: front.difficulty,
            status: front.status,
            tags: front.tags,
            references: front.references,
            verified,
            scenario,
            parts,
        }),
        _ => Err(errors.list),
    }
}

fn is_fence(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("```") || t.starts_with("~~~")
}

/// Splits `lines` at headings of `level` (outside code fences): the text before the first
/// heading, then (heading line, title, lines under it).
#[allow(clippy::type_complexity)]
fn sections<'a>(
    lines: &[Line<'a>],
    level: usize,
) -> (Vec<Line<'a>>, Vec<(usize, String, Vec<Line<'a>>)>) {
    let marker = format!("{} ", "#".repeat(level));
    let mut lead = Vec::new();
    let mut out: Vec<(usize, String, Vec<Line<'a>>)> = Vec::new();
    let mut fenced = false;
    for &(n, line) in lines {
        if is_fence(line) {
            fenced = !fenced;
        }
        if !fenced && line.starts_with(&marker) {
            out.push((n, line[marker.len()..].trim().to_owned(), Vec::new()));
            continue;
        }
        match out.last_mut() {
            Some((_, _, body)) => body.push((n, line)),
            None => lead.push((n, line)),
        }
    }
    (lead, out)
}

fn join(lines: &[Line]) -> String {
    lines
        .iter()
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_owned()
}

/// Parses the sections of one scored part. `level` is the heading level of its sections (2 for
/// an item, 3 inside a case-study question); `who` prefixes messages ("sub-question 2: ").
fn parse_part(
    lines: &[Line],
    kind: QuestionType,
    select: Option<usize>,
    end_line: usize,
    level: usize,
    who: &str,
    errors: &mut Errors,
) -> Option<Part> {
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
    if let Some((n, _, _)) = find("Explanation").filter(|_| explanation.is_empty()) {
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
        if entry.rationale.is_empty() {
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
            if n < 4 {
                errors.at(
                    *list_line,
                    format!("{who}a single-answer question needs at least 4 options; found {n}"),
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
            if n < 5 {
                errors.at(
                    *list_line,
                    format!(
                        "{who}a multiple-response question needs at least 5 options; found {n}"
                    ),
                );
            }
        }
        PartKind::Ordering => {
            if !(3..=5).contains(&n) {
                errors.at(
                    *list_line,
                    format!("{who}an ordering question has 3 to 5 steps; found {n}"),
                );
            }
        }
        PartKind::Matching => {}
    }

    let mut prompts = Vec::new();
    if kind == PartKind::Matching {
        let (prompt_line, _, prompt_body) = find("Prompts")?;
        let entries = parse_list(prompt_body, *prompt_line, who, errors);
        if !(3..=7).contains(&entries.len()) {
            errors.at(
                *prompt_line,
                format!(
                    "{who}a matching question has 3 to 7 prompts; found {}",
                    entries.len()
                ),
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

fn parse_case_study(body: &[Line], errors: &mut Errors) -> (Option<String>, Vec<Part>) {
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
        if let Some(part) = parse_part(lines, kind, select, end, 3, &who, errors) {
            parts.push(part);
        }
    }
    (Some(scenario).filter(|s| !s.is_empty()), parts)
}

/// Raw HTML and unsafe link schemes are refused: the sanitizer would drop or change them, so
/// what the author wrote would not be what the reader sees.
fn check_markdown(body: &[Line], errors: &mut Errors) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let text: String = body.iter().map(|(_, l)| format!("{l}\n")).collect();
    let first = body.first().map_or(1, |(n, _)| *n);
    let parser = Parser::new_ext(
        &text,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    for (event, range) in parser.into_offset_iter() {
        let line = first + line_of(&text, range.start) - 1;
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                let snippet: String = html.trim().chars().take(40).collect();
                errors.at(line, format!("raw HTML `{snippet}` would be altered by the sanitizer; write Markdown instead"));
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let url = dest_url.to_ascii_lowercase();
                if !(url.starts_with("https://")
                    || url.starts_with("http://")
                    || url.starts_with('#')
                    || url.starts_with('/'))
                {
                    errors.at(
                        line,
                        format!(
                            "link `{dest_url}` would be removed by the sanitizer; use an https URL"
                        ),
                    );
                }
            }
            _ => {}
        }
    }
}
