//! Reading Moodle XML. The file is read with quick-xml's streaming reader into a small element
//! tree (each element knows its line), then each `<question>` is interpreted the way Moodle's
//! `qformat_xml` does: missing optional elements take Moodle's defaults, blank answers are
//! skipped, and a text's `format` defaults to the question text's format.

use getmycert_core::{Choice, Part, PartKind, Prompt};
use pulldown_cmark::{Event as MdEvent, Options, Parser};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::{Draft, ImportError, Location, Parsed, Unsupported, letter, text};

/// Moodle XML is about six levels deep; a limit keeps hostile nesting from exhausting the stack
/// when the tree is dropped.
const MAX_DEPTH: usize = 64;

/// Our option letters run from A to Z.
const MAX_OPTIONS: usize = 26;

/// Reads a Moodle XML file: drafts of the questions we can hold, and the others as
/// [`Unsupported`]. A file that is not well-formed, or a question without what its type needs
/// (a right answer, a matching pair, a question text), is an [`ImportError`] with its line.
pub fn parse(text: &str) -> Result<Parsed, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let quiz = read_tree(text)?;
    if quiz.name != "quiz" {
        return Err(ImportError::new(
            Location::line(quiz.line),
            format!(
                "the root element is <{}>; a Moodle XML file is a <quiz> of <question> elements",
                quiz.name
            ),
        ));
    }
    let mut parsed = Parsed::default();
    let mut category = None;
    for question in quiz.children.iter().filter(|e| e.name == "question") {
        let Some(kind) = question.attribute("type").map(str::trim) else {
            return Err(question.error("a <question> without a type attribute"));
        };
        let read = match kind {
            "category" => {
                category = category_path(question);
                continue;
            }
            "multichoice" => multichoice(question)?,
            "truefalse" => true_false(question)?,
            "matching" | "match" => matching(question)?,
            "ordering" => ordering(question)?,
            other => Read::Unsupported(other.to_owned()),
        };
        match read {
            Read::Draft(header, part) => parsed.drafts.push(Draft {
                location: Location::line(question.line),
                title: header.title,
                category: category.clone(),
                tags: header.tags,
                scenario: None,
                parts: vec![part],
            }),
            Read::Unsupported(kind) => parsed.unsupported.push(Unsupported {
                location: Location::line(question.line),
                kind,
                title: title(question),
            }),
        }
    }
    Ok(parsed)
}

/// What one question became.
enum Read {
    Draft(Header, Part),
    /// The kind to report: the type, with why when the type itself is one we read.
    Unsupported(String),
}

/// An element of the file with the text directly inside it (CDATA and entities resolved).
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
    line: usize,
}

impl Element {
    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed `<text>` inside this element (empty when there is none).
    fn text_child(&self) -> &str {
        self.child("text").map_or("", |t| t.text.trim())
    }

    /// The trimmed `<text>` of the child `name`, as in `<name><text>…</text></name>`.
    fn text_of(&self, name: &str) -> Option<&str> {
        self.child(name).map(Element::text_child)
    }

    fn error(&self, message: impl Into<String>) -> ImportError {
        ImportError::new(Location::line(self.line), message)
    }
}

/// Byte offsets → 1-based lines.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self(starts)
    }

    fn line(&self, offset: u64) -> usize {
        let offset = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|start| *start <= offset).max(1)
    }
}

fn read_tree(text: &str) -> Result<Element, ImportError> {
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let offset = reader.buffer_position();
        let at = |offset: u64| Location::line(lines.line(offset));
        let event = reader.read_event().map_err(|e| {
            ImportError::new(
                at(reader.error_position()),
                format!("the file is not well-formed XML: {e}"),
            )
        })?;
        let closed = match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(ImportError::new(
                        at(offset),
                        format!("elements are nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                stack.push(open(&start, lines.line(offset))?);
                None
            }
            Event::Empty(start) => Some(open(&start, lines.line(offset))?),
            Event::End(_) => stack.pop(),
            Event::Text(t) => {
                push_text(&mut stack, &t.xml10_content(), at(offset))?;
                None
            }
            Event::CData(c) => {
                push_text(&mut stack, &c.xml10_content(), at(offset))?;
                None
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => match resolve_predefined_entity(&r) {
                        Some(s) => s.to_owned(),
                        None => {
                            return Err(ImportError::new(
                                at(offset),
                                format!(
                                    "unknown entity `&{};` (XML knows only &lt; &gt; &amp; \
                                     &quot; &apos;; put HTML in CDATA)",
                                    &*r
                                ),
                            ));
                        }
                    },
                    Err(e) => return Err(ImportError::new(at(offset), e.to_string())),
                };
                push_text(&mut stack, &resolved, at(offset))?;
                None
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => None,
        };
        if let Some(element) = closed {
            if let Some(parent) = stack.last_mut() {
                parent.children.push(element);
            } else if root.is_none() {
                root = Some(element);
            } else {
                return Err(element.error(format!(
                    "a second root element <{}>: the file must hold one <quiz>",
                    element.name
                )));
            }
        }
    }
    if let Some(open) = stack.last() {
        return Err(open.error(format!("<{}> is never closed", open.name)));
    }
    root.ok_or_else(|| {
        ImportError::new(
            Location::line(1),
            "the file holds no XML element; a Moodle XML file is a <quiz> of <question> elements",
        )
    })
}

