//! The item parser: TOML front matter between `+++` lines, then Markdown sections. Every error
//! names the file and the line, and one pass reports as many errors as it can.

use serde::Deserialize;
use time::Date;

use getmycert_core::{
    Difficulty, ExamCode, ItemStatus, Mapping, Question, QuestionId, QuestionType,
};

use crate::error::{ContentError, line_of};

mod body;

use body::{parse_case_study, parse_part};

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
    // A draft is being written (an import, say): it must be well formed, but the rules of a
    // servable item (a reference, a rationale for every option, enough options) wait until it
    // leaves draft.
    let draft = front.status == ItemStatus::Draft;
    if !draft && !front.references.iter().any(|r| r.starts_with("https://")) {
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
        parse_case_study(body, draft, &mut errors)
    } else {
        let end = body.last().map_or(close + 1, |(n, _)| *n);
        let shape = body::Shape {
            kind: front.kind,
            select: front.select,
            draft,
        };
        let part = parse_part(body, shape, end, 2, "", &mut errors);
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
