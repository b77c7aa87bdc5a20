//! Reading GIFT: blocks, escapes, then Moodle's `readquestion` step by step.

use getmycert_core::{Choice, Part, PartKind};

use super::RATIONALE;
use super::answers::{Reading, matching, multichoice, true_false};
use super::text::{
    TextFormat, Unit, decode, error, find, is_php_space, markdown, markdown_without_html,
    matches_at, php_trim, position, rfind, to_markdown, to_string, trim, with_format,
};
use crate::{Draft, ImportError, Location, Parsed, Unsupported};

/// Reads a GIFT file: every question we can represent as a draft, the others as unsupported.
pub fn parse(text: &str) -> Result<Parsed, ImportError> {
    let mut parsed = Parsed::default();
    let mut category = None;
    for block in blocks(text) {
        read_block(&block, &mut category, &mut parsed)?;
    }
    Ok(parsed)
}

/// A trimmed, non-blank line and its 1-based number.
struct Line<'a> {
    number: usize,
    text: &'a str,
}

/// The file's blocks: runs of lines between blank lines. Like Moodle, a file without `\n`
/// is split at carriage returns, and a line holding only `0` counts as blank (PHP's `empty`).
fn blocks(text: &str) -> Vec<Vec<Line<'_>>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let separator = if !text.contains('\n') && text.contains('\r') {
        '\r'
    } else {
        '\n'
    };
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (index, raw) in text.split(separator).enumerate() {
        let line = php_trim(raw);
        if line.is_empty() || line == "0" {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(Line {
                number: index + 1,
                text: line,
            });
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Moodle's question types, as its reader tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Description,
    Essay,
    Numerical,
    MultiChoice,
    Match,
    TrueFalse,
    ShortAnswer,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Description => "description",
            Kind::Essay => "essay",
            Kind::Numerical => "numerical",
            Kind::MultiChoice => "multichoice",
            Kind::Match => "match",
            Kind::TrueFalse => "truefalse",
            Kind::ShortAnswer => "shortanswer",
        }
    }

    fn of(answers: &[Unit]) -> Self {
        if answers.is_empty() {
            Kind::Essay
        } else if answers.first().is_some_and(|u| u.is('#')) {
            Kind::Numerical
        } else if position(answers, '~').is_some() {
            Kind::MultiChoice
        } else if position(answers, '=').is_some() && find(answers, "->").is_some() {
            Kind::Match
        } else {
            let check = match position(answers, '#') {
                Some(at) => trim(&answers[..at]),
                None => answers,
            };
            if matches!(to_string(check).as_str(), "T" | "TRUE" | "F" | "FALSE") {
                Kind::TrueFalse
            } else {
                Kind::ShortAnswer
            }
        }
    }
}

/// Stands for the missing-word blank while the stem is converted, so that no converter
/// escapes the underscores.
const BLANK: &str = "GiftMissingWordBlank7f3a";

fn read_block(
    lines: &[Line<'_>],
    category: &mut Option<String>,
    parsed: &mut Parsed,
) -> Result<(), ImportError> {
    let mut comments = String::new();
    let mut units = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            units.push(Unit::raw('\n', line.number));
        }
        if line.text.starts_with("//") {
            comments.push_str(line.text);
            comments.push('\n');
            units.push(Unit::raw(' ', line.number));
        } else {
            decode(line.text, line.number, &mut units);
        }
    }
    let body = trim(&units);
    let Some(first) = body.first() else {
        return Ok(());
    };
    let start = first.line;

    if matches_at(body, 0, "$CATEGORY:") {
        let path = trim(&body[10..]);
        if let Some(newline) = position(path, '\n') {
            let next = path[newline..]
                .iter()
                .find(|u| !is_php_space(u.ch))
                .map_or(start, |u| u.line);
            return Err(error(
                next,
                "a blank line must follow a `$CATEGORY:` line (Moodle reads the lines under it \
                 as part of the category name)",
            ));
        }
        let path = php_trim(&to_string(path)).to_owned();
        *category = (!path.is_empty()).then_some(path);
        return Ok(());
    }

    let mut body = body;
    let mut name = None;
    if matches_at(body, 0, "::") {
        body = &body[2..];
        if let Some(end) = find(body, "::") {
            name = Some(php_trim(&to_string(&body[..end])).to_owned()).filter(|n| !n.is_empty());
            body = trim(&body[end + 2..]);
        }
    }
    let (id_number, tags) = id_and_tags(&comments);
    let title = name.or(id_number);

    let (open, close) = match (position(body, '{'), position(body, '}')) {
        (None, None) => {
            parsed.unsupported.push(Unsupported {
                location: Location::line(start),
                kind: Kind::Description.name().to_owned(),
                title,
            });
            return Ok(());
        }
        (Some(open), None) => {
            return Err(error(
                body[open].line,
                "this `{` is never closed by a `}` (write a literal brace as `\\{`)",
            ));
        }
        (None, Some(close)) => {
            return Err(error(
                body[close].line,
                "this `}` closes no `{` (write a literal brace as `\\}`)",
            ));
        }
        (Some(open), Some(close)) if close < open => {
            return Err(error(
                body[close].line,
                "this `}` comes before the `{` that opens the answers (write a literal brace as `\\}`)",
            ));
        }
        (Some(open), Some(close)) => (open, close),
    };
    if let Some(inner) = body[open + 1..close].iter().find(|u| u.is('{')) {
        return Err(error(
            inner.line,
            "a second `{` before the answers are closed: close them with `}` first, or write a \
             literal brace as `\\{`",
        ));
    }
    if let Some(extra) = body[close + 1..].iter().find(|u| u.is('{') || u.is('}')) {
        return Err(error(
            extra.line,
            "a brace after the answers: a GIFT question has one `{…}` block (write a literal \
             brace as `\\{` or `\\}`)",
        ));
    }

    let mut stem_units = body[..open].to_vec();
    if close + 1 < body.len() {
        stem_units.extend(BLANK.chars().map(|c| Unit::raw(c, body[open].line)));
        stem_units.extend_from_slice(&body[close + 1..]);
    }
    let mut answers = trim(&body[open + 1..close]);
    let mut general_feedback: &[Unit] = &[];
    if let Some(at) = rfind(answers, "####") {
        general_feedback = &answers[at + 4..];
        answers = trim(&answers[..at]);
    }
    let answers_line = body[open].line;

    let (format, stem) = with_format(&stem_units, TextFormat::Moodle);
    let reading = match Kind::of(answers) {
        Kind::MultiChoice => multichoice(answers, format, answers_line)?,
        Kind::Match => matching(answers, format, answers_line)?,
        Kind::TrueFalse => true_false(answers, format),
        other => Reading::Unsupported(other.name()),
    };
    let (kind, mut options, prompts) = match reading {
        Reading::Part {
            kind,
            options,
            prompts,
        } => (kind, options, prompts),
        Reading::Unsupported(kind) => {
            parsed.unsupported.push(Unsupported {
                location: Location::line(start),
                kind: kind.to_owned(),
                title,
            });
            return Ok(());
        }
    };
    if kind == PartKind::Matching {
        add_rationales(&comments, &mut options);
    }
    let stem = to_markdown(format, &stem).replace(BLANK, "_____");
    if stem.is_empty() {
        return Err(error(start, "this question has no text"));
    }
    let part = Part {
        kind,
        stem,
        options,
        prompts,
        explanation: markdown(general_feedback, format),
    };
    parsed.drafts.push(Draft {
        location: Location::line(start),
        title,
        category: category.clone(),
        tags,
        scenario: None,
        parts: vec![part],
    });
    Ok(())
}