fn open(start: &BytesStart<'_>, line: usize) -> Result<Element, ImportError> {
    let name = start.name().into_inner().to_owned();
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| {
            ImportError::new(
                Location::line(line),
                format!("bad attribute in <{name}>: {e}"),
            )
        })?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| {
                ImportError::new(
                    Location::line(line),
                    format!("bad attribute value in <{name}>: {e}"),
                )
            })?;
        attributes.push((attribute.key.into_inner().to_owned(), value.into_owned()));
    }
    Ok(Element {
        name,
        attributes,
        line,
        ..Element::default()
    })
}

fn push_text(stack: &mut [Element], text: &str, at: Location) -> Result<(), ImportError> {
    match stack.last_mut() {
        Some(element) => element.text.push_str(text),
        None if text.trim().is_empty() => {}
        None => {
            return Err(ImportError::new(
                at,
                "text outside the <quiz> element".to_owned(),
            ));
        }
    }
    Ok(())
}

/// The question's name in the file, for reports.
fn title(question: &Element) -> Option<String> {
    [
        question.text_of("name"),
        question.child("idnumber").map(|e| e.text.trim()),
    ]
    .into_iter()
    .flatten()
    .find(|t| !t.is_empty())
    .map(str::to_owned)
}

/// A category record's path without Moodle's context prefix (`$course$/`, `$system$/`, …) and
/// the `top` level Moodle 3.5+ writes.
fn category_path(record: &Element) -> Option<String> {
    let category = record.child("category")?;
    let raw = match category.child("text") {
        Some(text) => text.text.trim(),
        None => category.text.trim(),
    };
    let mut path = raw;
    if let Some((first, rest)) = path.split_once('/')
        && first.len() > 1
        && first.starts_with('$')
        && first.ends_with('$')
    {
        path = rest;
    }
    if path == "top" {
        path = "";
    } else if let Some(rest) = path.strip_prefix("top/") {
        path = rest;
    }
    let path = path.trim();
    (!path.is_empty()).then(|| path.to_owned())
}

/// How a Moodle text field is written (`format` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFormat {
    Html,
    MoodleAuto,
    Plain,
    Markdown,
}

impl TextFormat {
    /// Moodle's `trans_format`: unknown names are taken as HTML.
    fn parse(name: &str) -> Self {
        match name.trim() {
            "moodle_auto_format" => TextFormat::MoodleAuto,
            "plain_text" | "wiki_like" => TextFormat::Plain,
            "markdown" => TextFormat::Markdown,
            _ => TextFormat::Html,
        }
    }

    fn of(element: &Element, default: TextFormat) -> Self {
        element
            .attribute("format")
            .map_or(default, TextFormat::parse)
    }
}

/// The `<text>` of a field element as Markdown, read in the field's format.
fn field(element: &Element, default: TextFormat) -> String {
    to_markdown(element.text_child(), TextFormat::of(element, default))
}

fn to_markdown(raw: &str, format: TextFormat) -> String {
    let raw = raw.trim();
    match format {
        TextFormat::Html => text::html_to_markdown(raw),
        TextFormat::MoodleAuto if looks_like_html(raw) => text::html_to_markdown(raw),
        TextFormat::MoodleAuto | TextFormat::Plain => text::plain_to_markdown(raw),
        TextFormat::Markdown if has_raw_html(raw) => {
            text::html_to_markdown(&text::markdown_to_html(raw))
        }
        TextFormat::Markdown => raw.to_owned(),
    }
}

