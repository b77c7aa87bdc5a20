//! Reading Moodle XML. The file is read with quick-xml's streaming reader into a small element
//! tree (each element knows its line), then each `<question>` is interpreted the way Moodle's
//! `qformat_xml` does: missing optional elements take Moodle's defaults, blank answers are
//! skipped, and a text's `format` defaults to the question text's format.

use getmycert_core::{Choice, Part, PartKind, Prompt};

use super::text::{TextFormat, answer_markdown, field, to_markdown};
use super::tree::{Element, read_tree};
use crate::{Draft, ImportError, Location, Parsed, Unsupported, letter};

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
}