/// Matching rationales from `// rationale A: …` comment lines (our exports write them).
fn add_rationales(comments: &str, options: &mut [Choice]) {
    for line in comments.lines() {
        let Some(rest) = line.strip_prefix(RATIONALE) else {
            continue;
        };
        let mut chars = rest.chars();
        let (Some(id), Some(':')) = (chars.next(), chars.next()) else {
            continue;
        };
        if let Some(option) = options.iter_mut().find(|o| o.id == id) {
            let mut units = Vec::new();
            decode(chars.as_str(), 0, &mut units);
            option.rationale = markdown_without_html(php_trim(&to_string(&units)));
        }
    }
}

/// The `[id:…]` and `[tag:…]` of a question's comment lines, `\]` being a `]` (Moodle's
/// `extract_idnumber_and_tags_from_comment`).
fn id_and_tags(comments: &str) -> (Option<String>, Vec<String>) {
    let id = bracketed(comments, "[id:", &[]).into_iter().next();
    let tags = bracketed(comments, "[tag:", &['<', '>', '`']);
    (id, tags)
}

fn bracketed(comments: &str, open: &str, excluded: &[char]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = comments;
    while let Some(at) = rest.find(open) {
        rest = &rest[at + open.len()..];
        let mut value = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut closed = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if chars.peek().is_some_and(|(_, n)| *n == ']') => {
                    chars.next();
                    value.push(']');
                }
                ']' => {
                    closed = Some(i + 1);
                    break;
                }
                c if c.is_control() || excluded.contains(&c) => break,
                c => value.push(c),
            }
        }
        if let Some(end) = closed {
            rest = &rest[end..];
            let value = value.trim();
            if !value.is_empty() {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gift::answers::weight_prefix;

    fn units(text: &str) -> Vec<Unit> {
        let mut out = Vec::new();
        decode(text, 1, &mut out);
        out
    }

    #[test]
    fn escapes_are_text_and_never_syntax() {
        let decoded = units(r"a\~b\=c\#d\{e\}f\:g\\h\ni\x");
        assert_eq!(to_string(&decoded), "a~b=c#d{e}f:g\\h\ni\\x");
        assert!(position(&decoded, '~').is_none());
        assert!(position(&decoded, '=').is_none());
        // An escaped backslash does not escape what follows it.
        assert!(position(&units(r"a\\~b"), '~').is_some());
    }

    #[test]
    fn weights_follow_moodles_pattern() {
        let w = |s: &str| weight_prefix(&units(s), 1).expect("no error");
        assert_eq!(w("%50%x"), Some((0.5, 4)));
        let (third, taken) = w("%-33.33333%x").expect("a weight");
        assert!((third + 0.3333333).abs() < 1e-9 && taken == 11);
        assert_eq!(w("%100%x"), Some((1.0, 5)));
        assert_eq!(w("%abc%x"), None);
        assert_eq!(w("50%x"), None);
        assert!(weight_prefix(&units("%--50%x"), 1).is_err());
    }

    #[test]
    fn ids_and_tags_come_from_comments() {
        let (id, tags) =
            id_and_tags("// [id:aif-x] [tag:bedrock] [tag:a\\]b]\n// [tag:rag] [tag:]\n");
        assert_eq!(id.as_deref(), Some("aif-x"));
        assert_eq!(tags, vec!["bedrock", "a]b", "rag"]);
    }

    #[test]
    fn raw_html_in_markdown_shows_as_text() {
        let md = markdown_without_html("Pick <b>one</b>.\n\n<div onclick=\"x()\">hi</div>");
        assert_eq!(
            crate::text::one_line(&md),
            "Pick <b>one</b>. <div onclick=\"x()\">hi</div>"
        );
        let unchanged = "A **bold** `<code>` and a < b";
        assert_eq!(markdown_without_html(unchanged), unchanged);
    }
}