/// A matching answer: plain text in Moodle, but Markdown in our own exports, so it is kept as
/// written and only a `<` that Markdown would read as raw HTML is escaped (no markup gets in,
/// and our `**bold**` answers come back as they went out).
fn answer_markdown(raw: &str) -> String {
    if has_raw_html(raw) {
        raw.replace('<', "\\<")
    } else {
        raw.to_owned()
    }
}

fn has_raw_html(markdown: &str) -> bool {
    Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .any(|e| matches!(e, MdEvent::Html(_) | MdEvent::InlineHtml(_)))
}

/// Moodle auto-format is plain text that may hold HTML; markup means HTML.
fn looks_like_html(raw: &str) -> bool {
    raw.as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
}

/// The parts every question type shares.
struct Header {
    title: Option<String>,
    stem: String,
    /// The question text's format, the default of the other texts.
    format: TextFormat,
    explanation: String,
    tags: Vec<String>,
}

/// The kind to report for a question of a type we read but cannot hold as it is.
fn unsupported(kind: &str, why: &str) -> String {
    format!("{kind} ({why})")
}

fn header(question: &Element, kind: &str) -> Result<Result<Header, String>, ImportError> {
    let title = title(question);
    let named = || described(kind, title.as_deref());
    let Some(text) = question.child("questiontext") else {
        return Err(question.error(format!("{} has no <questiontext>", named())));
    };
    if text.text_child().is_empty() {
        return Err(question.error(format!("{} has an empty question text", named())));
    }
    let format = TextFormat::of(text, TextFormat::Html);
    let stem = field(text, TextFormat::Html);
    if stem.is_empty() {
        return Ok(Err(unsupported(
            kind,
            "a question text with no words, only media",
        )));
    }
    let explanation = question
        .child("generalfeedback")
        .map_or_else(String::new, |f| field(f, format));
    let tags = question
        .child("tags")
        .map(|tags| {
            tags.children_named("tag")
                .map(Element::text_child)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Ok(Header {
        title,
        stem,
        format,
        explanation,
        tags,
    }))
}

/// One `<answer>` of a multichoice, truefalse or ordering question.
struct Answer {
    line: usize,
    raw: String,
    text: String,
    fraction: f64,
    rationale: String,
}

fn answers(
    question: &Element,
    text_default: TextFormat,
    feedback_default: TextFormat,
) -> Result<Vec<Answer>, ImportError> {
    let mut answers = Vec::new();
    for answer in question.children_named("answer") {
        let raw = answer.text_child();
        let fraction = match answer.attribute("fraction").map(str::trim) {
            None | Some("") => 0.0,
            Some(value) => value
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .ok_or_else(|| {
                    answer.error(format!("the answer's fraction `{value}` is not a number"))
                })?,
        };
        let rationale = answer
            .child("feedback")
            .map_or_else(String::new, |f| field(f, feedback_default));
        answers.push(Answer {
            line: answer.line,
            raw: raw.to_owned(),
            text: to_markdown(raw, TextFormat::of(answer, text_default)),
            fraction,
            rationale,
        });
    }
    Ok(answers)
}

fn choice(index: usize, text: String, rationale: String, correct: bool) -> Choice {
    Choice {
        id: letter(index),
        text,
        rationale,
        correct,
    }
}

/// Moodle keeps answers whose text is blank out of the question; one whose text is only an
/// image has nothing we can show.
fn kept_answers(answers: Vec<Answer>, kind: &str) -> Result<Vec<Answer>, String> {
    let answers: Vec<Answer> = answers.into_iter().filter(|a| !a.raw.is_empty()).collect();
    if answers.iter().any(|a| a.text.is_empty()) {
        return Err(unsupported(kind, "an answer with no words, only media"));
    }
    if answers.len() > MAX_OPTIONS {
        return Err(unsupported(kind, "more than 26 answers"));
    }
    Ok(answers)
}

fn multichoice(question: &Element) -> Result<Read, ImportError> {
    const KIND: &str = "multichoice";
    let header = match header(question, KIND)? {
        Ok(h) => h,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    // Moodle's trans_single: "false" or empty is multiple response; the default is single.
    let single = question
        .child("single")
        .is_none_or(|s| !matches!(s.text.trim(), "" | "false" | "0"));
    let answers = answers(question, header.format, header.format)?;
    if answers.iter().all(|a| a.raw.is_empty()) {
        return Err(question.error(format!("{} has no answers", describe(KIND, &header))));
    }
    let answers = match kept_answers(answers, KIND) {
        Ok(a) => a,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    // A single-answer question's key is its full-marks answer; partial credit is not a key.
    let correct: Vec<bool> = answers
        .iter()
        .map(|a| {
            if single {
                a.fraction >= 99.999
            } else {
                a.fraction > 0.0
            }
        })
        .collect();
    let keys = correct.iter().filter(|c| **c).count();
    if keys == 0 {
        let rule = if single {
            "no answer has fraction 100"
        } else {
            "no answer has a positive fraction"
        };
        return Err(question.error(format!(
            "{} has no right answer: {rule}",
            describe(KIND, &header)
        )));
    }
    if single && keys > 1 {
        return Ok(Read::Unsupported(unsupported(
            KIND,
            "a single-answer question with several answers at 100%",
        )));
    }
    let kind = if keys == 1 {
        PartKind::Single
    } else {
        PartKind::Multiple
    };
    let options = answers
        .into_iter()
        .zip(correct)
        .enumerate()
        .map(|(i, (a, correct))| choice(i, a.text, a.rationale, correct))
        .collect();
    Ok(draft(header, kind, options, Vec::new()))
}

fn true_false(question: &Element) -> Result<Read, ImportError> {
    const KIND: &str = "truefalse";
    let header = match header(question, KIND)? {
        Ok(h) => h,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    let mut truth: [Option<(f64, String)>; 2] = [None, None];
    for (position, answer) in answers(question, TextFormat::Plain, header.format)?
        .into_iter()
        .enumerate()
    {
        // Old exports wrote localised words; Moodle then takes true first, false second.
        let slot = match answer.raw.to_ascii_lowercase().as_str() {
            "true" => 0,
            "false" => 1,
            _ if position < 2 => position,
            _ => {
                return Err(ImportError::new(
                    Location::line(answer.line),
                    format!(
                        "{} has a third answer `{}`",
                        describe(KIND, &header),
                        answer.raw
                    ),
                ));
            }
        };
        if let Some(s) = truth.get_mut(slot) {
            *s = Some((answer.fraction, answer.rationale));
        }
    }
    let full = |slot: &Option<(f64, String)>| slot.as_ref().is_some_and(|(f, _)| *f >= 99.999);
    let [yes, no] = truth;
    if full(&yes) == full(&no) {
        return Err(question.error(format!(
            "{} needs exactly one of its answers `true` and `false` at fraction 100",
            describe(KIND, &header)
        )));
    }
    let true_is_right = full(&yes);
    let rationale = |slot: Option<(f64, String)>| slot.map(|(_, r)| r).unwrap_or_default();
    let options = vec![
        choice(0, "True".to_owned(), rationale(yes), true_is_right),
        choice(1, "False".to_owned(), rationale(no), !true_is_right),
    ];
    Ok(draft(header, PartKind::Single, options, Vec::new()))
}

fn matching(question: &Element) -> Result<Read, ImportError> {
    const KIND: &str = "matching";
    let header = match header(question, KIND)? {
        Ok(h) => h,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    // Moodle matches answers by their exact text: equal texts are one choice.
    let mut answers: Vec<(String, String)> = Vec::new();
    let mut pairs: Vec<(String, usize)> = Vec::new();
    for sub in question.children_named("subquestion") {
        let prompt_raw = sub.text_child();
        let answer_raw = sub.text_of("answer").unwrap_or("");
        if answer_raw.is_empty() {
            if prompt_raw.is_empty() {
                continue;
            }
            return Err(sub.error(format!(
                "{}: the subquestion has no answer",
                describe(KIND, &header)
            )));
        }
        let answer = answer_markdown(answer_raw);
        // Moodle ignores feedback beside a matching answer; our exports put the rationale there.
        let rationale = sub
            .child("answer")
            .and_then(|a| a.child("feedback"))
            .map_or_else(String::new, |f| field(f, header.format));
        let index = match answers.iter().position(|(a, _)| *a == answer) {
            Some(i) => i,
            None => {
                answers.push((answer, String::new()));
                answers.len() - 1
            }
        };
        if let Some((_, kept)) = answers.get_mut(index)
            && kept.is_empty()
        {
            *kept = rationale;
        }
        if !prompt_raw.is_empty() {
            let prompt = field(sub, header.format);
            if prompt.is_empty() {
                return Ok(Read::Unsupported(unsupported(
                    KIND,
                    "a subquestion with no words, only media",
                )));
            }
            pairs.push((prompt, index));
        }
    }
    if pairs.is_empty() {
        return Err(question.error(format!(
            "{} has no subquestion with both a text and an answer",
            describe(KIND, &header)
        )));
    }
    if answers.len() > MAX_OPTIONS {
        return Ok(Read::Unsupported(unsupported(
            KIND,
            "more than 26 different answers",
        )));
    }
    let mut prompts = Vec::new();
    for (n, (text, index)) in pairs.into_iter().enumerate() {
        let Ok(id) = u8::try_from(n + 1) else {
            return Ok(Read::Unsupported(unsupported(
                KIND,
                "more than 255 subquestions",
            )));
        };
        prompts.push(Prompt {
            id,
            text,
            answer: letter(index),
        });
    }
    let options = answers
        .into_iter()
        .enumerate()
        .map(|(i, (text, rationale))| choice(i, text, rationale, false))
        .collect();
    Ok(draft(header, PartKind::Matching, options, prompts))
}

fn ordering(question: &Element) -> Result<Read, ImportError> {
    const KIND: &str = "ordering";
    let header = match header(question, KIND)? {
        Ok(h) => h,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    // qtype_ordering reads answers in file order (their fraction is reset to the position) and
    // takes moodle_auto_format for answers without a format.
    let answers = answers(question, TextFormat::MoodleAuto, header.format)?;
    let answers = match kept_answers(answers, KIND) {
        Ok(a) => a,
        Err(kind) => return Ok(Read::Unsupported(kind)),
    };
    if answers.is_empty() {
        return Err(question.error(format!("{} has no items", describe(KIND, &header))));
    }
    let options = answers
        .into_iter()
        .enumerate()
        .map(|(i, a)| choice(i, a.text, a.rationale, false))
        .collect();
    Ok(draft(header, PartKind::Ordering, options, Vec::new()))
}

fn describe(kind: &str, header: &Header) -> String {
    described(kind, header.title.as_deref())
}

/// "multichoice question `Name`", for messages.
fn described(kind: &str, title: Option<&str>) -> String {
    match title {
        Some(t) => format!("{kind} question `{t}`"),
        None => format!("{kind} question"),
    }
}

fn draft(mut header: Header, kind: PartKind, options: Vec<Choice>, prompts: Vec<Prompt>) -> Read {
    let part = Part {
        kind,
        stem: std::mem::take(&mut header.stem),
        options,
        prompts,
        explanation: std::mem::take(&mut header.explanation),
    };
    Read::Draft(header, part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let lines = Lines::new("a\nb\n\nc");
        assert_eq!(lines.line(0), 1);
        assert_eq!(lines.line(2), 2);
        assert_eq!(lines.line(4), 3);
        assert_eq!(lines.line(5), 4);
        assert_eq!(lines.line(500), 4);
    }

    #[test]
    fn category_paths_lose_the_context_and_top() {
        let record = |path: &str| Element {
            name: "question".into(),
            children: vec![Element {
                name: "category".into(),
                children: vec![Element {
                    name: "text".into(),
                    text: path.into(),
                    ..Element::default()
                }],
                ..Element::default()
            }],
            ..Element::default()
        };
        assert_eq!(
            category_path(&record("$course$/top/AIF-C01/Domain 1/1.2")).as_deref(),
            Some("AIF-C01/Domain 1/1.2")
        );
        assert_eq!(
            category_path(&record("$course$/Default for X")).as_deref(),
            Some("Default for X")
        );
        assert_eq!(category_path(&record("$system$/top")), None);
        assert_eq!(
            category_path(&record("tom/dick")).as_deref(),
            Some("tom/dick")
        );
    }

    #[test]
    fn texts_are_read_in_their_format() {
        assert_eq!(
            to_markdown("<p>Pick <b>one</b></p>", TextFormat::Html),
            "Pick **one**"
        );
        assert_eq!(to_markdown(" **kept** ", TextFormat::Markdown), "**kept**");
        // Plain text stays text: what Markdown would read as markup is escaped.
        assert_eq!(to_markdown("a < b", TextFormat::Plain), "a \\< b");
        assert_eq!(to_markdown("2 * 3 * 4", TextFormat::Plain), "2 \\* 3 \\* 4");
        assert_eq!(to_markdown("<b>x</b>", TextFormat::Plain), "\\<b>x\\</b>");
        assert_eq!(to_markdown("line one", TextFormat::MoodleAuto), "line one");
        let md = to_markdown("hi <script>alert(1)</script>", TextFormat::Markdown);
        assert!(!md.contains("script"), "{md}");
    }
}
